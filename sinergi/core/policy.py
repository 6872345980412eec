"""The one permission policy. Every view and API endpoint asks `can`/`require` here.

Permissions are `rules` predicates registered per app in `sinergi/<app>/policy.py` (imported by
rules' autodiscovery). Object visibility for lists uses the same relations in selectors
(`Model.objects.visible_to(user)`), and anything not visible is a 404, never a 403.
"""

from typing import TYPE_CHECKING, Any

import rules
from django.core.exceptions import PermissionDenied
from django.http import Http404

from sinergi.core.roles import Role

from .tenancy import tenant_id_of

if TYPE_CHECKING:  # core imports no app model at run time
    from django.contrib.auth.models import AnonymousUser

    from sinergi.accounts.models import User


def can(user: "User | AnonymousUser | None", action: str, obj: Any = None) -> bool:
    """True when `user` may perform `action` (a registered permission name) on `obj`."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return rules.has_perm(action, user, obj)


def require(user: "User | AnonymousUser | None", action: str, obj: Any = None) -> None:
    """Raise PermissionDenied unless `can(user, action, obj)`."""
    if not can(user, action, obj):
        raise PermissionDenied


def require_visible(user: "User | AnonymousUser | None", action: str, obj: Any) -> None:
    """Like `require`, but a refusal is a 404: used where the object must not be revealed."""
    if not can(user, action, obj):
        raise Http404


# ---- Shared predicates -----------------------------------------------------------------------


@rules.predicate
def is_tenant_user(user) -> bool:
    return bool(user.is_authenticated and user.tenant_id and user.tenant.is_active)


@rules.predicate
def in_same_tenant(user, obj) -> bool:
    """The object (or the tenant itself) belongs to the user's tenant."""
    if obj is None or not user.tenant_id:
        return False
    tenant_id = tenant_id_of(obj)
    return tenant_id is not None and tenant_id == user.tenant_id


def has_role(*roles: Role) -> rules.Predicate:
    names = frozenset(str(r) for r in roles)

    @rules.predicate(name=f"has_role({','.join(sorted(names))})")
    def _has_role(user) -> bool:
        return user.role in names

    return _has_role


is_system_admin = has_role(Role.SYSTEM_ADMIN)
is_office_head = has_role(Role.OFFICE_HEAD)
is_case_manager = has_role(Role.CASE_MANAGER)
is_supervisor = has_role(Role.OFFICE_HEAD, Role.SYSTEM_ADMIN)
