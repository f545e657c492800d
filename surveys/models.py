"""Questionnaires (as data, versioned) and anonymous responses."""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

RATING = [MinValueValidator(1), MaxValueValidator(5)]
# The five SIPAS factors, then the overall rating: the form field names of docs/interfaces.md.
FACTORS = ("access", "procedure", "staff", "result", "feedback_handling")
# Questions every questionnaire keeps (stored in Response columns); others go to ``answers``.
CORE_KEYS = (*FACTORS, "overall", "comment")
COMMENT_MAX_LENGTH = 2000


class Questionnaire(models.Model):
    """A version of the questions. ``unit`` null is the national default (SIPAS);
    a unit's own version copies it and adds questions. Versions are never edited
    once answered: a change makes a new version."""

    unit = models.ForeignKey("core.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="questionnaires")
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=255)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        constraints = [models.UniqueConstraint(fields=["unit", "version"], name="questionnaire_version")]

    def __str__(self):
        return f"{self.title} (v{self.version})"


class Question(models.Model):
    class Kind(models.TextChoices):
        RATING = "rating", _("Rating 1–5")
        TEXT = "text", _("Text")

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(_("key"), max_length=64)
    text_vi = models.CharField(_("question (Vietnamese)"), max_length=500)
    text_en = models.CharField(_("question (English)"), max_length=500, blank=True, default="")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.RATING)
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "key"], name="question_key_once")]

    def __str__(self):
        return self.text_vi


class Response(models.Model):
    """One anonymous answer. Nothing here identifies the person: no account, no IP
    address, no user agent, no link to the dossier (only its field)."""

    class Source(models.TextChoices):
        DOSSIER = "dossier", _("Dossier survey")
        OPEN = "open", _("Open survey")

    # No index of its own: response_unit_submitted (unit, submitted_at) serves every lookup by
    # unit, the cascade from a deleted unit included, and each answer writes one index fewer.
    unit = models.ForeignKey("core.Unit", on_delete=models.CASCADE, related_name="survey_responses", db_index=False)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="responses")
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    area = models.ForeignKey("core.Field", on_delete=models.PROTECT, related_name="survey_responses", verbose_name=_("service area"))
    access = models.PositiveSmallIntegerField(_("access to the service"), validators=RATING, null=True, blank=True)
    procedure = models.PositiveSmallIntegerField(_("the procedure"), validators=RATING, null=True, blank=True)
    staff = models.PositiveSmallIntegerField(_("the staff"), validators=RATING, null=True, blank=True)
    result = models.PositiveSmallIntegerField(_("the result"), validators=RATING, null=True, blank=True)
    feedback_handling = models.PositiveSmallIntegerField(_("handling of feedback"), validators=RATING, null=True, blank=True)
    overall = models.PositiveSmallIntegerField(_("overall"), validators=RATING)
    comment = models.TextField(_("comment"), blank=True, default="", max_length=COMMENT_MAX_LENGTH)
    answers = models.JSONField(_("answers to the unit's own questions"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    comment_handled_at = models.DateTimeField(null=True, blank=True)
    comment_handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["unit", "submitted_at"], name="response_unit_submitted")]
        constraints = [
            models.CheckConstraint(name="response_overall_1_5", condition=models.Q(overall__gte=1, overall__lte=5)),
        ]

    @property
    def satisfied(self) -> bool:
        return self.overall >= 4
