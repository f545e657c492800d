"""Yearly plans with their targets, monthly hand-entered figures with evidence,
and Excel export jobs."""
from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _


class YearPlan(models.Model):
    unit = models.ForeignKey("core.Unit", on_delete=models.CASCADE, related_name="plans")
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.CharField(_("plan number"), max_length=64, blank=True, default="")
    title = models.CharField(_("title"), max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("yearly plan")
        verbose_name_plural = _("yearly plans")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="plan_once_per_year")]

    def __str__(self):
        return f"{self.unit} {self.year}"


class Target(models.Model):
    """A target (chỉ tiêu) of a plan: an indicator key, optionally for one field or
    service area (``field_key`` empty for the overall row), and its value in %."""

    plan = models.ForeignKey(YearPlan, on_delete=models.CASCADE, related_name="targets")
    key = models.CharField(_("indicator"), max_length=64)
    field_key = models.CharField(_("field"), max_length=64, blank=True, default="")
    value = models.DecimalField(_("target (%)"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [models.UniqueConstraint(fields=["plan", "key", "field_key"], name="target_once")]


class MonthlyFigure(models.Model):
    """A figure no record measures (e-payments, e-documents, outreach), entered monthly."""

    unit = models.ForeignKey("core.Unit", on_delete=models.CASCADE, related_name="monthly_figures")
    key = models.CharField(_("indicator"), max_length=64)
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    numerator = models.PositiveIntegerField(_("numerator"))
    denominator = models.PositiveIntegerField(_("denominator"))
    note = models.TextField(_("note"), blank=True, default="")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("monthly figure")
        verbose_name_plural = _("monthly figures")
        ordering = ["year", "month", "key"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "key", "year", "month"], name="monthly_figure_once"),
            models.CheckConstraint(name="monthly_figure_month", condition=models.Q(month__gte=1, month__lte=12)),
        ]


class Evidence(models.Model):
    """An evidence document (tài liệu kiểm chứng) behind a monthly figure."""

    figure = models.ForeignKey(MonthlyFigure, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="evidence/%Y/")
    original_name = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)


class ExportJob(models.Model):
    """A large Excel export run by Celery; the page polls its progress."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    params = models.JSONField(default=dict)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)


class PlanTask(models.Model):
    """A task of the plan (nhiệm vụ trọng tâm), in one of the plan's groups of focus tasks,
    with the person in charge, a deadline, its progress and evidence files."""

    class Group(models.TextChoices):
        # The eight groups of focus tasks of plan 16/KH-MNTH (section III), in its order.
        DIRECTION = "direction", _("Direction, administration and communication on administrative reform")
        INSTITUTIONS = "institutions", _("Institutional reform")
        PROCEDURES = "procedures", _("Administrative procedure reform")
        ORGANISATION = "organisation", _("Reform of the organisational structure")
        CIVIL_SERVICE = "civil_service", _("Civil service reform")
        PUBLIC_FINANCE = "public_finance", _("Public finance reform")
        E_GOVERNMENT = "e_government", _("E-government and digital government")
        SATISFACTION = "satisfaction", _("Surveying and assessing the satisfaction of citizens and organisations")

    plan = models.ForeignKey(YearPlan, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("plan"))
    group = models.CharField(_("group of tasks"), max_length=20, choices=Group.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.TextField(_("task"))
    in_charge = models.CharField(_("person in charge"), max_length=255, blank=True, default="")
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    progress_note = models.TextField(_("progress note"), blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("plan task")
        verbose_name_plural = _("plan tasks")
        ordering = ["plan", "position", "id"]
        constraints = [
            models.CheckConstraint(name="plan_task_progress", condition=models.Q(progress__lte=100)),
        ]

    def __str__(self):
        return self.title[:80]

    @property
    def is_done(self) -> bool:
        return self.progress >= 100

    def is_overdue(self, today) -> bool:
        return not self.is_done and self.deadline is not None and self.deadline < today


class PlanTaskEvidence(models.Model):
    """An evidence document (tài liệu kiểm chứng) of a plan task."""

    task = models.ForeignKey(PlanTask, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="evidence/tasks/%Y/")
    original_name = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)


class Report(models.Model):
    """A periodic written report on the unit's administrative reform (báo cáo kết quả thực
    hiện công tác CCHC) for a period of Nghị định 09/2019 (``kpi.periods``). A draft the
    principal writes; submitting numbers it, freezes its figures and stores its files. A
    correction is a new version that names the report it replaces."""

    class Kind(models.TextChoices):
        QUARTER = "quarter", _("Quarterly report")
        HALF = "half", _("Six-month report")
        NINE_MONTHS = "nine_months", _("Nine-month report")
        YEAR = "year", _("Yearly report")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="reports", verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    period_start = models.DateField(_("start of the period"))
    period_end = models.DateField(_("end of the period"))
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    # Numbers restart every calendar year of issue (a yearly report may be sent in January).
    number_year = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    replaces = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("replaces"))
    narrative = models.JSONField(_("narrative per group of tasks"), default=dict, blank=True)
    difficulties = models.TextField(_("difficulties"), blank=True, default="")
    proposals = models.TextField(_("proposals"), blank=True, default="")
    recipients = models.TextField(_("recipients"), blank=True, default="", help_text=_("One per line."))
    # Frozen at submission: the indicator rows, the tasks and the signer, as printed.
    frozen = models.JSONField(default=dict, blank=True)
    docx = models.FileField(upload_to="reports/%Y/", blank=True)
    pdf = models.FileField(upload_to="reports/%Y/", blank=True)
    docx_sha256 = models.CharField(max_length=64, blank=True, default="")
    pdf_sha256 = models.CharField(max_length=64, blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        verbose_name = _("written report")
        verbose_name_plural = _("written reports")
        ordering = ["-year", "period_end", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number_year", "number"], name="report_number_once"),
            # quarter is NULL for the other kinds, and NULLs never clash: compare it as 0.
            models.UniqueConstraint("unit", "kind", "year", Coalesce("quarter", 0), "version",
                                    name="report_version_once"),
            models.UniqueConstraint("unit", "kind", "year", Coalesce("quarter", 0), condition=models.Q(status="draft"),
                                    name="report_one_draft"),
            models.CheckConstraint(name="report_quarter_for_quarters", condition=(
                models.Q(kind="quarter", quarter__gte=1, quarter__lte=4) | (~models.Q(kind="quarter") & models.Q(quarter__isnull=True)))),
        ]
        indexes = [models.Index(fields=["kind", "year", "quarter", "status"], name="report_period_status")]

    def __str__(self):
        return f"{self.unit} {self.kind} {self.year} {self.quarter or ''} v{self.version}"


class ReportCounter(models.Model):
    """The last report number of a unit in a year (``core.sequences``): gap-free."""

    unit = models.ForeignKey("core.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="report_counter_once")]


class ReportDeadline(models.Model):
    """The date by which an office expects its units' report of a period (``quarter`` 0
    for the half-year, nine-month and yearly reports)."""

    office = models.ForeignKey("core.Office", on_delete=models.CASCADE, related_name="report_deadlines")
    kind = models.CharField(_("kind"), max_length=12, choices=Report.Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), default=0)
    due_date = models.DateField(_("deadline"))

    class Meta:
        verbose_name = _("report deadline")
        verbose_name_plural = _("report deadlines")
        constraints = [models.UniqueConstraint(fields=["office", "kind", "year", "quarter"], name="report_deadline_once")]


# --- the daily rollup (docs/kpi/rollup.md) ---------------------------------------------------

class Counts(models.Model):
    """The counts the indicators need, for one unit and one field (``None``: feedback,
    which has no field) over one stretch of time. Kept exact by ``kpi.rollup``: every
    change of a counted record takes its counts away and adds them again in the same
    transaction; ``manage.py rebuild_kpi_rollup`` recounts everything. Column meanings: ``kpi.rollup.COLUMNS``."""

    unit = models.ForeignKey("core.Unit", on_delete=models.CASCADE, related_name="+", db_index=False)
    field = models.ForeignKey("core.Field", on_delete=models.CASCADE, related_name="+", null=True, db_index=False)
    # Dossiers completed (or returned) on the day, by their completion time.
    completed = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    late = models.IntegerField(default=0)
    late_no_apology = models.IntegerField(default=0)
    late_timely_apology = models.IntegerField(default=0)
    late_late_apology = models.IntegerField(default=0)
    e_result = models.IntegerField(default=0)
    # Dossiers open with the clock running, by their due date (overdue once the day is past).
    running = models.IntegerField(default=0)
    running_no_apology = models.IntegerField(default=0)
    running_timely_apology = models.IntegerField(default=0)
    running_late_apology = models.IntegerField(default=0)
    # Dossiers received on the day.
    received = models.IntegerField(default=0)
    online = models.IntegerField(default=0)
    end_to_end = models.IntegerField(default=0)
    digitised = models.IntegerField(default=0)
    # Survey responses submitted on the day (field = the service area), SIPAS factors.
    responses = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    dossier_responses = models.IntegerField(default=0)
    dossier_satisfied = models.IntegerField(default=0)
    access_n = models.IntegerField(default=0)
    access_s = models.IntegerField(default=0)
    procedure_n = models.IntegerField(default=0)
    procedure_s = models.IntegerField(default=0)
    staff_n = models.IntegerField(default=0)
    staff_s = models.IntegerField(default=0)
    result_n = models.IntegerField(default=0)
    result_s = models.IntegerField(default=0)
    feedback_handling_n = models.IntegerField(default=0)
    feedback_handling_s = models.IntegerField(default=0)
    overall_n = models.IntegerField(default=0)
    # Feedback received on the day.
    fb_received = models.IntegerField(default=0)
    fb_answered = models.IntegerField(default=0)
    fb_answered_on_time = models.IntegerField(default=0)
    fb_publishable = models.IntegerField(default=0)
    fb_published = models.IntegerField(default=0)
    fb_rated = models.IntegerField(default=0)
    fb_rated_satisfied = models.IntegerField(default=0)

    class Meta:
        abstract = True


class DayCount(Counts):
    """One local day of one unit and field."""

    day = models.DateField()

    class Meta:
        verbose_name = _("daily count")
        verbose_name_plural = _("daily counts")
        constraints = [models.UniqueConstraint(fields=["unit", "field", "day"], nulls_distinct=False,
                                               name="day_count_once")]
        indexes = [models.Index(fields=["day", "unit"], name="day_count_day_unit")]


class MonthCount(Counts):
    """The sum of a month's ``DayCount`` rows of one unit and field (``month``: its first
    day), kept with them, so that a year reads twelve rows per unit and field."""

    month = models.DateField()

    class Meta:
        verbose_name = _("monthly count")
        verbose_name_plural = _("monthly counts")
        constraints = [models.UniqueConstraint(fields=["unit", "field", "month"], nulls_distinct=False,
                                               name="month_count_once")]
        indexes = [models.Index(fields=["month", "unit"], name="month_count_month_unit")]
