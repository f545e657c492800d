"""Citizen feedback (phản ánh, kiến nghị, góp ý): received, answered, published."""
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import OutboxMessage


def new_secret() -> str:
    return secrets.token_urlsafe(16)


class Feedback(models.Model):
    # An office reads a record of a unit it supervised on that date (core.access.scoped).
    supervision_date_field = "received_at"

    class Kind(models.TextChoices):
        PHAN_ANH = "phan-anh", _("Report (phản ánh)")
        KIEN_NGHI = "kien-nghi", _("Recommendation (kiến nghị)")
        GOP_Y = "gop-y", _("Suggestion (góp ý)")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", _("In progress")
        ANSWERED = "answered", _("Answered")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")

    OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS)

    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="feedback", verbose_name=_("unit"))
    code = models.CharField(_("tracking code"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    subject = models.CharField(_("subject"), max_length=255)
    content = models.TextField(_("content"))
    name = models.CharField(_("name"), max_length=255, blank=True, default="")
    phone = models.CharField(_("phone"), max_length=20, blank=True, default="")
    email = models.EmailField(_("e-mail"), blank=True, default="")
    consent_publish = models.BooleanField(_("sender agrees to publication"), default=True)
    # Staff may judge an item not fit to publish (a private matter); it then leaves the
    # denominator of feedback_published_rate.
    publishable = models.BooleanField(_("publishable"), default=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW)
    received_at = models.DateTimeField(_("received at"))
    due_date = models.DateField(_("answer due"))
    due_at = models.DateTimeField(_("answer due at"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_feedback"
    )
    answer = models.TextField(_("answer"), blank=True, default="")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # What the public sees: reviewed at the publish step, never the sender's details.
    public_subject = models.CharField(_("published subject"), max_length=255, blank=True, default="")
    public_content = models.TextField(_("published content"), blank=True, default="")
    public_answer = models.TextField(_("published answer"), blank=True, default="")
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    overdue_at = models.DateTimeField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    tracking_secret = models.CharField(max_length=32, default=new_secret)
    dossier = models.ForeignKey(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback",
        verbose_name=_("complaint dossier"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-received_at"]
        indexes = [
            models.Index(
                fields=["due_at"], name="feedback_open_due",
                condition=Q(status__in=["new", "in_progress"], overdue_at__isnull=True),
            ),
            models.Index(
                fields=["due_date"], name="feedback_open_unwarned",
                condition=Q(status__in=["new", "in_progress"], warned_at__isnull=True),
            ),
            models.Index(fields=["unit", "received_at"], name="feedback_unit_received"),
            models.Index(fields=["unit", "status"], name="feedback_unit_status"),
        ]

    def __str__(self):
        return self.code

    @property
    def is_overdue(self) -> bool:
        return self.status in self.OPEN_STATUSES and self.due_at < timezone.now()


EVENT_LABELS = {
    "receive": _("received"),
    "start": _("handling started"),
    "answer": _("answered"),
    "publish": _("published"),
    "close": _("closed"),
    "assign": _("assigned"),
    "note": _("internal note"),
    "to_dossier": _("opened as a complaint dossier"),
    "overdue": _("marked overdue"),
    "warning": _("deadline warning sent"),
}


class FeedbackEvent(models.Model):
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="events")
    unit = models.ForeignKey("core.Unit", on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=12, blank=True, default="")
    to_status = models.CharField(max_length=12, blank=True, default="")
    at = models.DateTimeField()
    recorded_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["feedback", "action"], name="feedback_engine_event_once",
                condition=Q(action__in=["overdue", "warning"]),
            ),
        ]

    @property
    def label(self):
        return EVENT_LABELS.get(self.action, self.action)


class FeedbackNote(models.Model):
    """Internal note: never shown to the public."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]


class FeedbackAttachment(models.Model):
    """An image or PDF sent with feedback; private, served only to the unit's staff."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="feedback/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)


class FeedbackSequence(models.Model):
    """The last feedback number a unit gave on a day (one atomic upsert, see services)."""

    unit = models.ForeignKey("core.Unit", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="feedback_sequence_once")]


class SenderNotice(OutboxMessage):
    """The answer sent to the feedback's sender by one channel (e-mail, SMS), with the
    link to rate it; once per (feedback, action, channel). Sent by core.notify."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="sender_notices")
    unit = models.ForeignKey("core.Unit", on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=32, default="answer")

    class Meta(OutboxMessage.Meta):
        verbose_name = _("notice to the sender")
        verbose_name_plural = _("notices to the sender")
        constraints = [models.UniqueConstraint(fields=["feedback", "action", "channel"], name="sender_notice_once")]


class AnswerRating(models.Model):
    """The sender's rating of the answer (1–5 and a comment), once per feedback, through
    the token link sent with the answer. Feeds ``feedback_satisfaction_rate``."""

    feedback = models.OneToOneField(Feedback, on_delete=models.CASCADE, related_name="rating")
    unit = models.ForeignKey("core.Unit", on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("rating"))
    comment = models.TextField(_("comment"), blank=True, default="")
    rated_at = models.DateTimeField(_("rated at"), default=timezone.now)

    class Meta:
        verbose_name = _("rating of the answer")
        verbose_name_plural = _("ratings of answers")
        constraints = [
            models.CheckConstraint(name="answer_rating_1_to_5", condition=Q(score__gte=1, score__lte=5)),
        ]
