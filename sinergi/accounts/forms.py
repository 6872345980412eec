"""Input parsing only: the rules live in services.py and policy.py."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Username + password. One error message for unknown users and wrong passwords alike."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Incorrect username or password."),
        # Inactive accounts are rejected by the backend and get the same message as a wrong password.
        "inactive": _("Incorrect username or password."),
    }


class OtpTokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        help_text=_("6-digit code, or a backup code."),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )


class OtpSetupForm(forms.Form):
    token = forms.CharField(
        label=_("6-digit code"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
    )


class ApiTokenCreateForm(forms.Form):
    EXPIRY_CHOICES = [
        ("30", _("30 days")),
        ("90", _("90 days")),
        ("365", _("1 year")),
        ("", _("Never")),
    ]

    name = forms.CharField(label=_("Token name"), max_length=100)
    expires_in_days = forms.TypedChoiceField(
        label=_("Expires after"),
        choices=EXPIRY_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        initial="90",
    )
