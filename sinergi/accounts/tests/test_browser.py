"""Browser journey (Debian chromium, 360 px): first login of a case manager, TOTP enrolment from the
QR page's manual key, backup codes, and an API token created and revoked with htmx. No CSP violations."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from sinergi.accounts.models import ApiToken
from sinergi.accounts.roles import Role
from sinergi.accounts.tests.factories import TEST_PASSWORD, UserFactory
from sinergi.core.tests.browser import CSP_LISTENER, MOBILE
from sinergi.tenants.tests.factories import TenantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > MOBILE["width"]:
        page.screenshot(path="/tmp/overflow.png", full_page=True)
        print(
            page.evaluate(
                """Array.from(document.querySelectorAll('main *')).filter(e => e.getBoundingClientRect().right > 360).slice(0, 15).map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right) + ' ' + (e.textContent||'').slice(0,40))"""
            )
        )
    assert width <= MOBILE["width"], f"horizontal overflow on {page.url}: {width}px"


def test_first_login_enrolment_and_api_token_on_a_phone(page, live_server):
    from playwright.sync_api import expect

    tenant = TenantFactory(code="64.02", name="Kabupaten Kutai Kartanegara")
    user = UserFactory(role=Role.CASE_MANAGER, tenant=tenant, username="dewi")
    page.add_init_script(CSP_LISTENER)
    page.set_default_timeout(15_000)
    page.set_viewport_size(MOBILE)

    page.goto(live_server.url + "/accounts/login/")
    _fits(page)
    page.locator("main input[name='username']").fill(user.username)
    page.locator("main input[name='password']").fill(TEST_PASSWORD)
    page.locator("main form[action$='/accounts/login/'] button[type='submit']").click()

    page.wait_for_url(re.compile(r"/accounts/2fa/setup/"))
    expect(page.locator("main figure svg")).to_be_visible()
    _fits(page)
    page.locator("main details summary").click()
    secret = page.locator("main details code").inner_text().replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    code = f"{TOTP(key).token():06d}"
    page.locator("main input[name='token']").fill(code)
    page.locator("main form[action$='/accounts/2fa/setup/'] button[type='submit']").click()

    expect(page.locator("main ol.backup-codes li")).to_have_count(10)
    _fits(page)
    page.locator("main a[role='button']").click()
    page.wait_for_url(live_server.url + "/")

    page.goto(live_server.url + "/accounts/")
    _fits(page)
    page.evaluate("window.__samePage = true")
    page.locator("#api-tokens input[name='name']").fill("Spreadsheet")
    page.locator("#api-tokens form[action$='/accounts/tokens/'] button[type='submit']").click()
    new_key = page.locator("#new-api-key")
    expect(new_key).to_have_value(re.compile(r"^snrg_"))
    assert ApiToken.objects.get(user=user).token_hash == ApiToken.hash_key(new_key.input_value())
    _fits(page)

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#api-tokens form[action*='/revoke/'] button[type='submit']").click()
    expect(page.locator("#api-tokens form[action*='/revoke/']")).to_have_count(0)
    assert ApiToken.objects.get(user=user).revoked_at is not None
    assert page.evaluate("window.__samePage === true"), "htmx swapped the token list in place"
    assert page.evaluate("window.__cspViolations") == []
