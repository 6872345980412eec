"""Browser journey (Debian chromium, 360 px): first login of a case manager, TOTP enrolment from the
QR page's manual key, backup codes, and an API token created and revoked with htmx. No CSP violations."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from sinergi.accounts.models import ApiToken
from sinergi.accounts.roles import Role
from sinergi.accounts.tests.factories import UserFactory
from sinergi.core.tests.browser import CSP_LISTENER, MOBILE, assert_fits, submit_login
from sinergi.tenants.tests.factories import TenantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_first_login_enrolment_and_api_token_on_a_phone(page, live_server):
    from playwright.sync_api import expect

    tenant = TenantFactory(code="64.02", name="Kabupaten Kutai Kartanegara")
    user = UserFactory(role=Role.CASE_MANAGER, tenant=tenant, username="dewi")
    page.add_init_script(CSP_LISTENER)
    page.set_default_timeout(15_000)
    page.set_viewport_size(MOBILE)

    page.goto(live_server.url + "/accounts/login/")
    assert_fits(page)
    submit_login(page, user)

    page.wait_for_url(re.compile(r"/accounts/2fa/setup/"))
    expect(page.locator("main figure svg")).to_be_visible()
    assert_fits(page)
    page.locator("main details summary").click()
    secret = page.locator("main details code").inner_text().replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    code = f"{TOTP(key).token():06d}"
    page.locator("main input[name='token']").fill(code)
    page.locator("main form[action$='/accounts/2fa/setup/'] button[type='submit']").click()

    expect(page.locator("main ol.backup-codes li")).to_have_count(10)
    assert_fits(page)
    page.locator("main a[role='button']").click()
    page.wait_for_url(live_server.url + "/")

    page.goto(live_server.url + "/accounts/")
    assert_fits(page)
    page.evaluate("window.__samePage = true")
    page.locator("#api-tokens input[name='name']").fill("Spreadsheet")
    page.locator("#api-tokens form[action$='/accounts/tokens/'] button[type='submit']").click()
    new_key = page.locator("#new-api-key")
    expect(new_key).to_have_value(re.compile(r"^snrg_"))
    assert ApiToken.objects.get(user=user).token_hash == ApiToken.hash_key(new_key.input_value())
    assert_fits(page)

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#api-tokens form[action*='/revoke/'] button[type='submit']").click()
    expect(page.locator("#api-tokens form[action*='/revoke/']")).to_have_count(0)
    assert ApiToken.objects.get(user=user).revoked_at is not None
    assert page.evaluate("window.__samePage === true"), "htmx swapped the token list in place"
    assert page.evaluate("window.__cspViolations") == []
