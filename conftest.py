"""Shared fixtures: two tenants, users per role, and clients logged in with a verified 2FA session."""

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinergi.accounts.roles import Role
from sinergi.accounts.tests.factories import UserFactory
from sinergi.tenants.tests.factories import TenantFactory


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.SINERGI_PRIVATE_STORAGE = tmp_path / "private"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and throttles must not leak from one test into the next."""
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache

    # The database cache lives in the test database and is rolled back with it; Redis is not.
    # (caches["default"] is the backend itself; `cache` is a proxy that never passes isinstance.)
    if not isinstance(caches["default"], DatabaseCache):
        caches["default"].clear()


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Services and commands speak English in tests (msgids); pages still default to Indonesian,
    because the language middleware activates the user's language for each request."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def tenant(db):
    return TenantFactory(code="64.02", name="Kabupaten Kutai Kartanegara")


@pytest.fixture
def other_tenant(db):
    return TenantFactory(code="64.01", name="Kabupaten Paser")


@pytest.fixture
def make_user(db, tenant):
    def _make(role: str = Role.CASE_MANAGER, **kwargs):
        kwargs.setdefault("tenant", tenant)
        return UserFactory(role=role, **kwargs)

    return _make


def verified_client(user) -> Client:
    """A test client logged in as `user`, with a confirmed TOTP device verified for the session."""
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def client_for():
    return verified_client


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Every browser test runs Debian's chromium (see sinergi/core/tests/browser.py)."""
    from sinergi.core.tests.browser import chromium_launch_args

    return chromium_launch_args(browser_type_launch_args)
