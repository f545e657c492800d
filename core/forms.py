from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _


class PersonChoiceField(forms.ModelChoiceField):
    """A choice of colleague shown by full name ("Nguyễn Thị Lan"), not by login name."""

    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Wrong username or password. After 5 failed attempts the account is locked for 15 minutes."),
        "inactive": _("This account is disabled."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # AuthenticationForm sets max_length without its validator: a 10,000-character
        # username reached django-axes, whose varchar(255) column made the login fail (500).
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


# --- Dates as a Vietnamese office writes them (dd/mm/yyyy), whatever the browser's locale ---
# A text input rather than <input type="date">, whose display follows the browser's own
# language (mm/dd/yyyy on an English Chrome). ISO dates (the KPI links, the API) are still
# accepted. docs/domain/counting-and-words.md "Dates on the page".
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
DATE_PATTERN = r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}"
DATE_ATTRS = {"placeholder": "dd/mm/yyyy", "pattern": DATE_PATTERN, "inputmode": "numeric", "autocomplete": "off",
              "data-date-format": "dd/mm/yyyy"}


class VietnameseDateInput(forms.DateInput):
    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(attrs={**DATE_ATTRS, **(attrs or {})}, format="%d/%m/%Y")


class VietnameseDateTimeInput(forms.DateTimeInput):
    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(attrs={"placeholder": "dd/mm/yyyy hh:mm", "autocomplete": "off",
                                "pattern": r"\d{1,2}/\d{1,2}/\d{4}( \d{1,2}:\d{2})?", **(attrs or {})},
                         format="%d/%m/%Y %H:%M")


class VietnameseDateField(forms.DateField):
    """A date typed as dd/mm/yyyy (or ISO)."""

    widget = VietnameseDateInput
    input_formats = DATE_INPUT_FORMATS


class VietnameseDateTimeField(forms.DateTimeField):
    widget = VietnameseDateTimeInput
    input_formats = DATETIME_INPUT_FORMATS
