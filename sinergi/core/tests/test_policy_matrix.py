"""Table-driven policy test: role × action × (own tenant / other tenant) through the one policy module."""

import pytest

from sinergi.accounts.roles import Role
from sinergi.core import policy
from sinergi.tenants.tests.factories import AgencyFactory

R = Role
ALL = set(Role)
CASE_WORKERS = {R.CASE_MANAGER, R.OFFICE_HEAD}

# action -> (object kind, roles allowed on their own tenant). On the other tenant: nobody, ever.
MATRIX = {
    "tenants.view_tenant": ("tenant", ALL),
    "tenants.view_agency": ("agency", ALL),
    "tenants.add_agency": ("tenant", {R.SYSTEM_ADMIN, R.OFFICE_HEAD}),
    "tenants.manage_agency": ("agency", {R.SYSTEM_ADMIN, R.OFFICE_HEAD}),
    "audit.view_auditevent": ("tenant", {R.OFFICE_HEAD, R.SYSTEM_ADMIN}),
    "audit.export_auditevent": ("tenant", {R.OFFICE_HEAD, R.SYSTEM_ADMIN}),
    "cases.create_case": ("tenant", CASE_WORKERS | {R.SATGAS_VOLUNTEER}),
    "cases.check_duplicates": ("tenant", CASE_WORKERS),
    "cases.assign_case_any": ("tenant", set()),  # unknown permission: denied for everyone
}

CASES = [(action, role, own) for action in MATRIX for role in Role for own in (True, False)]


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "role", "own_tenant"), CASES)
def test_policy_matrix(action, role, own_tenant, make_user, tenant, other_tenant):
    user = make_user(role)
    target_tenant = tenant if own_tenant else other_tenant
    kind, allowed_roles = MATRIX[action]
    obj = target_tenant if kind == "tenant" else AgencyFactory(tenant=target_tenant)
    expected = own_tenant and role in allowed_roles
    assert policy.can(user, action, obj) is expected


@pytest.mark.django_db
def test_inactive_or_anonymous_users_can_do_nothing(make_user, tenant):
    from django.contrib.auth.models import AnonymousUser

    user = make_user(Role.OFFICE_HEAD)
    user.is_active = False
    assert not policy.can(user, "tenants.view_tenant", tenant)
    assert not policy.can(AnonymousUser(), "tenants.view_tenant", tenant)


@pytest.mark.django_db
def test_user_without_tenant_sees_no_tenant(make_user, tenant):
    user = make_user(Role.OFFICE_HEAD, tenant=None, agency=None)
    assert not policy.can(user, "tenants.view_tenant", tenant)
