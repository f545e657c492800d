"""Procedures (TTHC), dossiers (hồ sơ), their events, apologies and code sequences."""
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import DailyCounter, OutboxMessage
from core.search import FoldedTextField, TrigramIndex


def new_secret() -> str:
    return secrets.token_urlsafe(16)


def new_survey_token() -> str:
    return secrets.token_urlsafe(24)


class Procedure(models.Model):
    class SupplementClock(models.TextChoices):
        RESTART = "restart", _("Restart the clock when the complete dossier comes back")
        PAUSE = "pause", _("Pause the clock while waiting for the supplement")

    unit = models.ForeignKey("core.Unit", on_delete=models.CASCADE, related_name="procedures", verbose_name=_("unit"))
    code = models.CharField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=500)
    field = models.ForeignKey("core.Field", on_delete=models.PROTECT, related_name="procedures", verbose_name=_("field"))
    processing_days = models.PositiveSmallIntegerField(_("processing time (working days)"))
    clock_on_supplement = models.CharField(
        _("clock on supplement"), max_length=8, choices=SupplementClock.choices, default=SupplementClock.RESTART
    )
    class OnlineLevel(models.TextChoices):
        # Nghị định 42/2022/NĐ-CP art. 11 (docs/domain/online-services.md)
        NONE = "none", _("Not open online")
        PARTIAL = "partial", _("Partly online (một phần)")
        FULL = "full", _("End to end (toàn trình)")

    required_documents = models.JSONField(_("required documents"), default=list, blank=True)
    online = models.CharField(_("online submission"), max_length=8, choices=OnlineLevel.choices, default=OnlineLevel.NONE,
                              db_default=OnlineLevel.NONE)
    fee = models.CharField(_("fee"), max_length=255, blank=True, default="")
    legal_basis = models.TextField(_("legal basis"), blank=True, default="")
    is_published = models.BooleanField(_("published"), default=True)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["field__position", "code"]
        constraints = [models.UniqueConstraint(fields=["unit", "code"], name="procedure_code_per_unit")]

    def __str__(self):
        return f"{self.code} — {self.name}"


class Dossier(models.Model):
    # An office reads a dossier of a unit it supervised while the dossier was with the unit
    # (core.access.scoped, docs/domain/supervision.md): received, completed, or still open
    # during its supervision — so it can open every dossier the KPI counts for it.
    supervision_date_field = "received_at"

    @staticmethod
    def supervision_q(first, last) -> Q:
        from core.access import date_range_q

        opened_before_end = date_range_q("received_at", None, last)
        # Each branch implies the dossier was received by the window's end (a dossier is
        # completed after it is received: docs/domain/lifecycle.md). Said once more around
        # them, it lets PostgreSQL start the register's scan by receipt time at that end
        # instead of walking every later dossier (a ward office's register, closed on
        # 30/6/2025, under the province's 760,000 dossiers received since).
        return opened_before_end & (
            date_range_q("received_at", first, last)
            | date_range_q("completed_at", first, last)
            | (Q(status__in=["received", "processing", "awaiting_supplement"]) & opened_before_end)
        )

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        PROCESSING = "processing", _("Processing")
        AWAITING_SUPPLEMENT = "awaiting_supplement", _("Awaiting supplement")
        COMPLETED = "completed", _("Completed")
        RETURNED = "returned", _("Result returned")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        # Thông tư 03/2025/TT-VPCP form 05: neither on time nor late.
        STOPPED = "stopped", _("Handling stopped")

    OPEN_STATUSES = (Status.RECEIVED, Status.PROCESSING, Status.AWAITING_SUPPLEMENT)
    # Open with the clock running: only these can be overdue.
    CLOCK_RUNNING_STATUSES = (Status.RECEIVED, Status.PROCESSING)

    class Timeliness(models.TextChoices):
        EARLY = "early", _("Early")
        ON_TIME = "on_time", _("On time")
        LATE = "late", _("Late")

    class Channel(models.TextChoices):
        DIRECT = "direct", _("At the desk")
        ONLINE = "online", _("Online")
        POSTAL = "postal", _("By post")

    class Delivery(models.TextChoices):
        DESK = "desk", _("At the unit's desk")
        POST = "post", _("By post")
        ONLINE = "online", _("Online")

    # Every index costs each write of a row that is not heap-only (HOT): `unit` and `assigned_to`
    # have none of their own (the (unit, …) and (assigned_to, due_at) indexes below lead with
    # them), `code` and `survey_token` are unique by constraints, without the text-pattern twin
    # Django adds to a unique CharField (docs/domain/deadline-engine.md, "Heap-only updates").
    unit = models.ForeignKey(
        "core.Unit", on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("unit"), db_index=False
    )
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("procedure"))
    # Copied from the procedure at intake: KPIs break down by field without a join.
    field = models.ForeignKey("core.Field", on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("field"))
    code = models.CharField(_("dossier code"), max_length=64)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    channel = models.CharField(
        _("channel"), max_length=8, choices=Channel.choices, default=Channel.DIRECT, db_default=Channel.DIRECT
    )

    # Form 01: the applicant and the request
    applicant_name = models.CharField(_("applicant"), max_length=255)
    applicant_id_number = models.CharField(_("ID number"), max_length=20, blank=True, default="")
    applicant_address = models.CharField(_("address"), max_length=500, blank=True, default="")
    applicant_phone = models.CharField(_("phone"), max_length=20)
    applicant_email = models.EmailField(_("e-mail"), blank=True, default="")
    representative_name = models.CharField(_("authorised representative"), max_length=255, blank=True, default="")
    request_summary = models.TextField(_("request"), blank=True, default="")
    # What the register's search box matches: code and applicant without marks, in lower
    # case (dossiers/filters.py, docs/decisions/register-search.md).
    search_text = FoldedTextField(sources=("code", "applicant_name"))
    documents = models.JSONField(_("submitted documents"), default=list, blank=True)  # [{name, kind, count}]
    sets_count = models.PositiveSmallIntegerField(_("number of sets"), default=1)
    processing_days = models.PositiveSmallIntegerField(_("processing time (working days)"))
    result_delivery = models.CharField(_("result collected"), max_length=8, choices=Delivery.choices, default=Delivery.DESK)
    register_book = models.CharField(_("register book"), max_length=50, blank=True, default="")
    register_line = models.PositiveIntegerField(_("line in the register"), null=True, blank=True)

    received_at = models.DateTimeField(_("received at"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("received by")
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_dossiers",
        verbose_name=_("handled by"), db_index=False,
    )
    due_date = models.DateField(_("promised return date"))
    due_at = models.DateTimeField(_("promised return time"))
    # Pause rule for supplements: working days left on the clock when it stopped.
    remaining_days = models.PositiveSmallIntegerField(null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    timeliness = models.CharField(_("timeliness"), max_length=8, choices=Timeliness.choices, null=True, blank=True)

    # Set once by the deadline engine.
    overdue_at = models.DateTimeField(_("marked overdue at"), null=True, blank=True)
    warned_at = models.DateTimeField(_("apology warning sent at"), null=True, blank=True)

    tracking_secret = models.CharField(max_length=32, default=new_secret)
    survey_token = models.CharField(max_length=48, default=new_survey_token)
    survey_answered_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="dossier_code_once"),
            models.UniqueConstraint(fields=["survey_token"], name="dossier_survey_token_once"),
        ]
        indexes = [
            # The deadline engine's sweeps read open rows whose clock runs. The predicates name
            # `status` only, never a column the sweep sets (`overdue_at`, `warned_at`): an index
            # that mentions an updated column, even in its WHERE, makes the update non-HOT
            # (docs/domain/deadline-engine.md, "Heap-only updates").
            models.Index(fields=["due_at"], name="dossier_running_due", condition=Q(status__in=["received", "processing"])),
            models.Index(
                fields=["due_date"], name="dossier_running_due_date", condition=Q(status__in=["received", "processing"])
            ),
            # A unit's dossiers by receipt; with the two other columns of an office's scope (received,
            # completed or still open since it took the unit over: dossiers/models.py
            # ``supervision_q``), the count of a province's register reads this index alone
            # instead of every row of the table (docs/decisions/register-search.md). Both already
            # change only in updates that no index lets stay heap-only (status, completion).
            models.Index(fields=["unit", "received_at"], include=["completed_at", "status"],
                         name="dossier_unit_received_cov"),
            # "Online services used" asks, per procedure, for an online dossier received in the
            # period (kpi/scorecard.py). Without it the planner priced that EXISTS at a probe of
            # every dossier of each procedure and spent 0.3 s compiling the query (JIT) for a
            # province's scorecard; online dossiers only, and no column the engine updates.
            models.Index(fields=["procedure", "received_at"], name="dossier_online_procedure",
                         condition=Q(channel="online")),
            # An office's register, newest first over all its units (dossiers/views.py).
            models.Index(fields=["received_at", "id"], name="dossier_received"),
            models.Index(fields=["unit", "completed_at"], name="dossier_unit_completed"),
            models.Index(fields=["unit", "due_date"], name="dossier_unit_due"),
            models.Index(fields=["unit", "status"], name="dossier_unit_status"),
            models.Index(fields=["assigned_to", "due_at"], name="dossier_assignee_due"),
            # The register's search. The sweeps never set search_text, so this index does not
            # keep their updates from being heap-only (where the page has room for them).
            TrigramIndex(fields=["search_text"], opclasses=["gin_trgm_ops"], name="dossier_search"),
        ]

    def __str__(self):
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        """Open, its clock running and past its promised return time. A dossier awaiting
        a supplement is never overdue (the deadline engine skips it: dossiers/deadlines.py)."""
        return self.status in self.CLOCK_RUNNING_STATUSES and self.due_at < timezone.now()


class DossierEvent(models.Model):
    """One line of the control sheet (form 05)."""

    ENGINE_ACTIONS = ("overdue", "apology_warning", "promise_overdue")

    # The engine writes one event per dossier it marks, so an event row carries what it needs
    # and no more: no index of its own on `dossier` (`dossier_event_at` (dossier, at) serves
    # every lookup by dossier), and no unit (the dossier's, never read here; it cost a column,
    # an index and a foreign-key check per event: docs/domain/deadline-engine.md).
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events", db_index=False)
    action = models.CharField(_("action"), max_length=32)
    from_status = models.CharField(_("from"), max_length=20, blank=True, default="")
    to_status = models.CharField(_("to"), max_length=20, blank=True, default="")
    at = models.DateTimeField(_("effective time"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    # Indexed only where set (`dossier_event_actor`): the engine's events have no actor.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    note = models.TextField(_("note"), blank=True, default="")

    class Meta:
        verbose_name = _("dossier event")
        verbose_name_plural = _("dossier events")
        ordering = ["at", "id"]
        constraints = [
            # The engine's events happen once per dossier, however many workers run.
            models.UniqueConstraint(
                fields=["dossier", "action"], name="dossier_engine_event_once",
                condition=Q(action__in=["overdue", "apology_warning", "promise_overdue"]),
            ),
        ]
        indexes = [
            models.Index(fields=["dossier", "at"], name="dossier_event_at"),
            models.Index(fields=["actor"], name="dossier_event_actor", condition=Q(actor__isnull=False)),
        ]

    @property
    def label(self) -> str:
        from dossiers.services import action_label

        return action_label(action=self.action)


class Apology(models.Model):
    """Form 04: apology letter with a new return date, signed by the head of the unit."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="apology")
    unit = models.ForeignKey("core.Unit", on_delete=models.CASCADE, related_name="+")
    issued_at = models.DateTimeField(_("issued at"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    reason = models.TextField(_("reason"))
    new_due_date = models.DateField(_("new return date"))
    new_due_at = models.DateTimeField(_("new return time"))
    timely = models.BooleanField(_("sent at least one working day before the due date"))
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    promise_overdue_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("apology letter")
        verbose_name_plural = _("apology letters")


class Document(models.Model):
    """One issued version of a dossier's document: a form (01..07) or an electronic result
    (KQ<n>), as the exact PDF bytes that were issued. Rows are never updated in place:
    signing or re-issuing writes a new version that names the one it supersedes, so a
    verified file always finds the row it came from (``sha256``)."""

    class Kind(models.TextChoices):
        FORM = "form", _("Form")
        RESULT = "result", _("Electronic result")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="issued_documents")
    unit = models.ForeignKey("core.Unit", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    # "01".."07" for a form (its number under ``legal_basis``), "KQ" for a result.
    form = models.CharField(_("form"), max_length=4)
    # ``<dossier code>-<form>`` for a form, ``<dossier code>-KQ<n>`` for a result.
    code = models.CharField(_("document code"), max_length=80)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=255)
    legal_basis = models.CharField(_("legal basis"), max_length=40, blank=True, default="")
    file = models.FileField(upload_to="documents/%Y/%m/")
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveIntegerField(default=0)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    supersedes = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Set when the bytes carry a PAdES signature.
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    signer_name = models.CharField(_("signer"), max_length=255, blank=True, default="")
    signer_title = models.CharField(_("signer's title"), max_length=255, blank=True, default="")

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["dossier", "code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="document_code_version_once")]
        indexes = [models.Index(fields=["dossier", "form"], name="document_dossier_form")]

    def __str__(self):
        return f"{self.code} v{self.version}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


class RegisterSequence(models.Model):
    """The last line a unit wrote in its dossier register in a year (form 07 of Thông tư
    03/2025, form 06 of Thông tư 01/2018): the number printed on the receipt."""

    unit = models.ForeignKey("core.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="register_sequence_once")]


class DailySequence(models.Model):
    """The last dossier number given by a unit on a day (gap-free, see services)."""

    unit = models.ForeignKey("core.Unit", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="daily_sequence_once")]


class Submission(models.Model):
    """A dossier sent online by an applicant (Nghị định 42/2022/NĐ-CP art. 11; see
    docs/domain/online-services.md): waits in the unit's queue until staff accept it
    (it becomes a dossier with ``channel = online``) or refuse it with a reason."""

    class Status(models.TextChoices):
        NEW = "new", _("Waiting for the unit")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")

    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="submissions", verbose_name=_("unit"))
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("procedure"))
    reference = models.CharField(_("submission reference"), max_length=64, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    applicant_name = models.CharField(_("applicant"), max_length=255)
    applicant_phone = models.CharField(_("phone"), max_length=20)
    applicant_email = models.EmailField(_("e-mail"), blank=True, default="")
    applicant_address = models.CharField(_("address"), max_length=500, blank=True, default="")
    request_summary = models.TextField(_("request"), blank=True, default="")
    submitted_at = models.DateTimeField(_("submitted at"))
    # End of the next working day: past it, the deadline engine flags the submission once.
    due_at = models.DateTimeField(_("to be handled by"))
    flagged_at = models.DateTimeField(_("flagged as waiting at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    refuse_reason = models.TextField(_("reason for refusing"), blank=True, default="")
    # The private link's secret; the dossier made from the submission keeps it, so the
    # one link follows the request from submission to result.
    secret = models.CharField(max_length=32, default=new_secret)
    dossier = models.OneToOneField(Dossier, null=True, blank=True, on_delete=models.SET_NULL, related_name="submission")

    class Meta:
        verbose_name = _("online submission")
        verbose_name_plural = _("online submissions")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["unit", "status", "submitted_at"], name="submission_unit_status"),
            # The deadline engine's rule touches waiting, unflagged rows only.
            models.Index(fields=["due_at"], name="submission_waiting_due",
                         condition=Q(status="new", flagged_at__isnull=True)),
        ]

    def __str__(self):
        return self.reference


class SubmissionFile(models.Model):
    """One uploaded document of a submission (``position`` = its 1-based place in the
    procedure's required documents); private, served only to the unit's staff."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(_("document"), max_length=500)
    file = models.FileField(upload_to="submissions/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["submission", "position"], name="submission_file_once")]


class SubmissionSequence(DailyCounter):
    """The last submission number a unit gave on a day (core.sequences)."""

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="submission_sequence_once")]


class ApplicantNotice(OutboxMessage):
    """A notice to the applicant about one event of their dossier, by one channel
    (dossiers/notices.py composes it; core.notify sends it). Once per (dossier, event,
    channel), however often the event's signal or the sending task runs."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="applicant_notices")
    unit = models.ForeignKey("core.Unit", on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(DossierEvent, on_delete=models.CASCADE, related_name="applicant_notices")
    # The event's action key ("receive", "request_supplement", ...), as the API shows it.
    action = models.CharField(_("event"), max_length=32)

    class Meta(OutboxMessage.Meta):
        verbose_name = _("notice to the applicant")
        verbose_name_plural = _("notices to the applicant")
        constraints = [models.UniqueConstraint(fields=["dossier", "event", "channel"], name="applicant_notice_once")]
        indexes = [
            models.Index(fields=["next_attempt_at"], name="applicant_notice_pending", condition=Q(status="pending")),
        ]

    @property
    def label(self) -> str:
        from dossiers.services import action_label

        return action_label(action=self.action)

    @classmethod
    def delivery_failed(cls, pk: int) -> None:
        """Called by core.notify when this notice failed for good."""
        from dossiers.notices import tell_staff_of_failure

        tell_staff_of_failure(notice_id=pk)

    @property
    def masked_to(self) -> str:
        from core.notify import mask_address

        return mask_address(self.to)
