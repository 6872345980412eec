"""Reads for accounts: API tokens, OTP devices and the TOTP provisioning data."""

from base64 import b32encode
from dataclasses import dataclass
from urllib.parse import quote, urlencode
from uuid import UUID

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinergi.core import policy

from .models import ApiToken, User


def api_token_list_for_user(*, user: User) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first (never anyone else's)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def api_token_get_for_user(*, user: User, pk: UUID) -> ApiToken:
    """One of the user's own tokens; any other token is a 404."""
    token = api_token_list_for_user(user=user).filter(pk=pk).first()
    if token is None:
        raise Http404
    policy.require_visible(user, "accounts.view_api_token", token)
    return token


def totp_device_confirmed(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def totp_device_confirmed_exists(*, user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def otp_pending_step(*, user: User) -> str | None:
    """URL name of the 2FA step this signed-in user still owes (verify or setup), or None.

    Roles that read identities must enrol; anyone who enrolled voluntarily must verify too.
    """
    if not settings.SINERGI_REQUIRE_2FA:
        return None
    is_verified = getattr(user, "is_verified", None)
    if callable(is_verified) and is_verified():
        return None
    if totp_device_confirmed_exists(user=user):
        return "accounts:otp_verify"
    if user.needs_2fa:
        return "accounts:otp_setup"
    return None


def backup_codes_remaining(*, user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@dataclass(frozen=True)
class TotpProvisioning:
    uri: str
    secret: str  # base32, grouped by 4 for manual entry
    qr_svg: str  # inline <svg> markup, generated here: no external QR service sees the secret


def totp_provisioning(*, device: TOTPDevice) -> TotpProvisioning:
    """otpauth:// URI, base32 secret and QR code (SVG) for an authenticator app."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    issuer = settings.SINERGI_SITE_NAME
    user = device.user
    label = quote(f"{issuer}:{user.get_username()}")
    params = urlencode(
        {"secret": secret, "issuer": issuer, "algorithm": "SHA1", "digits": device.digits, "period": device.step}
    )
    uri = f"otpauth://totp/{label}?{params}"
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=15, border=2)
    svg = image.to_string(encoding="unicode")
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return TotpProvisioning(uri=uri, secret=grouped, qr_svg=svg)


# ---- The tenant's user administration ----------------------------------------------------------


def user_list_for_admin(
    *, user: User, q: str = "", role: str = "", agency_id: str = "", status: str = "active"
) -> QuerySet[User]:
    """The users of the administrator's tenant (PermissionDenied for anyone else), searchable by name,
    username or e-mail, filterable by role, agency and status ("active", "inactive" or "all")."""
    policy.require(user, "accounts.manage_users", user.tenant)
    qs = User.objects.filter(tenant_id=user.tenant_id).select_related("agency")  # type: ignore[misc]  # policy checked the tenant
    if q:
        qs = qs.filter(Q(full_name__icontains=q) | Q(username__icontains=q) | Q(email__icontains=q))
    if role:
        qs = qs.filter(role=role)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if status in ("active", "inactive"):
        qs = qs.filter(is_active=status == "active")
    return qs.order_by("full_name", "username")


def user_get_for_admin(*, user: User, pk: UUID | str) -> User:
    """One user of the administrator's tenant; another tenant's user (or no user) is a 404."""
    target = User.objects.filter(pk=pk, tenant_id=user.tenant_id).select_related("agency", "tenant").first()  # type: ignore[misc]  # None matches nobody
    if target is None:
        raise Http404
    policy.require_visible(user, "accounts.view_user", target)
    return target


def user_has_second_factor(*, user: User) -> bool:
    return totp_device_confirmed_exists(user=user)
