"""Input parsing only: the rules live in services.py and policy.py."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


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
    # Every token expires; the choices longer than the configured maximum are left out.
    EXPIRY_CHOICES = [
        (7, _("7 days")),
        (30, _("30 days")),
        (90, _("90 days")),
    ]

    name = forms.CharField(label=_("Token name"), max_length=100)
    # Left empty: the longest lifetime allowed (the service decides, so HTML and API agree).
    expires_in_days = forms.TypedChoiceField(label=_("Expires after"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, max_days: int, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(days, label) for days, label in self.EXPIRY_CHOICES if days <= max_days]
        if max_days not in {days for days, _label in choices}:
            choices.append((max_days, ngettext_lazy("%(count)d day", "%(count)d days", max_days) % {"count": max_days}))
        field = self.fields["expires_in_days"]
        field.choices = choices
        field.initial = max_days
