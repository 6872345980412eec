"""Shared fixtures: two tenants, the personas (users per role, defined once here), and clients logged
in with a verified 2FA session. A test file that needs a persona with other attributes (a fixed name for
an export, a second officer of the same agency) defines it under its own name."""

import pytest

# DRF's throttles keep `timer = time.time` as a class attribute, captured at import. Imported first under
# freezegun (the demo seeder backdates its history with freeze_time), the class would keep freezegun's
# fake function for the rest of the session and every throttled API call would fail with a TypeError.
import rest_framework.throttling  # noqa: F401
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
def _fresh_cache(request):
    """Rate-limit counters and throttles must not leak from one test into the next."""
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache

    # The database cache lives in the test database and is rolled back with it; Redis is not. A
    # transactional test (live server, browser) is not rolled back, and flushing the database leaves
    # the cache table alone: its counters (e.g. logins per IP) would reach the next browser test.
    # (caches["default"] is the backend itself; `cache` is a proxy that never passes isinstance.)
    if not isinstance(caches["default"], DatabaseCache):
        caches["default"].clear()
    elif {"live_server", "transactional_db"} & set(request.fixturenames):
        request.getfixturevalue("transactional_db")
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


# ---- Personas: in `tenant` unless the name says otherwise --------------------------------------------


@pytest.fixture
def case_manager(make_user):
    return make_user(Role.CASE_MANAGER)


@pytest.fixture
def cm(case_manager):
    """Short name of `case_manager` (the same user)."""
    return case_manager


@pytest.fixture
def manager(case_manager):
    """Short name of `case_manager` (the same user)."""
    return case_manager


@pytest.fixture
def office_head(make_user):
    return make_user(Role.OFFICE_HEAD)


@pytest.fixture
def head(office_head):
    """Short name of `office_head` (the same user)."""
    return office_head


@pytest.fixture
def outsider_head(make_user, other_tenant):
    """The office head of another regency: sees nothing of `tenant`."""
    return make_user(Role.OFFICE_HEAD, tenant=other_tenant)


@pytest.fixture
def sysadmin(make_user):
    return make_user(Role.SYSTEM_ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def dinsos(tenant):
    from sinergi.tenants.models import Agency
    from sinergi.tenants.tests.factories import AgencyFactory

    return AgencyFactory(tenant=tenant, kind=Agency.Kind.DINSOS, short_name="Dinsos")


@pytest.fixture
def disdik(tenant):
    from sinergi.tenants.models import Agency
    from sinergi.tenants.tests.factories import AgencyFactory

    return AgencyFactory(tenant=tenant, kind=Agency.Kind.DISDIK, short_name="Disdik")


@pytest.fixture
def dinsos_officer(make_user, dinsos):
    """An officer of an agency (Dinsos): sees a case only through a referral to Dinsos."""
    return make_user(Role.SERVICE_PROVIDER, agency=dinsos)


@pytest.fixture
def officer(dinsos_officer):
    """Short name of `dinsos_officer` (the same user)."""
    return dinsos_officer


@pytest.fixture
def disdik_officer(make_user, disdik):
    return make_user(Role.SERVICE_PROVIDER, agency=disdik)


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


@pytest.fixture
def open_page(browser, live_server):
    """`open_page(viewport)`: a fresh browser context (its own session cookie) in English, with the CSP
    listener installed; every context is closed at the end of the test."""
    from sinergi.core.tests.browser import CSP_LISTENER, DESKTOP, TIMEOUT_MS

    contexts = []

    def _open(viewport=DESKTOP):
        context = browser.new_context(viewport=viewport)
        context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
        context.add_init_script(CSP_LISTENER)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        return page

    yield _open
    for context in contexts:
        context.close()
