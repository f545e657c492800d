from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _


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
