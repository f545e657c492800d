"""Forms of the dossier pages: intake (form 01), actions, catalogue."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import PersonChoiceField, VietnameseDateField, VietnameseDateTimeField
from core.models import Field, User
from dossiers.models import Dossier, Procedure
from dossiers.services import ACTIONS

DOCUMENT_KINDS = [("original", _("Original")), ("copy", _("Copy")), ("certified", _("Certified copy"))]


class BootstrapMixin:
    """Bootstrap classes on every widget, red when the field has an error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()

    def full_clean(self):
        super().full_clean()
        self.style()

    def style(self):
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            if self._errors and name in self._errors:
                css += " is-invalid"
            widget.attrs["class"] = css


class IntakeForm(BootstrapMixin, forms.Form):
    """Form 01: giấy tiếp nhận hồ sơ và hẹn trả kết quả."""

    procedure = forms.ModelChoiceField(queryset=Procedure.objects.none(), label=_("Procedure"))
    applicant_name = forms.CharField(label=_("Applicant's full name"), max_length=255)
    applicant_id_number = forms.CharField(label=_("ID number"), max_length=20, required=False)
    applicant_address = forms.CharField(label=_("Address"), max_length=500, required=False)
    applicant_phone = forms.RegexField(
        label=_("Phone"), max_length=20, regex=r"^[0-9 +().-]{8,20}$",
        error_messages={"invalid": _("Enter a phone number, e.g. 0901 234 567.")},
    )
    applicant_email = forms.EmailField(label=_("E-mail"), required=False)
    representative_name = forms.CharField(label=_("Authorised representative (if any)"), max_length=255, required=False)
    request_summary = forms.CharField(label=_("Request"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    sets_count = forms.IntegerField(label=_("Number of sets"), min_value=1, max_value=20, initial=1)
    result_delivery = forms.ChoiceField(label=_("Where the result is collected"), choices=Dossier.Delivery.choices,
                                        initial=Dossier.Delivery.DESK)
    register_book = forms.CharField(label=_("Register book"), max_length=50, required=False)
    register_line = forms.IntegerField(label=_("Line in the register"), min_value=1, required=False)
    received_at = VietnameseDateTimeField(
        label=_("Received at"), required=False,
        help_text=_("Leave empty for now; fill in to log a dossier received on paper earlier."),
    )
    assigned_to = PersonChoiceField(queryset=User.objects.none(), label=_("Handled by"), required=False)

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["procedure"].queryset = Procedure.objects.filter(unit=unit, is_active=True).select_related("field")
        self.fields["assigned_to"].queryset = User.objects.filter(unit=unit, is_active=True).order_by("first_name")
        self.fields["applicant_name"].widget.attrs["autofocus"] = True
        self.fields["applicant_phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})

    def clean_received_at(self):
        value = self.cleaned_data.get("received_at")
        if value and value > timezone.now():
            raise forms.ValidationError(_("The intake time cannot be in the future."))
        return value

    def documents(self, data) -> list[dict]:
        """The ticked checklist: doc_<procedure>_<i> checkbox, kind_…, count_… per required document."""
        procedure = self.cleaned_data.get("procedure")
        if procedure is None:
            return []
        result = []
        for i, name in enumerate(procedure.required_documents):
            key = f"{procedure.pk}_{i}"
            if data.get(f"doc_{key}"):
                kind = data.get(f"kind_{key}") if data.get(f"kind_{key}") in dict(DOCUMENT_KINDS) else "copy"
                try:
                    count = max(1, min(int(data.get(f"count_{key}") or 1), 99))
                except ValueError:
                    count = 1
                result.append({"name": name, "kind": kind, "count": count})
        extra = (data.get("doc_other") or "").strip()
        if extra:
            result.append({"name": extra, "kind": "copy", "count": 1})
        return result


class ActionForm(BootstrapMixin, forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    at = VietnameseDateTimeField(
        label=_("Effective time"), required=False,
        help_text=_("Leave empty for now; fill in when logging after the fact."),
    )
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    new_due_date = VietnameseDateField(label=_("New return date"), required=False)


class ProcedureForm(BootstrapMixin, forms.ModelForm):
    required_documents_text = forms.CharField(
        label=_("Required documents"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One document per line."),
    )

    class Meta:
        model = Procedure
        fields = ["code", "name", "field", "processing_days", "clock_on_supplement", "fee", "legal_basis",
                  "is_published", "is_active"]
        widgets = {"legal_basis": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].queryset = Field.objects.filter(has_procedures=True)
        if self.instance.pk:
            self.fields["required_documents_text"].initial = "\n".join(self.instance.required_documents)

    def clean(self):
        data = super().clean()
        text = data.get("required_documents_text") or ""
        data["required_documents"] = [line.strip() for line in text.splitlines() if line.strip()]
        return data


class TrackForm(BootstrapMixin, forms.Form):
    code = forms.CharField(
        label=_("Dossier code"), max_length=64,
        # A phone keyboard types capitals and must not autocorrect (a space after each dot).
        widget=forms.TextInput(attrs={
            "autocapitalize": "characters", "autocorrect": "off", "spellcheck": "false", "autocomplete": "off",
        }),
    )
    phone = forms.RegexField(
        label=_("Last 4 digits of the phone number"), regex=r"^\d{4}$", max_length=4,
        error_messages={"invalid": _("Enter exactly 4 digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_code(self):
        """As printed on the receipt (upper case, no spaces), whatever the keyboard typed."""
        return "".join(self.cleaned_data["code"].split()).upper()
