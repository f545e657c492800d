from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from core.forms import PersonChoiceField, VietnameseDateField, VietnameseDateInput
from feedback.models import Feedback
from feedback.spam import HONEYPOT_FIELD
from feedback.uploads import MAX_FILES, check_upload


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/heic,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


phone_validator = RegexValidator(
    r"^\+?[0-9 .\-]{8,15}$", _("Enter a phone number of 8 to 15 digits, for example 0901 234 567.")
)


class FeedbackForm(forms.Form):
    """The public form. Field names are part of docs/interfaces.md (kind, subject, content,
    name, phone, email)."""

    kind = forms.ChoiceField(
        label=_("Kind"), choices=Feedback.Kind.choices, initial=Feedback.Kind.PHAN_ANH, widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of feedback."), "invalid_choice": _("Choose the kind of feedback.")},
    )
    subject = forms.CharField(
        label=_("Subject"), max_length=200, min_length=5,
        error_messages={
            "required": _("Enter a subject."),
            "min_length": _("The subject is too short (at least %(limit_value)d characters)."),
            "max_length": _("The subject is too long (at most %(limit_value)d characters)."),
        },
    )
    content = forms.CharField(
        label=_("Content"), widget=forms.Textarea(attrs={"rows": 6}), min_length=10, max_length=5000,
        error_messages={
            "required": _("Describe your feedback."),
            "min_length": _("Please describe your feedback in a little more detail (at least %(limit_value)d characters)."),
            "max_length": _("The content is too long (at most %(limit_value)d characters)."),
        },
    )
    name = forms.CharField(label=_("Your name"), max_length=120, required=False)
    phone = forms.CharField(
        label=_("Phone"), max_length=20, required=False, validators=[phone_validator],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail"), required=False, error_messages={"invalid": _("Enter a valid e-mail address, such as ten@example.com.")},
    )
    consent_publish = forms.BooleanField(
        label=_("I agree that my feedback and its answer may be published on the unit's page, without my name, phone or e-mail."),
        required=False, initial=True,
    )
    attachments = MultipleFileField(
        label=_("Attachments (optional)"), required=False,
        help_text=_("Up to 3 photos (JPEG, PNG, WebP, HEIC) or PDF files, 5 MB each. They are seen only by the unit's staff."),
    )
    # Honeypot: hidden from people by CSS; bots fill every field.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields[HONEYPOT_FIELD].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_FILES:
            raise ValidationError(_("Attach at most %(count)d files.") % {"count": MAX_FILES})
        checked, errors = [], []
        for upload in files:
            try:
                checked.append(check_upload(upload))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return checked

    def is_bot(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD))


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer to the sender"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000,
        error_messages={"required": _("Write the answer before sending it.")},
    )


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
        error_messages={"required": _("Write the note.")},
    )


class AssignForm(forms.Form):
    assignee = PersonChoiceField(label=_("Handled by"), queryset=None, required=False, empty_label=_("Nobody"))

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        from core.models import User

        self.fields["assignee"].queryset = User.objects.filter(
            unit=unit, is_active=True, role__in=[User.Role.STAFF, User.Role.PRINCIPAL]
        ).order_by("first_name", "username")


class PublishForm(forms.Form):
    """What the public will see; staff may shorten or anonymise the sender's words."""

    public_subject = forms.CharField(label=_("Published subject"), max_length=255, error_messages={"required": _("Enter a subject.")})
    public_content = forms.CharField(
        label=_("Published content"), widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=5000,
        help_text=_("Remove anything that identifies the sender or a child."),
    )
    public_answer = forms.CharField(
        label=_("Published answer"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10000,
        error_messages={"required": _("A published item needs an answer.")},
    )


class ComplaintForm(forms.Form):
    procedure = forms.ModelChoiceField(label=_("Procedure"), queryset=None, empty_label=None)

    def __init__(self, *args, procedures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = procedures


class InboxFilterForm(forms.Form):
    """The inbox's narrowing, as the KPI dashboard links to it: received between two
    dates (YYYY-MM-DD, both included), answered, answered by the deadline, answered and
    publishable, published."""

    received_from = VietnameseDateField(label=_("Received from"), required=False,
                                        widget=VietnameseDateInput(attrs={"class": "form-control form-control-sm"}))
    received_to = VietnameseDateField(label=_("Received to"), required=False,
                                      widget=VietnameseDateInput(attrs={"class": "form-control form-control-sm"}))
    answered = forms.BooleanField(label=_("Answered"), required=False)
    on_time = forms.BooleanField(label=_("Answered by the deadline"), required=False)
    publishable = forms.BooleanField(label=_("Publishable"), required=False)
    published = forms.BooleanField(label=_("Published"), required=False)

    CHECKS = ("answered", "on_time", "publishable", "published")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.CHECKS:
            self.fields[name].widget.attrs["class"] = "form-check-input"

    def clean(self):
        data = super().clean()
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            raise ValidationError({"received_to": _("The end of the period must not be before its start.")})
        return data

    def narrow(self) -> dict:
        """Keyword arguments for ``feedback.selectors.inbox_items`` (empty when invalid)."""
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}

    @property
    def checks(self):
        return [self[name] for name in self.CHECKS]

    @property
    def is_active(self) -> bool:
        return bool(self.narrow())


class RatingForm(forms.Form):
    """The sender's rating of the answer: 1 (very dissatisfied) to 5 (very satisfied)."""

    SCORES = [
        (5, _("Very satisfied")), (4, _("Satisfied")), (3, _("Neither satisfied nor dissatisfied")),
        (2, _("Dissatisfied")), (1, _("Very dissatisfied")),
    ]
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with the answer?"), choices=SCORES, coerce=int, widget=forms.RadioSelect,
        error_messages={"required": _("Choose a rating from 1 to 5."), "invalid_choice": _("Choose a rating from 1 to 5.")},
    )
    comment = forms.CharField(label=_("Your comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
