import pytest

from sinergi.accounts.roles import Role
from sinergi.audit.services import record
from sinergi.core import policy


@pytest.mark.parametrize("role", [Role.OFFICE_HEAD, Role.SYSTEM_ADMIN])
def test_supervisors_may_view_and_export_their_tenant_trail(make_user, tenant, role):
    user = make_user(role)
    event = record(actor=user, action="a.b")
    for perm in ("audit.view_auditevent", "audit.export_auditevent"):
        assert policy.can(user, perm, tenant)
        assert policy.can(user, perm, event)


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.OFFICE_HEAD, Role.SYSTEM_ADMIN)])
def test_other_roles_may_not_read_the_trail(make_user, tenant, role):
    user = make_user(role)
    assert not policy.can(user, "audit.view_auditevent", tenant)
    assert not policy.can(user, "audit.export_auditevent", tenant)


def test_a_supervisor_of_another_tenant_may_not(make_user, tenant, other_tenant):
    head_a = make_user(Role.OFFICE_HEAD)
    head_b = make_user(Role.OFFICE_HEAD, tenant=other_tenant)
    event = record(actor=head_a, action="a.b")
    assert not policy.can(head_b, "audit.view_auditevent", tenant)
    assert not policy.can(head_b, "audit.view_auditevent", event)


def test_nobody_may_change_or_delete_events(make_user, tenant):
    admin = make_user(Role.SYSTEM_ADMIN, is_superuser=True, is_staff=True)
    event = record(actor=admin, action="a.b")
    for perm in ("audit.change_auditevent", "audit.delete_auditevent", "audit.add_auditevent"):
        assert not policy.can(admin, perm, event)
        assert not policy.can(admin, perm, tenant)


def test_an_inactive_tenant_closes_the_trail(make_user, tenant):
    head = make_user(Role.OFFICE_HEAD)
    tenant.is_active = False
    tenant.save()
    head.refresh_from_db()
    assert not policy.can(head, "audit.view_auditevent", tenant)
