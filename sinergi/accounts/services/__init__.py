"""Writes for accounts: sign-in events, sessions, passwords, TOTP enrolment and API tokens.

The user administration (users.py) and the password links (password_reset.py) are re-exported below.
"""

import re
from datetime import timedelta

from django.contrib.auth import password_validation
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinergi.audit.services import record
from sinergi.core import policy
from sinergi.tenants.models import Agency, Tenant

from ..models import ApiToken, User, api_token_max_days
from ..roles import Role

BACKUP_CODE_COUNT = 10
BACKUP_DEVICE_NAME = "backup"
TOTP_DEVICE_NAME = "authenticator"
API_TOKEN_MAX_ACTIVE = 20

ERR_ALREADY_ENROLLED = _("Two-factor authentication is already set up for this account.")
ERR_TOKEN_NAME = _("Give the token a name (at most 100 characters).")
ERR_TOKEN_EXPIRY = _("The expiry must be between 1 and %(max)d days.")
ERR_TOKEN_LIMIT = _("You have too many active tokens. Revoke one first.")
ERR_AGENCY_TENANT = _("The agency does not belong to this tenant.")
ERR_ROLE = _("Unknown role.")
ERR_USERNAME_TAKEN = _("A user with that username already exists.")

_TOTP_TOKEN_RE = re.compile(r"^\d{6,8}$")


# ---- Sign-in and sessions --------------------------------------------------------------------


@transaction.atomic
def login_record(*, user: User) -> None:
    """Audit a successful password sign-in (the second factor is audited separately)."""
    record(actor=user, action="account.login", obj=user)


@transaction.atomic
def login_failed_record(*, username: str, locked_out: bool = False) -> None:
    """Audit a failed sign-in. The typed name is kept only when it is a real username: people type
    their password into the username box, and the audit trail can never be edited."""
    username = (username or "")[:150]
    user = User.objects.filter(username=username).only("pk", "tenant_id").first() if username else None
    extra = {"username": username} if user is not None else {"unknown_username": True}
    record(
        actor=AnonymousUser(),
        action="account.login_failed",
        obj=user,
        extra={**extra, "locked_out": bool(locked_out)},
    )


@transaction.atomic
def logout_record(*, user: User) -> None:
    record(actor=user, action="account.logout", obj=user)


@transaction.atomic
def user_logout_everywhere(*, actor: User) -> None:
    """End every session of the actor (the session auth hash includes `session_generation`) and
    revoke every API token: "log out everywhere" is what a user does after losing a device, and a
    key copied from that device must stop working as well."""
    User.objects.filter(pk=actor.pk).update(session_generation=F("session_generation") + 1)
    actor.refresh_from_db(fields=["session_generation"])
    revoked = ApiToken.objects.filter(user=actor, revoked_at__isnull=True).update(revoked_at=timezone.now())
    record(actor=actor, action="account.logout_all", obj=actor, extra={"tokens_revoked": revoked})


@transaction.atomic
def user_password_change(*, actor: User, new_password: str) -> None:
    """Set a new password (validated). Other sessions end because the session auth hash changes."""
    password_validation.validate_password(new_password, user=actor)
    actor.set_password(new_password)
    actor.save(update_fields=["password"])
    record(actor=actor, action="account.password_changed", obj=actor, fields=["password"])


# ---- Two-factor authentication ---------------------------------------------------------------


def otp_setup_start(*, user: User) -> TOTPDevice:
    """The user's pending (unconfirmed) TOTP device, created on first use; refused once enrolled."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError(ERR_ALREADY_ENROLLED)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def otp_setup_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the pending device with a code from the app.

    Returns the new single-use backup codes (to show once), or None when the code is wrong.
    A wrong code must not raise inside the transaction: the device's failure counter
    (exponential throttling) has to be committed.
    """
    token = _normalize_token(token)
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().filter(pk=device.pk, user=user, confirmed=False).first()
        if locked is None:
            raise ValidationError(ERR_ALREADY_ENROLLED)
        if not (_TOTP_TOKEN_RE.match(token) and locked.verify_token(token)):
            return None
        locked.confirmed = True
        locked.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        codes = _backup_codes_replace(user=user)
        record(actor=user, action="account.otp_enrolled", obj=user, extra={"device": "totp"})
    device.confirmed = True
    device.last_t = locked.last_t
    return codes


def otp_verify(*, user: User, token: str) -> Device | None:
    """Check a TOTP code or a backup code against the user's confirmed devices.

    Returns the device that accepted it (then the caller marks the session verified) or None.
    Each device throttles itself after failures (django-otp), and every attempt is audited.
    """
    token = _normalize_token(token)
    if _TOTP_TOKEN_RE.match(token):
        candidates: list[Device] = list(TOTPDevice.objects.filter(user=user, confirmed=True))
        method = "totp"
    else:
        candidates = list(StaticDevice.objects.filter(user=user, confirmed=True))
        method = "backup_code"
    matched = None
    for candidate in candidates:
        with transaction.atomic():
            device = type(candidate).objects.select_for_update().get(pk=candidate.pk)
            if token and device.verify_token(token):
                matched = device
                break
    with transaction.atomic():
        if matched is None:
            record(actor=user, action="account.otp_failed", obj=user, extra={"method": method})
        else:
            record(actor=user, action="account.otp_verified", obj=user, extra={"method": method})
    return matched


@transaction.atomic
def backup_codes_regenerate(*, actor: User) -> list[str]:
    """Replace the actor's backup codes with fresh ones (old ones stop working)."""
    policy.require(actor, "accounts.regenerate_backup_codes")
    codes = _backup_codes_replace(user=actor)
    record(actor=actor, action="account.backup_codes_regenerated", obj=actor)
    return codes


def _backup_codes_replace(*, user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    device.token_set.all().delete()
    codes: list[str] = []
    while len(codes) < BACKUP_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def _normalize_token(token: str) -> str:
    return re.sub(r"[\s-]", "", token or "").lower()[:16]


# ---- API tokens ------------------------------------------------------------------------------


@transaction.atomic
def api_token_create(*, actor: User, name: str, expires_in_days: int | None = None) -> tuple[ApiToken, str]:
    """Create an API token. Returns the token and its plaintext key, which is never stored.

    Every token expires: after `expires_in_days`, or after the maximum when none is given.
    """
    policy.require(actor, "accounts.create_api_token")
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationError({"name": ERR_TOKEN_NAME})
    max_days = api_token_max_days()
    if expires_in_days is None:
        expires_in_days = max_days
    if not 1 <= expires_in_days <= max_days:
        raise ValidationError({"expires_in_days": ValidationError(ERR_TOKEN_EXPIRY, params={"max": max_days})})
    now = timezone.now()
    active = ApiToken.objects.filter(user=actor, revoked_at__isnull=True).exclude(expires_at__lte=now).count()
    if active >= API_TOKEN_MAX_ACTIVE:
        raise ValidationError(ERR_TOKEN_LIMIT)
    key = ApiToken.generate_key()
    token = ApiToken.objects.create(
        user=actor,
        name=name,
        prefix=key[:12],
        token_hash=ApiToken.hash_key(key),
        expires_at=now + timedelta(days=expires_in_days),
    )
    record(
        actor=actor,
        action="account.token_created",
        obj=token,
        extra={"name": name, "expires_in_days": expires_in_days},
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke one of the actor's tokens; revoking twice changes nothing."""
    policy.require(actor, "accounts.revoke_api_token", token)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor=actor, action="account.token_revoked", obj=token, extra={"name": token.name})
    return token


# ---- Operators -------------------------------------------------------------------------------


@transaction.atomic
def user_create(
    *,
    tenant: Tenant,
    agency: Agency,
    role: str,
    username: str,
    password: str,
    full_name: str = "",
    email: str = "",
    is_staff: bool = False,
    actor: User | None = None,
) -> User:
    """Create a user in a tenant and agency, with a password that passes the validators."""
    if role not in Role.values:
        raise ValidationError({"role": ERR_ROLE})
    if agency.tenant_id != tenant.pk:
        raise ValidationError({"agency": ERR_AGENCY_TENANT})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": ERR_USERNAME_TAKEN})
    user = User(
        username=username,
        tenant=tenant,
        agency=agency,
        role=role,
        full_name=full_name,
        email=email,
        is_staff=is_staff,
    )
    password_validation.validate_password(password, user=user)
    user.set_password(password)
    user.full_clean()
    user.save()
    record(
        actor=actor,
        action="account.user_created",
        obj=user,
        tenant=tenant,
        fields=["username", "role", "tenant", "agency", "is_staff"],
        extra={"role": role, "is_staff": is_staff},
    )
    return user


# ---- The tenant's user administration and password links (one module each, re-exported) -----------

from .password_reset import password_link_send as password_link_send  # noqa: E402
from .password_reset import password_link_user as password_link_user  # noqa: E402
from .password_reset import password_reset_complete as password_reset_complete  # noqa: E402
from .password_reset import password_reset_request as password_reset_request  # noqa: E402
from .users import user_admin_create as user_admin_create  # noqa: E402
from .users import user_admin_reset_otp as user_admin_reset_otp  # noqa: E402
from .users import user_admin_send_password_link as user_admin_send_password_link  # noqa: E402
from .users import user_admin_set_active as user_admin_set_active  # noqa: E402
from .users import user_admin_update as user_admin_update  # noqa: E402
