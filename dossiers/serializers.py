"""The dossier API's shapes (CONTRACT.md "REST API v1")."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core import links
from core.models import Field, Unit
from dossiers.models import ApplicantNotice, Apology, Dossier, DossierEvent, Procedure, Submission
from dossiers.qr import survey_url, tracking_url
from dossiers.selectors import dossier_results
from dossiers.services import ACTIONS


class ProcedureSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="slug", queryset=Unit.objects.all())
    field = serializers.SlugRelatedField(slug_field="key", queryset=Field.objects.filter(has_procedures=True))
    processing_days = serializers.IntegerField(min_value=0, max_value=365)

    class Meta:
        model = Procedure
        fields = ["unit", "code", "name", "field", "processing_days", "clock_on_supplement", "required_documents",
                  "online", "fee", "legal_basis", "is_published"]
        validators = []  # the (unit, code) uniqueness is checked below, with a readable message

    def validate(self, data):
        if Procedure.objects.filter(unit=data["unit"], code=data["code"]).exists():
            raise serializers.ValidationError({"code": [_("This unit already has a procedure with this code.")]})
        return data


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = DossierEvent
        fields = ["action", "at", "recorded_at", "actor", "note", "from_status", "to_status"]

    def get_actor(self, event) -> str | None:
        return event.actor.username if event.actor else None


class ApologySerializer(serializers.ModelSerializer):
    class Meta:
        model = Apology
        fields = ["issued_at", "reason", "new_due_date", "timely"]


class ResultSerializer(serializers.Serializer):
    """An electronic result: ``url`` serves the PDF with the API's authentication."""

    code = serializers.CharField()
    url = serializers.SerializerMethodField()
    sha256 = serializers.CharField()

    def get_url(self, document) -> str:
        return links.absolute_url(reverse("api-dossier-result", args=[document.dossier.code, document.code]))


class DossierSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    procedure = serializers.SlugRelatedField(slug_field="code", read_only=True)
    field = serializers.SlugRelatedField(slug_field="key", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    apology = serializers.SerializerMethodField()
    events = EventSerializer(many=True, read_only=True)
    tracking_url = serializers.SerializerMethodField()
    survey_url = serializers.SerializerMethodField()
    results = serializers.SerializerMethodField()

    class Meta:
        model = Dossier
        fields = ["code", "unit", "procedure", "field", "status", "applicant_name", "received_at", "due_date", "due_at",
                  "completed_at", "returned_at", "timeliness", "is_overdue", "channel", "results", "apology", "events",
                  "tracking_url", "survey_url"]
        read_only_fields = fields  # what the API shows; writes go through the actions (dossier_transition)

    @extend_schema_field(ResultSerializer(many=True))
    def get_results(self, dossier) -> list:
        return ResultSerializer(dossier_results(dossier=dossier), many=True).data

    def get_apology(self, dossier) -> dict | None:
        try:
            apology = dossier.apology
        except Apology.DoesNotExist:
            return None
        return ApologySerializer(apology).data

    def get_tracking_url(self, dossier) -> str:
        return tracking_url(dossier)

    def get_survey_url(self, dossier) -> str:
        return survey_url(dossier)


class DossierCreateSerializer(serializers.Serializer):
    unit = serializers.SlugRelatedField(slug_field="slug", queryset=Unit.objects.all())
    procedure = serializers.CharField(max_length=50)
    applicant_name = serializers.CharField(max_length=255)
    applicant_phone = serializers.RegexField(r"^[0-9 +().-]{8,20}$", max_length=20)
    applicant_email = serializers.EmailField(required=False, allow_blank=True)  # no default: "" is not an e-mail format
    applicant_id_number = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    applicant_address = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    request_summary = serializers.CharField(required=False, allow_blank=True, default="")
    received_at = serializers.DateTimeField(required=False, allow_null=True, default=None)

    def validate(self, data):
        from django.utils import timezone

        procedure = Procedure.objects.filter(unit=data["unit"], code=data["procedure"], is_active=True).first()
        if procedure is None:
            raise serializers.ValidationError({"procedure": [_("No procedure with this code in the unit's catalogue.")]})
        if data.get("received_at") and data["received_at"] > timezone.now():
            raise serializers.ValidationError({"received_at": [_("The intake time cannot be in the future.")]})
        data["procedure"] = procedure
        return data


class ActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=ACTIONS)
    at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    new_due_date = serializers.DateField(required=False, allow_null=True, default=None)


class SubmissionSerializer(serializers.ModelSerializer):
    """An online submission in the staff queue (``GET /api/v1/submissions/``)."""

    unit = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    procedure = serializers.SlugRelatedField(slug_field="code", read_only=True)
    dossier = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Submission
        fields = ["reference", "unit", "procedure", "applicant_name", "submitted_at", "status", "refuse_reason", "dossier"]
        read_only_fields = fields  # changed by the actions endpoint only


class SubmissionActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["accept", "refuse"])
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ApplicantNoticeSerializer(serializers.Serializer):
    """A notice to the applicant (CONTRACT.md ``GET /dossiers/<code>/notices/``); the
    address is masked: staff see that the parent was told, not their number."""

    event = serializers.CharField(source="action", help_text="receive, request_supplement, stop, reject, apologize, complete")
    channel = serializers.ChoiceField(choices=ApplicantNotice.Channel.choices)
    to = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=ApplicantNotice.Status.choices)
    sent_at = serializers.DateTimeField(allow_null=True)

    def get_to(self, notice) -> str:
        from core.notify import mask_address

        return mask_address(notice.to)


class DocumentSerializer(serializers.Serializer):
    """One form a dossier has (``dossiers.documents.forms_of``) with its PDF address."""

    form = serializers.CharField(help_text='form number under its legal basis, "01".."07"')
    title = serializers.CharField()
    legal_basis = serializers.CharField(help_text='key of the legal basis (dossiers/legal.py): "tt01-2018", '
                                                  '"nd118-2025" (2018 forms under the 2025 decree) or "tt03-2025"')
    code = serializers.CharField(help_text="<dossier code>-<form>")
    url = serializers.URLField(help_text="the PDF (token or session auth)")
    signed = serializers.BooleanField(help_text="whether the latest issued version carries a signature")
