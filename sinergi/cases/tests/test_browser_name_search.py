"""Name search and the referral letter in Debian chromium (issue 19), at phone width.

The case manager opens the "Find a person" box on the case list, types a child's exact full name (no
birth date) and gets the case; a colleague's case naming the same child stays out. Then, on the
referral page, the letter button downloads a PDF.
"""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinergi.accounts.roles import Role
from sinergi.accounts.tests.factories import UserFactory
from sinergi.cases import taxonomy as t
from sinergi.cases.tests.factories import make_case, make_referral
from sinergi.core.tests.browser import MOBILE, assert_fits, assert_no_csp_violations, log_in
from sinergi.tenants.models import Agency
from sinergi.tenants.tests.factories import AgencyFactory, TenantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHILD = "Anindya Prameswari"


def test_case_manager_finds_a_child_by_name_and_prints_the_referral_letter(open_page, live_server):
    from playwright.sync_api import expect

    tenant = TenantFactory(code="64.02", name="Kabupaten Kutai Kartanegara", office_short_name="DP3A Kukar")
    disdik = AgencyFactory(tenant=tenant, kind=Agency.Kind.DISDIK, name="Dinas Pendidikan Kukar", short_name="Disdik")
    manager = UserFactory(role=Role.CASE_MANAGER, tenant=tenant, username="rina")
    device = TOTPDevice.objects.create(user=manager, name="phone", confirmed=True)
    colleague = UserFactory(role=Role.CASE_MANAGER, tenant=tenant, username="budi")
    mine = make_case(manager, tenant, victim={"full_name": CHILD})
    theirs = make_case(colleague, tenant, victim={"full_name": CHILD})
    make_case(manager, tenant)  # another child
    referral = make_referral(manager, mine, disdik, t.ServiceType.SCHOOLING)  # with the guardian's consent

    base = live_server.url
    page = open_page(MOBILE)
    log_in(page, base, manager, "/cases/", device)
    page.get_by_text("Find a person").click()
    page.get_by_label("Full name").fill("anindya  PRAMESWARI")
    page.get_by_role("button", name="Search", exact=True).click()
    results = page.locator("#case-results")
    expect(results).to_contain_text(mine.number)
    expect(results).not_to_contain_text(theirs.number)
    assert_fits(page, MOBILE["width"])
    assert_no_csp_violations(page)

    page.goto(f"{base}/cases/referrals/{referral.pk}/")
    with page.expect_download() as download:
        page.get_by_role("button", name="Print the referral letter (PDF)").click()
    assert download.value.suggested_filename.startswith("surat-rujukan-")
    with open(download.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert_fits(page, MOBILE["width"])
    assert_no_csp_violations(page)
