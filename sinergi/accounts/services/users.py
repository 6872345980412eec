"""Writes of the tenant's user administration: create, change, deactivate, password link, second-factor reset.

Every function checks its permission (accounts/policy.py) and audits in the same transaction. Two rules
need the data, not just the actor and the target, so they live here: a tenant always keeps one active
system administrator, and an agency must be an active one of the same tenant.
"""

import re
import secrets
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinergi.audit.services import record
from sinergi.core import policy
from sinergi.tenants.models import Agency, Tenant

from ..models import ApiToken, User
from ..roles import Role
from . import ERR_USERNAME_TAKEN

ERR_USERNAME = _("A username has 3 to 150 letters, digits and . _ - @ (no spaces).")
ERR_AGENCY = _("Choose an active agency of this tenant.")
ERR_ROLE_NOT_GRANTABLE = _("You may not give this role.")
ERR_LAST_ADMIN = _("The tenant must keep at least one active system administrator.")
ERR_REASON = _("Give the reason for the reset (10 to 500 characters): it is kept in the audit log.")
ERR_NO_EMAIL = _("This user has no e-mail address: set one first.")
ERR_EMAIL = _("Enter a valid e-mail address.")
ERR_NAME = _("Enter the user's full name (at most 150 characters).")
ERR_PHONE = _("A phone number has at most 40 characters.")

_USERNAME_RE = re.compile(r"^[\w.@+-]{3,150}$")

EVENT_CREATED = "account.user_created"
EVENT_UPDATED = "account.user_updated"
EVENT_ROLE_CHANGED = "account.role_changed"
EVENT_DEACTIVATED = "account.user_deactivated"
EVENT_REACTIVATED = "account.user_reactivated"
EVENT_PASSWORD_LINK = "account.password_link_sent"  # noqa: S105 (an audit action name)
EVENT_OTP_RESET = "account.otp_reset"


def _clean_agency(*, tenant: Tenant | None, agency: Agency | None, current: Agency | None = None) -> Agency:
    if agency is None or tenant is None or agency.tenant_id != tenant.pk:
        raise ValidationError({"agency": ERR_AGENCY})
    # An agency deactivated later keeps its users; nobody new is put in one.
    if not agency.is_active and (current is None or current.pk != agency.pk):
        raise ValidationError({"agency": ERR_AGENCY})
    return agency


def _clean_contact(*, full_name: str, email: str, phone: str) -> tuple[str, str, str]:
    full_name, email, phone = (full_name or "").strip(), (email or "").strip(), (phone or "").strip()
    if not full_name or len(full_name) > 150:
        raise ValidationError({"full_name": ERR_NAME})
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"email": ERR_EMAIL}) from None
    if len(phone) > 40:
        raise ValidationError({"phone": ERR_PHONE})
    return full_name, email, phone


def _check_grant(*, actor: User, role: str) -> None:
    if not policy.can(actor, "accounts.grant_role", role):
        raise ValidationError({"role": ERR_ROLE_NOT_GRANTABLE})


def _active_admins_left(*, tenant_id: Any, without: User) -> int:
    # The rows are locked (not just counted): two admins demoting each other at once cannot both pass.
    others = (
        User.objects.select_for_update()
        .filter(tenant_id=tenant_id, role=Role.SYSTEM_ADMIN, is_active=True)
        .exclude(pk=without.pk)
        .values_list("pk", flat=True)
    )
    return len(list(others))


def _end_sessions_and_tokens(*, user: User) -> int:
    """End every session (the session auth hash includes the generation) and revoke every API token."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def _queue_password_link(*, user: User, purpose: str) -> None:
    from .. import tasks

    user_id = str(user.pk)
    transaction.on_commit(lambda: tasks.send_password_link(user_id, purpose))


@transaction.atomic
def user_admin_create(
    *,
    actor: User,
    tenant: Tenant | None,
    username: str,
    role: str,
    agency: Agency | None,
    full_name: str,
    email: str = "",
    phone: str = "",
) -> tuple[User, str | None]:
    """Create a user of the tenant. With an e-mail address the user sets the first password through a
    one-time link sent there; without, a random initial password is returned to show once (else None)."""
    policy.require(actor, "accounts.manage_users", tenant)
    _check_grant(actor=actor, role=role)
    username = (username or "").strip()
    if not _USERNAME_RE.match(username):
        raise ValidationError({"username": ERR_USERNAME})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": ERR_USERNAME_TAKEN})
    agency = _clean_agency(tenant=tenant, agency=agency)
    full_name, email, phone = _clean_contact(full_name=full_name, email=email, phone=phone)
    user = User(
        username=username, tenant=tenant, agency=agency, role=role, full_name=full_name, email=email, phone=phone
    )
    initial_password = None
    if email:
        user.set_unusable_password()
    else:
        initial_password = "-".join(secrets.token_urlsafe(6) for _ in range(3))
        password_validation.validate_password(initial_password, user=user)
        user.set_password(initial_password)
    user.full_clean(exclude=["password"])
    user.save()
    record(
        actor=actor,
        action=EVENT_CREATED,
        obj=user,
        tenant=tenant,
        fields=["username", "role", "agency", "full_name", "email", "phone"],
        extra={"role": role, "agency": str(agency.pk), "first_sign_in": "link" if email else "shown_once"},
    )
    if email:
        _queue_password_link(user=user, purpose="welcome")
    return user, initial_password


@transaction.atomic
def user_admin_update(
    *,
    actor: User,
    user: User,
    full_name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    agency: Agency | None = None,
    role: str | None = None,
) -> User:
    """Change a user's name, contacts, agency and role (each only when given); audited by field name."""
    policy.require(actor, "accounts.change_user", user)
    user = User.objects.select_for_update().get(pk=user.pk)  # no join: FOR UPDATE refuses a nullable side
    changed: list[str] = []
    new_name, new_email, new_phone = _clean_contact(
        full_name=user.full_name if full_name is None else full_name,
        email=user.email if email is None else email,
        phone=user.phone if phone is None else phone,
    )
    for field, value in (("full_name", new_name), ("email", new_email), ("phone", new_phone)):
        if getattr(user, field) != value:
            setattr(user, field, value)
            changed.append(field)
    if agency is not None and agency.pk != user.agency_id:
        user.agency = _clean_agency(tenant=user.tenant, agency=agency, current=user.agency)
        changed.append("agency")
    old_role = user.role
    if role is not None and role != user.role:
        policy.require(actor, "accounts.change_user_role", user)
        _check_grant(actor=actor, role=role)
        if (
            old_role == Role.SYSTEM_ADMIN
            and user.is_active
            and not _active_admins_left(tenant_id=user.tenant_id, without=user)
        ):
            raise ValidationError({"role": ERR_LAST_ADMIN})
        user.role = role
        changed.append("role")
    if not changed:
        return user
    user.full_clean(exclude=["password"])
    user.save(update_fields=changed)
    record(actor=actor, action=EVENT_UPDATED, obj=user, fields=changed)
    if "role" in changed:
        record(actor=actor, action=EVENT_ROLE_CHANGED, obj=user, fields=["role"], extra={"from": old_role, "to": role})
    return user


@transaction.atomic
def user_admin_set_active(*, actor: User, user: User, is_active: bool) -> User:
    """Deactivate a user (every session and API token ends at once; their history stays) or reactivate one."""
    policy.require(actor, "accounts.deactivate_user", user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active == is_active:
        return user
    if (
        not is_active
        and user.role == Role.SYSTEM_ADMIN
        and not _active_admins_left(tenant_id=user.tenant_id, without=user)
    ):
        raise ValidationError(ERR_LAST_ADMIN)
    user.is_active = is_active
    user.save(update_fields=["is_active"])
    if is_active:
        record(actor=actor, action=EVENT_REACTIVATED, obj=user, fields=["is_active"])
    else:
        revoked = _end_sessions_and_tokens(user=user)
        record(actor=actor, action=EVENT_DEACTIVATED, obj=user, fields=["is_active"], extra={"tokens_revoked": revoked})
    return user


@transaction.atomic
def user_admin_send_password_link(*, actor: User, user: User) -> None:
    """E-mail the user a one-time link to set a new password (their second factor still applies)."""
    policy.require(actor, "accounts.reset_user_password", user)
    if not user.email:
        raise ValidationError(ERR_NO_EMAIL)
    record(actor=actor, action=EVENT_PASSWORD_LINK, obj=user, extra={"by_admin": True})
    _queue_password_link(user=user, purpose="reset")


@transaction.atomic
def user_admin_reset_otp(*, actor: User, user: User, reason: str) -> User:
    """Remove a user's lost second factor (authenticator and backup codes), with the reason recorded.

    The user must enrol again at the next sign-in; their sessions and API tokens end now, since whoever
    holds the lost device may hold those too.
    """
    policy.require(actor, "accounts.reset_user_otp", user)
    reason = (reason or "").strip()
    if not 10 <= len(reason) <= 500:
        raise ValidationError({"reason": ERR_REASON})
    user = User.objects.select_for_update().get(pk=user.pk)
    devices = TOTPDevice.objects.filter(user=user).count() + StaticDevice.objects.filter(user=user).count()
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    revoked = _end_sessions_and_tokens(user=user)
    record(
        actor=actor,
        action=EVENT_OTP_RESET,
        obj=user,
        extra={"reason": reason, "devices_removed": devices, "tokens_revoked": revoked},
    )
    return user
