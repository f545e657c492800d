"""Offices, units, people, fields and the working-day calendar."""
import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models.functions import Collate, Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.text import MARKED, PLAIN


NAME_COLLATION = "vi_natural"  # created by migration 0008 (PostgreSQL's ICU)


class InVietnameseOrder(Collate):
    """A name in the order Vietnamese readers expect (docs/decisions/vietnamese-order.md): by
    the Vietnamese alphabet, so "Ánh Dương" comes before "Bé Ngoan" and "Đồng Xanh" after "Dạ
    Lan" (the database's C order puts every accented first letter after "Z"), and numbers by
    value, so "số 2" comes before "số 10". SQLite (development) keeps its own order."""

    def __init__(self, expression):
        super().__init__(expression, NAME_COLLATION)

    def as_sqlite(self, compiler, connection, **extra_context):
        return compiler.compile(self.get_source_expressions()[0])


class FoldedName(models.Func):
    """A name in lower case without its marks, as ``core.text.fold`` folds what people type:
    ``FoldedName("name")`` contains ``fold("tuoi hong")`` for "Trường Mầm non Tuổi Hồng". Lower
    case through the ICU collation, whatever the database's own. SQLite (development): the
    name in lower case, marks kept."""

    function = "translate"
    output_field = models.CharField()

    def __init__(self, expression):
        super().__init__(Lower(InVietnameseOrder(expression)), models.Value(MARKED), models.Value(PLAIN))

    def as_sqlite(self, compiler, connection, **extra_context):
        return compiler.compile(self.get_source_expressions()[0])


class Office(models.Model):
    """A supervising office (Phòng Nội vụ, a ward, the city education department...)."""

    name = models.CharField(_("name"), max_length=255)
    code = models.SlugField(_("code"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = [InVietnameseOrder("name")]

    def __str__(self):
        return self.name


class UnitQuerySet(models.QuerySet):
    """Units; ``supervised_by(office)`` keeps the office with the queryset (through every
    clone) so that KPI counting can restrict each unit to the days that office supervised it."""

    office_scope = None

    def supervised_by(self, office_id):
        qs = self.filter(pk__in=Supervision.objects.filter(office_id=office_id).values("unit_id"))
        qs.office_scope = office_id
        return qs

    def supervised_during(self, start, end):
        """The units of an office's scope (``supervised_by``) that the office supervised on at
        least one day from ``start`` to ``end`` (both included): a ward that handed its schools
        over compares none of them for a period after the hand-over. Any other queryset is
        returned as it is."""
        if self.office_scope is None:
            return self
        windows = Supervision.objects.filter(office_id=self.office_scope, valid_from__lte=end).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=start))
        return self.filter(pk__in=windows.values("unit_id"))

    def _clone(self):
        clone = super()._clone()
        clone.office_scope = self.office_scope
        return clone


class Unit(models.Model):
    """A public unit (a school) that runs its yearly CCHC plan."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="units", verbose_name=_("office"))
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    code = models.CharField(_("code"), max_length=40, unique=True, help_text=_("Prefix of the dossier codes."))
    name = models.CharField(_("name"), max_length=255)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    closing_time = models.TimeField(_("office closing time"), default=datetime.time(17, 0))
    feedback_days = models.PositiveSmallIntegerField(_("feedback deadline (working days)"), default=5)
    head_name = models.CharField(_("head of unit"), max_length=255, blank=True)
    head_title = models.CharField(_("title of the head"), max_length=100, default="Hiệu trưởng")
    # Presentation of documents (Nghị định 30/2020/NĐ-CP; docs/legal/documents.md): the
    # parent body printed above the unit's name, the place name before the date, and the
    # abbreviation in document numbers ("Số: 12/BC-MNTH").
    parent_body = models.CharField(
        _("parent body"), max_length=255, blank=True, default="", db_default="",
        help_text=_("Printed above the unit's name on documents (cơ quan chủ quản)."),
    )
    place_name = models.CharField(
        _("place name"), max_length=100, blank=True, default="", db_default="",
        help_text=_("Printed before the date on documents (địa danh)."),
    )
    abbreviation = models.CharField(
        _("abbreviation"), max_length=20, blank=True, default="", db_default="", help_text=_("Used in document numbers."),
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = [InVietnameseOrder("name")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        creating = self._state.adding
        super().save(*args, **kwargs)
        if creating and self.office_id and not self.supervisions.exists():
            # A new unit is supervised by its office from the start (docs/domain/supervision.md).
            Supervision.objects.create(office_id=self.office_id, unit=self, valid_from=Supervision.FAR_PAST)


class Supervision(models.Model):
    """Which office supervised a unit, from one date to another (both included; an open
    end is today's supervision). Since 1/7/2025 (two-level local government) a school's
    supervising office can change: an office sees and counts a unit only for the days it
    supervised it. ``Unit.office`` is kept as the current office (derived from these rows
    by ``core.services.supervision_change``)."""

    FAR_PAST = datetime.date(2000, 1, 1)

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="supervisions", verbose_name=_("office"))
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="supervisions", verbose_name=_("unit"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("Empty while it lasts."))

    class Meta:
        verbose_name = _("supervision")
        verbose_name_plural = _("supervisions")
        ordering = ["unit", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "valid_from"], name="supervision_start_once"),
            models.UniqueConstraint(fields=["unit"], condition=models.Q(valid_to__isnull=True), name="supervision_one_current"),
            models.CheckConstraint(
                name="supervision_dates_in_order",
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
            ),
        ]

    def __str__(self):
        end = f"{self.valid_to:%d/%m/%Y}" if self.valid_to else "…"
        return f"{self.unit} — {self.office} ({self.valid_from:%d/%m/%Y}–{end})"


class User(AbstractUser):
    """A person with an account. Staff and principals belong to one unit,
    office accounts to one office; administrators see everything."""

    class Role(models.TextChoices):
        STAFF = "staff", _("Staff")
        PRINCIPAL = "principal", _("Principal")
        OFFICE = "office", _("Supervising office")
        ADMIN = "admin", _("Administrator")

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.STAFF)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="members", verbose_name=_("unit")
    )
    office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.PROTECT, related_name="members", verbose_name=_("office")
    )
    # Printed under the signature; a deputy signs "KT. HIỆU TRƯỞNG / PHÓ HIỆU TRƯỞNG".
    job_title = models.CharField(_("job title"), max_length=100, blank=True, default="", db_default="")
    is_deputy_head = models.BooleanField(
        _("deputy head"), default=False, db_default=False, help_text=_("Signs on behalf of the head of the unit (KT.)."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="user_role_scope",
                condition=(
                    models.Q(role__in=["staff", "principal"], unit__isnull=False)
                    | models.Q(role="office", office__isnull=False)
                    | models.Q(role="admin")
                ),
            ),
        ]

    def get_full_name(self):
        """Vietnamese order: family and middle names first ("Trần Thị Mỹ Hạnh")."""
        return f"{self.last_name} {self.first_name}".strip()

    @property
    def is_administrator(self):
        return self.is_superuser or self.role == self.Role.ADMIN

    @property
    def is_principal(self):
        return self.role == self.Role.PRINCIPAL

    @property
    def is_office(self):
        return self.role == self.Role.OFFICE


class Field(models.Model):
    """A field of procedures (lĩnh vực), also a survey service area."""

    key = models.SlugField(_("key"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    default_target = models.DecimalField(_("default target (%)"), max_digits=5, decimal_places=2, default=100)
    has_procedures = models.BooleanField(_("has procedures"), default=True)
    is_survey_area = models.BooleanField(_("is a survey service area"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["position", "key"]

    def __str__(self):
        return self.name


class CalendarDay(models.Model):
    """A day that differs from the plain Monday-to-Friday rule, as the administrator
    keeps them: a holiday on a weekday, or a make-up working day (usually a Saturday).

    A row here overrides the `holidays` package for that date."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Day off")
        WORKING = "working", _("Working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=255)
    source = models.CharField(
        _("legal source"), max_length=255, blank=True, default="",
        help_text=_("The official text that decided this day (number and date), or why a package holiday is cancelled."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.name}"


class Notification(models.Model):
    """An in-portal notice to one person; e-mailed by a separate task after commit."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=40)
    # What the notice is about, e.g. "dossier:123" — one notice per (user, kind, subject).
    subject_key = models.CharField(max_length=80)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(_("link"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    # A worker's lease on the e-mail: a claim older than CLAIM_LEASE is taken again, so
    # a worker killed between claiming and sending does not lose the notice.
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "subject_key"], name="notification_once"),
        ]
        indexes = [
            models.Index(fields=["emailed_at"], name="notification_unsent", condition=models.Q(emailed_at__isnull=True)),
            # Every signed-in page counts the person's unread notices (core.context_processors):
            # with years of read ones behind them, only the unread are in this index.
            models.Index(fields=["user"], name="notification_unread", condition=models.Q(read_at__isnull=True)),
        ]

    def __str__(self):
        return self.title


class Session(AbstractBaseSession):
    """Django's database session with the id of the person signed in to it beside the data
    (Django's "extending database-backed session engines"): every signed-in page then reads
    its session, its person with their unit and office, and their unread count in one
    statement (core/sessions.py, docs/decisions/prepared-statements.md). Written from the
    session's own data each time Django saves it; ``None`` before sign-in."""

    user_id = models.BigIntegerField(_("person"), null=True, blank=True, db_index=True)

    class Meta(AbstractBaseSession.Meta):
        db_table = "core_session"

    @classmethod
    def get_session_store_class(cls):
        from core.sessions import SessionStore

        return SessionStore


class EngineRun(models.Model):
    """One run of the deadline engine, for /healthz and the administrator."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    now = models.DateTimeField(help_text="The 'now' the run judged deadlines against.")
    summary = models.JSONField(default=dict)

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"


class DailyCounter(models.Model):
    """The last number a unit gave on a day, for gap-free daily codes
    (``core.sequences.next_daily_number``); concrete tables add their unique (unit, day)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class OutboxMessage(models.Model):
    """One message to one person by one channel, kept as a row before it is sent (the
    outbox): composed inside the transaction that caused it, sent after commit by
    ``core.notify.deliver_outbox_row``. Apps subclass it with what the message is about
    (a dossier event, a feedback answer) and a unique constraint that makes it once."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        SMS = "sms", _("SMS")
        ZALO = "zalo", _("Zalo")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Not delivered")

    channel = models.CharField(_("sending channel"), max_length=8, choices=Channel.choices)
    to = models.CharField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=255, blank=True, default="")
    body = models.TextField(_("message"))
    # Named values of a template message (Zalo ZNS template_data).
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("sending status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True, default="")
    provider_ref = models.CharField(max_length=100, blank=True, default="")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # A worker's lease, as on Notification: a claim older than the lease is taken again.
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.channel} → {self.to}"
