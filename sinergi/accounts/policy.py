"""Account permissions: API tokens, the tenant's user administration and the Django admin."""

import rules

from sinergi.core.policy import has_role, in_same_tenant, is_office_head, is_system_admin, is_tenant_user

from .roles import USER_ADMIN_ROLES, Role, role_rank


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
# The API documentation link sits on the account page of users who hold a token; a Satgas PPA
# volunteer (phone intake only) never sees it.
rules.add_perm("accounts.view_api_docs", is_tenant_user & ~has_role(Role.SATGAS_VOLUNTEER))

# The Django admin sees every tenant, so it is for the deployment's operators only: a system
# administrator who is also a superuser (a tenant's own system admin is not), with a verified TOTP.
rules.add_perm("accounts.admin_eligible", rules.is_staff & rules.is_superuser & is_system_admin)
rules.add_perm("accounts.access_admin", rules.is_staff & rules.is_superuser & is_system_admin & is_otp_verified)


# ---- The tenant's user administration (system admin and office head, never across tenants) ----------


@rules.predicate
def is_self(user, target) -> bool:
    """The target account is the acting user's own."""
    return target is not None and target.pk == user.pk


@rules.predicate
def outranks_or_equals_target(user, target) -> bool:
    """The target's role is not above the actor's (an office head never manages a system admin)."""
    return target is not None and role_rank(target.role) <= role_rank(user.role)


@rules.predicate
def may_grant_role(user, role) -> bool:
    """A known role, not above the actor's own (only a system admin makes system admins)."""
    return role in Role.values and role_rank(role) <= role_rank(user.role)


is_user_admin = is_tenant_user & (is_system_admin | is_office_head)
assert {str(r) for r in USER_ADMIN_ROLES} == {Role.SYSTEM_ADMIN, Role.OFFICE_HEAD}

# obj = the tenant: list and search its users, create one.
rules.add_perm("accounts.manage_users", is_user_admin & in_same_tenant)
# obj = a user: see them in the administration (404 for another tenant's user).
rules.add_perm("accounts.view_user", is_user_admin & in_same_tenant)
# obj = a user: name, e-mail, phone, agency; send a password link.
rules.add_perm("accounts.change_user", is_user_admin & in_same_tenant & outranks_or_equals_target)
rules.add_perm("accounts.reset_user_password", is_user_admin & in_same_tenant & outranks_or_equals_target)
# Nobody changes their own role, deactivates themselves or resets their own second factor.
rules.add_perm("accounts.change_user_role", is_user_admin & in_same_tenant & outranks_or_equals_target & ~is_self)
rules.add_perm("accounts.deactivate_user", is_user_admin & in_same_tenant & outranks_or_equals_target & ~is_self)
rules.add_perm("accounts.reset_user_otp", is_user_admin & in_same_tenant & outranks_or_equals_target & ~is_self)
# obj = a role value.
rules.add_perm("accounts.grant_role", is_user_admin & may_grant_role)
