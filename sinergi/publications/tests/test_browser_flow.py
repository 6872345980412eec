"""Acceptance journey of the PPRA checker (issue 17) in Debian chromium, against live_server:
a communications officer pastes a breaching release on a 360 px and a 390 px phone, sees the findings highlighted
with their PPRA points, accepts a suggestion, submits, accepts another and resubmits; the office head
approves (on the same phone; the page, with its flag form, fits). Pages in English (language cookie), helpers shared with the case-handling journeys."""

import pytest
from playwright.sync_api import expect

from sinergi.accounts.roles import Role
from sinergi.accounts.tests.factories import UserFactory
from sinergi.core.tests.browser import MOBILE, assert_fits, assert_no_csp_violations, log_in, with_totp
from sinergi.publications.models import Draft
from sinergi.tenants.tests.factories import TenantFactory

from .conftest import BREACHING

# The shared browser helpers (sinergi/core/tests/browser.py; `open_page` is a root conftest fixture).
_assert_clean, _assert_fits, _log_in, _with_totp = assert_no_csp_violations, assert_fits, log_in, with_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def team(transactional_db):
    tenant = TenantFactory(code="64.02", name="Kabupaten Kutai Kartanegara", office_short_name="DP3A Kukar")
    humas = UserFactory(role=Role.COMMUNICATIONS_OFFICER, tenant=tenant, username="humas.dewi")
    head = UserFactory(role=Role.OFFICE_HEAD, tenant=tenant, username="kadis.budi")
    return humas, (head, _with_totp(head))


PHONES = [MOBILE, {"width": 390, "height": 844}]


@pytest.mark.parametrize("phone", PHONES, ids=["360px", "390px"])
def test_breaching_release_is_fixed_submitted_and_approved(open_page, live_server, team, phone):
    humas, (head, device) = team
    page = open_page(phone)
    _log_in(page, live_server.url, humas, "/publications/")
    page.locator("#checker textarea[name='text']").fill(BREACHING)
    page.evaluate("window.__samePage = true")
    page.get_by_role("button", name="Check", exact=True).click()

    name = page.locator("[data-testid='highlighted-text'] mark", has_text="Melati Kusumawardani")
    expect(name.locator("sup")).to_have_text("1")
    expect(page.locator("[data-testid='highlighted-text'] mark", has_text="ayah tirinya").locator("sup")).to_have_text(
        "8"
    )
    expect(page.locator("li[data-point='8']")).to_contain_text("PPRA point 8")
    assert page.evaluate("window.__samePage === true"), "htmx swapped the result in place"
    _assert_fits(page, phone["width"])

    page.locator("li[data-point='1']", has_text="Melati Kusumawardani").get_by_role("button").click()
    expect(page.locator("#checker textarea[name='text']")).to_have_value(
        BREACHING.replace("Melati Kusumawardani", "MK")
    )
    expect(page.locator("[data-testid='highlighted-text']")).not_to_contain_text("Melati")

    page.locator("input[name='title']").fill("Rilis kasus Desember")
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_url(lambda url: "/publications/drafts/" in url)
    expect(page.get_by_test_id("draft-status")).to_contain_text("Waiting for review")

    # On the draft page the author accepts the point 8 suggestion and resubmits as version 2.
    page.locator("li[data-point='8']").get_by_role("button").click()
    expect(page.locator("textarea[name='text']")).to_contain_text("seorang anggota keluarga")
    page.get_by_role("button", name="Save as a new version and resubmit").click()
    expect(page.get_by_test_id("draft-status")).to_contain_text("version 2")
    expect(page.locator(".ppra-diff ins")).to_contain_text("seorang anggota keluarga")
    _assert_fits(page, phone["width"])
    _assert_clean(page)

    draft = Draft.objects.get()
    reviewer = open_page(phone)
    _log_in(reviewer, live_server.url, head, f"/publications/drafts/{draft.pk}/", device)
    expect(reviewer.get_by_role("button", name="Save flags")).to_be_visible()
    _assert_fits(reviewer, phone["width"])
    reviewer.get_by_role("button", name="Approve this version").click()
    expect(reviewer.get_by_test_id("approval")).to_contain_text("Approved by")
    expect(reviewer.get_by_test_id("approval")).to_contain_text("version 2")
    _assert_clean(reviewer)
    draft.refresh_from_db()
    assert (draft.status, draft.approved_by_id) == ("approved", head.pk)
