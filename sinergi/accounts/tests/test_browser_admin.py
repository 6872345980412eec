"""Browser journey (Debian chromium, 360 px): a tenant admin creates a user, resets a second factor and
deactivates an agency in the pages; another tenant's admin gets 404; every action is in the audit."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinergi.accounts.models import User
from sinergi.accounts.roles import Role
from sinergi.accounts.tests.factories import UserFactory
from sinergi.audit.models import AuditEvent
from sinergi.core.tests.browser import CSP_LISTENER, MOBILE, assert_fits, assert_no_csp_violations, log_in
from sinergi.tenants.models import Agency
from sinergi.tenants.tests.factories import AgencyFactory, TenantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Ponsel hilang, identitas dicek langsung di kantor UPTD"


def test_a_tenant_admin_manages_users_and_agencies_on_a_phone(browser, live_server):
    tenant = TenantFactory(code="64.02", name="Kabupaten Kutai Kartanegara")
    other_tenant = TenantFactory(code="64.01", name="Kabupaten Paser")
    admin = UserFactory(role=Role.SYSTEM_ADMIN, tenant=tenant, username="admin-kukar", full_name="Admin Kukar")
    admin_device = TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    staff = UserFactory(role=Role.CASE_MANAGER, tenant=tenant, username="dewi-uptd", full_name="Dewi Lestari")
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    dinsos = AgencyFactory(tenant=tenant, kind=Agency.Kind.DINSOS, name="Dinas Sosial Kukar", short_name="Dinsos Kukar")
    outsider = UserFactory(role=Role.SYSTEM_ADMIN, tenant=other_tenant, username="admin-paser")
    outsider_device = TOTPDevice.objects.create(user=outsider, name="phone", confirmed=True)

    context = browser.new_context(viewport=MOBILE)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.set_default_timeout(15_000)
    base = live_server.url
    log_in(page, base, admin, "/", admin_device)

    # The navigation (behind the phone header's menu button) leads to the users; a new user without
    # e-mail gets a password shown once.
    assert not page.locator("header a[href='/users/']").is_visible()
    page.locator("header button[data-menu-toggle]").click()
    page.locator("header a[href='/users/']").click()
    page.wait_for_url(re.compile(r"/users/$"))
    assert_fits(page)
    page.locator("main a[href='/users/new/']").click()
    page.locator("main input[name='username']").fill("relawan.tenggarong")
    page.locator("main input[name='full_name']").fill("Rudi Hartono")
    page.locator("main select[name='role']").select_option(Role.SATGAS_VOLUNTEER)
    page.locator("main select[name='agency']").select_option(str(dinsos.pk))
    assert_fits(page)
    page.locator("main form button[type='submit']").click()
    password = page.locator("main [data-testid='initial-password']").inner_text()
    assert User.objects.get(username="relawan.tenggarong").check_password(password)
    assert_fits(page)

    # A lost second factor, reset with a reason.
    page.goto(f"{base}/users/{staff.pk}/")
    assert page.locator("main [data-testid='second-factor']").inner_text() == "Terpasang"
    page.locator("main textarea[name='reason']").fill(REASON)
    page.locator(f"main form[action$='/users/{staff.pk}/otp-reset/'] button[type='submit']").click()
    page.wait_for_url(re.compile(rf"/users/{staff.pk}/$"))
    assert page.locator("main [data-testid='second-factor']").inner_text() == "Belum terpasang"
    assert_fits(page)

    # The agency is deactivated from its page.
    page.goto(f"{base}/agencies/{dinsos.pk}/")
    page.locator(f"main form[action$='/agencies/{dinsos.pk}/deactivate/'] button[type='submit']").click()
    page.wait_for_url(re.compile(rf"/agencies/{dinsos.pk}/$"))
    assert page.locator(f"main form[action$='/agencies/{dinsos.pk}/reactivate/']").count() == 1
    assert_fits(page)
    assert_no_csp_violations(page)
    context.close()

    # Another regency's admin sees none of it.
    other = browser.new_context(viewport=MOBILE)
    other_page = other.new_page()
    other_page.set_default_timeout(15_000)
    log_in(other_page, base, outsider, "/", outsider_device)
    for path in (f"/users/{staff.pk}/", f"/agencies/{dinsos.pk}/", f"/agencies/{dinsos.pk}/edit/"):
        assert other_page.goto(base + path).status == 404, path
    other.close()

    dinsos.refresh_from_db()
    assert not dinsos.is_active
    assert not TOTPDevice.objects.filter(user=staff).exists()
    actions = set(AuditEvent.objects.filter(actor=admin).values_list("action", flat=True))
    assert {"account.user_created", "account.otp_reset", "tenant.agency_deactivated"} <= actions
