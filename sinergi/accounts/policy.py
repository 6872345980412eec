"""Account permissions: API tokens and the Django admin."""

import rules

from sinergi.core.policy import is_system_admin, is_tenant_user


@rules.predicate
def is_otp_verified(user) -> bool:
    """The current session passed a second factor (django-otp sets `is_verified` per request)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(callable(is_verified) and is_verified())


@rules.predicate
def is_token_owner(user, token) -> bool:
    """The API token belongs to the user."""
    return token is not None and token.user_id == user.pk


# Tokens count as 2FA-verified credentials, so only a verified session may mint one.
rules.add_perm("accounts.create_api_token", is_tenant_user & is_otp_verified)
rules.add_perm("accounts.view_api_token", is_token_owner)
rules.add_perm("accounts.revoke_api_token", is_token_owner)
rules.add_perm("accounts.regenerate_backup_codes", is_otp_verified)

# The Django admin sees every tenant, so it is for the deployment's operators only: a system
# administrator who is also a superuser (a tenant's own system admin is not), with a verified TOTP.
rules.add_perm("accounts.admin_eligible", rules.is_staff & rules.is_superuser & is_system_admin)
rules.add_perm("accounts.access_admin", rules.is_staff & rules.is_superuser & is_system_admin & is_otp_verified)
