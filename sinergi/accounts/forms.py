"""Input parsing only: the rules live in services/ and policy.py."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


def _cooloff_minutes() -> int:
    return int(settings.SINERGI_ACCOUNT_LOCKOUT_COOLOFF.total_seconds() // 60)


class LoginForm(AuthenticationForm):
    """Username + password. One error message for unknown users, wrong passwords and locked accounts alike:
    it always says to wait after many failures, so it never tells whether this account is locked."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Incorrect username or password. After many failed attempts no password is accepted for "
            "%(minutes)s minutes: if you are sure of yours, try again later."
        ),
    }

    def get_invalid_login_error(self) -> ValidationError:
        return ValidationError(
            self.error_messages["invalid_login"], code="invalid_login", params={"minutes": _cooloff_minutes()}
        )

    def confirm_login_allowed(self, user) -> None:
        # Inactive accounts are rejected by the backend already; never answer differently for them.
        if not user.is_active:
            raise self.get_invalid_login_error()


class SinergiPasswordChangeForm(PasswordChangeForm):
    """Django's form, with the old password checked through authenticate(): the account lockout's counter
    and lock apply to this password check as well."""

    def __init__(self, user, *args, request: HttpRequest | None = None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        checked = authenticate(self.request, username=self.user.get_username(), password=old_password)
        if checked is None or checked.pk != self.user.pk:
            raise ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password


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
        choices: list[tuple[int, Any]] = [(days, label) for days, label in self.EXPIRY_CHOICES if days <= max_days]
        if max_days not in {days for days, _label in choices}:
            choices.append((max_days, ngettext_lazy("%(count)d day", "%(count)d days", max_days) % {"count": max_days}))
        field: Any = self.fields["expires_in_days"]
        field.choices = choices
        field.initial = max_days


# ---- The tenant's user administration and the password reset ---------------------------------------


class _AgencyField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.short_name} — {obj.name}"


class UserAdminForm(forms.Form):
    """A user's details as the administrator edits them; `roles` are the ones the actor may grant."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("A new user with an e-mail address receives a link to set their password."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    role = forms.ChoiceField(label=_("Role"))
    agency = _AgencyField(label=_("Agency"), queryset=None)

    def __init__(self, *args, roles: list, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles  # type: ignore[attr-defined]  # a ChoiceField
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]  # a ModelChoiceField


class UserCreateForm(UserAdminForm):
    username = forms.CharField(label=_("Username"), max_length=150)
    field_order = ["username", "full_name", "email", "phone", "role", "agency"]


class OtpResetForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        min_length=10,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. “phone lost, identity checked in person by the office head”. Kept in the audit log."),
    )


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of your account"), max_length=254)
