import time

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinergi.accounts.roles import Role


def totp_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app would show for `device` now (or `steps_ahead` periods later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def case_manager(make_user):
    return make_user(Role.CASE_MANAGER)


@pytest.fixture
def analyst(make_user):
    return make_user(Role.ANALYST)


@pytest.fixture
def confirmed_device(case_manager):
    return TOTPDevice.objects.create(user=case_manager, name="authenticator", confirmed=True)


@pytest.fixture
def logged_in(client):
    """`logged_in(user)`: the default test client with a password-only session (no second factor)."""

    def _login(user) -> Client:
        client.force_login(user)
        return client

    return _login


# ---- Personas of the user administration (fixed names: never a Faker name in an assertion) ---------


@pytest.fixture
def system_admin(make_user):
    return make_user(Role.SYSTEM_ADMIN, username="admin-kukar", full_name="Admin Kukar")


@pytest.fixture
def office_head(make_user):
    return make_user(Role.OFFICE_HEAD, username="kadis-kukar", full_name="Kepala Dinas Kukar")


@pytest.fixture
def other_admin(make_user, other_tenant):
    return make_user(Role.SYSTEM_ADMIN, tenant=other_tenant, username="admin-paser", full_name="Admin Paser")


@pytest.fixture
def staff_member(make_user):
    """A case manager of the tenant with an enrolled authenticator and an API token."""
    from sinergi.accounts.models import ApiToken

    user = make_user(Role.CASE_MANAGER, username="dewi-uptd", full_name="Dewi Lestari", email="dewi@uptd.example.org")
    TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    ApiToken.objects.create(user=user, name="integrasi", prefix="snrg_dewi", token_hash="d" * 64)
    return user
