"""End-to-end journey in Debian chromium: log in with TOTP, switch language, log out; 360 px layout; CSP.

Runs against pytest-django's live_server. `playwright install` is never used: the system chromium at
/usr/bin/chromium is launched directly (`make browser` installs it). Without it the tests skip, except
on CI (CI=true) where a missing browser is a failure.
"""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinergi.accounts.roles import Role
from sinergi.accounts.tests.factories import UserFactory
from sinergi.core.tests.browser import CSP_LISTENER, MOBILE, assert_fits, assert_no_csp_violations, submit_login
from sinergi.tenants.models import Agency
from sinergi.tenants.tests.factories import AgencyFactory, TenantFactory

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the test itself
# (creating users) are still synchronous and safe.

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOTP_KEY = "3132333435363738393031323334353637383930"  # RFC 6238 test key, test-only


@pytest.fixture
def console(page):
    """Console messages and uncaught errors of the page, collected for the CSP assertions."""
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(f"{msg.type}: {msg.text}"))
    page.on("pageerror", lambda exc: messages.append(f"pageerror: {exc}"))
    page.add_init_script(CSP_LISTENER)
    page.set_default_timeout(15_000)
    return messages


@pytest.fixture
def case_manager(transactional_db):
    tenant = TenantFactory(code="64.02", name="Kabupaten Kutai Kartanegara", office_short_name="DP3A Kukar")
    agency = AgencyFactory(tenant=tenant, kind=Agency.Kind.UPTD_PPA, name="UPTD PPA Kukar", short_name="UPTD PPA Kukar")
    user = UserFactory(role=Role.CASE_MANAGER, tenant=tenant, agency=agency, username="rina", full_name="Rina Kartika")
    device = TOTPDevice.objects.create(user=user, name="phone", key=TOTP_KEY, confirmed=True)
    return user, device


def _log_in(page, base_url: str, user, device) -> None:
    page.goto(base_url + "/")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    submit_login(page, user, device)
    page.wait_for_url(base_url + "/")


def test_log_in_with_totp_switch_language_and_log_out(page, console, live_server, case_manager):
    from playwright.sync_api import expect

    user, device = case_manager
    _log_in(page, live_server.url, user, device)

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Dasbor")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    # The header names the user's own agency (not the office).
    expect(page.locator("body > header")).to_contain_text("UPTD PPA Kukar")
    expect(page.get_by_role("heading", name=re.compile("Rina Kartika"))).to_be_visible()

    # The first Tab reaches the skip link, and it is visible when focused.
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    expect(page.locator(".skip-link")).to_be_in_viewport()

    page.get_by_role("button", name="English").click()
    expect(heading).to_have_text("Dashboard")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")

    page.locator("body > header form[action$='/accounts/logout/'] button[type='submit']").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    expect(page.locator("main input[name='password']")).to_be_visible()

    page.goto(live_server.url + "/")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    assert_no_csp_violations(page, console)


def test_login_and_home_fit_a_360px_screen_without_csp_violations(page, console, live_server, case_manager):
    from playwright.sync_api import expect

    from sinergi.notifications.services import notify

    user, device = case_manager
    notify(recipients=[user], kind="test", title="Kasus UPTD/2026/0001 ditugaskan", url="/notifications/", email=False)
    page.set_viewport_size(MOBILE)

    page.goto(live_server.url + "/accounts/login/")
    assert_fits(page, MOBILE["width"])

    _log_in(page, live_server.url, user, device)
    assert_fits(page, MOBILE["width"])
    # htmx loaded from 'self' and configured by the meta tag (no inline <style> injected).
    assert page.evaluate("window.htmx && window.htmx.config.includeIndicatorStyles") is False
    assert page.evaluate("document.querySelectorAll('style').length") == 0

    page.goto(live_server.url + "/notifications/")
    assert_fits(page, MOBILE["width"])
    expect(page.locator("#nav-unread .badge")).to_have_text("1")

    # htmx (CSRF header from <body hx-headers>) swaps the row in place, and the badge follows.
    page.evaluate("window.__samePage = true")
    page.locator("#notification-list form button[type='submit']").click()
    expect(page.locator("#notification-list li.unread")).to_have_count(0)
    expect(page.locator("#nav-unread .badge")).to_have_count(0)
    assert page.evaluate("window.__samePage === true"), "the row was swapped by htmx, not by a page load"
    assert_no_csp_violations(page, console)
