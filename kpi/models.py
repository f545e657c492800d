"""Yearly plans with their targets, monthly hand-entered figures with evidence,
and Excel export jobs."""
from django.conf import settings
from django.db import models
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
