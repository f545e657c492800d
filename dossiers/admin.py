"""Admin: the catalogue is edited freely; dossiers change state only through the
lifecycle service (status and dates read-only, actions call dossier_transition)."""
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dossiers import services
from dossiers.models import ApplicantNotice, Apology, Dossier, DossierEvent, Procedure, Submission, SubmissionFile


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "field", "processing_days", "clock_on_supplement", "online", "is_published",
                    "is_active"]
    list_filter = ["unit", "field", "is_published", "is_active", "clock_on_supplement", "online"]
    search_fields = ["code", "name"]


class EventInline(admin.TabularInline):
    model = DossierEvent
    extra = 0
    can_delete = False
    fields = ["at", "action", "from_status", "to_status", "actor", "note", "recorded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ApplicantNotice)
class ApplicantNoticeAdmin(admin.ModelAdmin):
    """Every notice to applicants, to find the ones that failed (read only)."""

    list_display = ["dossier", "action", "channel", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "channel", "action", "unit"]
    search_fields = ["dossier__code"]
    list_select_related = ["dossier"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in ApplicantNotice._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ActionAdminForm(forms.ModelForm):
    action = forms.ChoiceField(label=_("Action"), required=False,
                               choices=[("", "—")] + [(a, services.action_label(action=a)) for a in services.ACTIONS])
    action_reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    action_new_due_date = forms.DateField(label=_("New return date"), required=False)

    class Meta:
        model = Dossier
        fields = ["applicant_name", "applicant_phone", "applicant_email", "applicant_address", "assigned_to"]


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    form = ActionAdminForm
    list_display = ["code", "unit", "procedure", "applicant_name", "status", "channel", "received_at", "due_date",
                    "timeliness"]
    list_filter = ["unit", "status", "channel", "timeliness", "field"]
    search_fields = ["code", "applicant_name"]
    date_hierarchy = "received_at"
    list_select_related = ["unit", "procedure"]
    readonly_fields = ["code", "unit", "procedure", "field", "status", "received_at", "due_date", "due_at",
                       "completed_at", "returned_at", "timeliness", "overdue_at", "warned_at", "channel"]
    fields = readonly_fields + ["applicant_name", "applicant_phone", "applicant_email", "applicant_address",
                                "assigned_to", "action", "action_reason", "action_new_due_date"]
    inlines = [EventInline]
    raw_id_fields = ["assigned_to"]

    def has_add_permission(self, request):
        return False  # intake goes through the form-01 page or the API (code sequence, due date)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        action = form.cleaned_data.get("action")
        if not action:
            return
        try:
            services.dossier_transition(
                dossier=obj, action=action, actor=request.user, reason=form.cleaned_data.get("action_reason") or "",
                new_due_date=form.cleaned_data.get("action_new_due_date"),
            )
        except services.TransitionError as error:
            messages.error(request, str(error))
        except ValidationError as error:
            messages.error(request, "; ".join(m for ms in error.message_dict.values() for m in ms))


@admin.register(Apology)
class ApologyAdmin(admin.ModelAdmin):
    list_display = ["dossier", "issued_at", "new_due_date", "timely", "signed_by"]
    list_filter = ["timely", "unit"]
    readonly_fields = ["dossier", "unit", "issued_at", "recorded_at", "reason", "new_due_date", "new_due_at", "timely",
                       "signed_by", "promise_overdue_at"]

    def has_add_permission(self, request):
        return False


class SubmissionFileInline(admin.TabularInline):
    model = SubmissionFile
    fields = ["position", "name", "original_name", "content_type", "size", "sha256"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """Read only: accepting and refusing go through the staff queue or the API."""

    list_display = ["reference", "unit", "procedure", "applicant_name", "status", "submitted_at", "flagged_at", "dossier"]
    list_filter = ["status", "unit"]
    search_fields = ["reference", "applicant_name"]
    list_select_related = ["unit", "procedure", "dossier"]
    readonly_fields = ["reference", "unit", "procedure", "status", "applicant_name", "applicant_phone", "applicant_email",
                       "applicant_address", "request_summary", "submitted_at", "due_at", "flagged_at", "decided_at",
                       "decided_by", "refuse_reason", "dossier"]
    fields = readonly_fields
    inlines = [SubmissionFileInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

