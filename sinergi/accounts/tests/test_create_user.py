import io

import pytest
from django.core.management import CommandError, call_command

from sinergi.accounts.models import User
from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent
from sinergi.tenants.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db
GOOD_PASSWORD = "Sungai Mahakam 2026!"


@pytest.fixture
def uptd(tenant):
    return AgencyFactory(tenant=tenant, short_name="UPTD-PPA")


def _run(*args, password=GOOD_PASSWORD):
    out = io.StringIO()
    call_command("create_user", *args, "--password-stdin", stdin=io.StringIO(password + "\n"), stdout=out)
    return out.getvalue()


def test_it_creates_a_user_in_the_tenant_and_agency(uptd):
    out = _run("--tenant", "64.02", "--agency", "uptd-ppa", "--role", "case_manager", "--username", "siti")
    user = User.objects.get(username="siti")
    assert (user.tenant, user.agency, user.role) == (uptd.tenant, uptd, Role.CASE_MANAGER)
    assert user.check_password(GOOD_PASSWORD)
    assert not user.is_staff
    assert "two-factor" in out
    assert AuditEvent.objects.filter(action="account.user_created", object_id=str(user.pk)).exists()


def test_staff_flag_is_explicit(uptd):
    _run("--tenant", "64.02", "--agency", "UPTD-PPA", "--role", "system_admin", "--username", "admin1", "--staff")
    assert User.objects.get(username="admin1").is_staff


@pytest.mark.parametrize("weak", ["pendek", "password1234", "98765432109876"])
def test_it_applies_the_password_validators(uptd, weak):
    with pytest.raises(CommandError):
        _run("--tenant", "64.02", "--agency", "UPTD-PPA", "--role", "case_manager", "--username", "siti", password=weak)
    assert not User.objects.filter(username="siti").exists()


def test_unknown_tenant_or_agency_is_refused(uptd, other_tenant):
    AgencyFactory(tenant=other_tenant, short_name="DINSOS")
    with pytest.raises(CommandError, match="No tenant"):
        _run("--tenant", "99.99", "--agency", "UPTD-PPA", "--role", "analyst", "--username", "x1")
    with pytest.raises(CommandError, match="No agency"):
        _run("--tenant", "64.02", "--agency", "DINSOS", "--role", "analyst", "--username", "x1")
    assert not User.objects.filter(username="x1").exists()


def test_duplicate_username_is_refused(uptd, make_user):
    make_user(username="siti")
    with pytest.raises(CommandError):
        _run("--tenant", "64.02", "--agency", "UPTD-PPA", "--role", "analyst", "--username", "SITI")
