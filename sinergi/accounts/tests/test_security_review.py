"""Security review findings on accounts. Each xfail(strict=True) test describes a problem that exists
today; flip it once the finding is fixed."""

import pytest

from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent

LOGIN_URL = "/accounts/login/"
pytestmark = pytest.mark.django_db


def test_a_password_typed_into_the_username_field_is_not_kept_in_the_audit_trail(client):
    # A classic slip: the password goes into the username box. The audit trail is append-only and
    # exported to CSV, so whatever lands there can never be removed.
    typed = "Kucing-Oren-2026!"
    client.post(LOGIN_URL, {"username": typed, "password": "x"})
    event = AuditEvent.objects.get(action="account.login_failed")
    assert typed not in event.canonical_payload()


def test_a_tenants_system_admin_cannot_take_over_users_of_another_tenant_in_the_admin(
    client_for, make_user, other_tenant
):
    # In a shared installation (several kabupaten/kota on one server) the system administrator of one
    # regency must not edit another regency's accounts, e.g. move one into their own tenant.
    sysadmin = make_user(Role.SYSTEM_ADMIN, is_staff=True)
    stranger = make_user(Role.OFFICE_HEAD, tenant=other_tenant)
    client = client_for(sysadmin)
    change = client.get(f"/admin/accounts/user/{stranger.pk}/change/")
    listing = client.get("/admin/accounts/user/")
    assert change.status_code in (302, 403, 404)
    assert stranger.username not in listing.content.decode()
