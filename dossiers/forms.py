"""Forms of the dossier pages: intake (form 01), actions, catalogue."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import PersonChoiceField, VietnameseDateField, VietnameseDateTimeField
from core.models import Field, User
from dossiers.models import Dossier, Procedure
from dossiers.services import ACTIONS

DOCUMENT_KINDS = [("original", _("Original")), ("copy", _("Copy")), ("certified", _("Certified copy"))]
# Thông tư 01/2023/TT-VPCP: each component is digitised at intake, or reused from the data of
# an earlier dossier, or stays on paper only.
DOCUMENT_SOURCES = [("paper", _("Paper only")), ("digitised", _("Digitised at intake")),
                    ("reused", _("Reused from an earlier dossier"))]


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
                source = data.get(f"source_{key}")
                result.append({"name": name, "kind": kind, "count": count,
                               "digitised": source == "digitised", "reused": source == "reused"})
        extra = (data.get("doc_other") or "").strip()
        if extra:
            result.append({"name": extra, "kind": "copy", "count": 1, "digitised": False, "reused": False})
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
        fields = ["code", "name", "field", "processing_days", "clock_on_supplement", "online", "fee", "legal_basis",
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


class SubmissionForm(BootstrapMixin, forms.Form):
    """The public online submission form. Field names are a stable interface (docs/domain/online-services.md):
    applicant_name, applicant_phone, applicant_email, applicant_address, request_summary,
    document_<n> (1-based, one per required document of the procedure), consent."""

    applicant_name = forms.CharField(label=_("Full name of the applicant"), max_length=255,
                                     error_messages={"required": _("Please enter your full name.")})
    applicant_phone = forms.RegexField(
        label=_("Phone"), max_length=20, regex=r"^\+?[0-9 .\-]{8,15}$",
        error_messages={"required": _("Please enter a phone number so that the unit can contact you."),
                        "invalid": _("Enter a phone number of 8 to 15 digits, for example 0901 234 567.")},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    applicant_email = forms.EmailField(
        label=_("E-mail (optional)"), required=False,
        error_messages={"invalid": _("Enter a valid e-mail address, such as ten@example.com.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    applicant_address = forms.CharField(label=_("Address"), max_length=500,
                                        error_messages={"required": _("Please enter your address.")},
                                        widget=forms.TextInput(attrs={"autocomplete": "street-address"}))
    request_summary = forms.CharField(label=_("Your request"), max_length=5000, required=False,
                                      widget=forms.Textarea(attrs={"rows": 3}))
    consent = forms.BooleanField(
        label=_("I confirm that the information and documents are true, and I agree that the unit uses them to handle this request."),
        error_messages={"required": _("Please confirm the information and give your consent.")},
    )
    # Honeypot: hidden from people by CSS; bots fill every field.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    ACCEPT = "application/pdf,image/jpeg,image/png,image/webp,image/heic,.heic"

    def __init__(self, *args, procedure, **kwargs):
        super().__init__(*args, **kwargs)
        self.procedure = procedure
        self.fields["applicant_name"].widget.attrs["autocomplete"] = "name"
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        for n, name in enumerate(procedure.required_documents, start=1):
            self.fields[f"document_{n}"] = forms.FileField(
                label=name, widget=forms.ClearableFileInput(attrs={"accept": self.ACCEPT}),
                error_messages={"required": _("Please attach this document (a photo or a PDF file).")},
            )
        self.style()

    @property
    def document_fields(self):
        return [self[f"document_{n}"] for n in range(1, len(self.procedure.required_documents) + 1)]

    @property
    def person_fields(self):
        return [self[name] for name in ("applicant_name", "applicant_phone", "applicant_email", "applicant_address",
                                        "request_summary")]

    def clean(self):
        from django.conf import settings

        from core.uploads import check_upload

        data = super().clean()
        checked, total = {}, 0
        for n in range(1, len(self.procedure.required_documents) + 1):
            upload = data.get(f"document_{n}")
            if not upload:
                continue
            try:
                checked[n] = check_upload(upload, max_size=settings.SUBMISSION_MAX_FILE_MB * 1024 * 1024)
            except forms.ValidationError as error:
                self.add_error(f"document_{n}", error)
                continue
            total += upload.size
        if total > settings.SUBMISSION_MAX_TOTAL_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The documents together are too large; all of them may be at most %(max)d MB. Please send smaller photos.")
                % {"max": settings.SUBMISSION_MAX_TOTAL_MB})
        data["files"] = checked
        return data

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class RefuseForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for refusing (the applicant reads it)"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": _("Give the reason for refusing: the applicant will read it.")})


class ResultForm(BootstrapMixin, forms.Form):
    """The electronic result at completion: a PDF staff attach, or one generated from
    the template with ``result_text`` as its content."""

    result_file = forms.FileField(label=_("Result file (PDF)"), required=False,
                                  widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}))
    result_generate = forms.BooleanField(label=_("Generate the result from the template"), required=False)
    result_text = forms.CharField(label=_("Content of the result"), required=False, max_length=10000,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def clean_result_file(self):
        from django.conf import settings

        from core.uploads import PDF_ONLY, check_upload

        upload = self.cleaned_data.get("result_file")
        if upload:
            check_upload(upload, max_size=settings.RESULT_MAX_FILE_MB * 1024 * 1024, allowed=PDF_ONLY)
        return upload

    def wanted(self) -> bool:
        return bool(self.cleaned_data.get("result_file") or self.cleaned_data.get("result_generate"))

    def file_bytes(self) -> bytes | None:
        upload = self.cleaned_data.get("result_file")
        if not upload:
            return None
        upload.seek(0)
        return upload.read()
