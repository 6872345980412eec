"""Issue 19, "Phone first" and "Accessible to everyone", in Debian chromium against live_server.

At 390 px: the case list, the case page and the referral inbox have no horizontal scroll and their
tables read as cards; the case summary is visible without scrolling; closing shows what is still open
and asks first. A Dinsos officer's header names Dinsos; a Satgas volunteer never sees the API docs.
Every aria-describedby on the form pages (empty and after errors) names an element that exists, and
axe-core (vendored, static/vendor/axe-core) finds no WCAG 2.1 AA violation on the main pages.
"""

import datetime as dt
import re

import pytest

from sinergi.accounts.roles import Role
from sinergi.accounts.tests.factories import UserFactory
from sinergi.cases import taxonomy as t
from sinergi.core.tests.browser import assert_fits, assert_no_csp_violations, axe_violations, log_in, with_totp
from sinergi.tenants.models import Agency
from sinergi.tenants.tests.factories import AgencyFactory, TenantFactory

from .factories import make_referral
from .views_case_support import intake

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

# Every aria-describedby names ids that exist in the document; returns the broken ones.
BROKEN_DESCRIBEDBY = """() => Array.from(document.querySelectorAll('[aria-describedby]')).flatMap(el =>
  el.getAttribute('aria-describedby').split(/\\s+/).filter(Boolean)
    .filter(id => !document.getElementById(id)).map(id => (el.name || el.id || el.tagName) + ' -> ' + id))"""


@pytest.fixture
def world(transactional_db):
    tenant = TenantFactory(code="64.02", name="Kabupaten Kutai Kartanegara", office_short_name="DPPPA Kukar")
    dinsos = AgencyFactory(tenant=tenant, kind=Agency.Kind.DINSOS, name="Dinas Sosial Kukar", short_name="Dinsos Kukar")
    manager = UserFactory(role=Role.CASE_MANAGER, tenant=tenant, username="rina")
    officer = UserFactory(role=Role.SERVICE_PROVIDER, tenant=tenant, agency=dinsos, username="dinsos.adi")
    satgas = UserFactory(role=Role.SATGAS_VOLUNTEER, tenant=tenant, username="satgas.wati")
    case = intake(manager, tenant)
    # Referrals rest on recorded consent (caseflow): the factory records the guardian's written consent.
    make_referral(
        manager,
        case,
        dinsos,
        t.ServiceType.SOCIAL_REHAB,
        due_on=dt.date.today() + dt.timedelta(days=7),
        note="Mohon asesmen.",
    )
    return {
        "tenant": tenant,
        "case": case,
        "manager": (manager, with_totp(manager)),
        "officer": (officer, with_totp(officer)),
        "satgas": satgas,
    }


def _cards(page) -> None:
    """Each table row is a card: as wide as the page at most, its cells labelled by their column."""
    rows = page.locator("main table tbody tr")
    assert rows.count() > 0
    box = rows.first.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    assert rows.first.locator("[data-label]").count() > 0


def test_case_pages_fit_a_phone_with_a_summary_and_closing_asks_first(open_page, live_server, world):
    from playwright.sync_api import expect

    base = live_server.url
    manager, device = world["manager"]
    case = world["case"]
    page = open_page(PHONE)
    log_in(page, base, manager, "/cases/", device)
    assert_fits(page, PHONE["width"])
    _cards(page)
    expect(page.locator("main table tbody tr").first).to_contain_text(case.number)

    page.goto(f"{base}/cases/{case.pk}/")
    assert_fits(page, PHONE["width"])
    summary = page.locator("#case-summary")
    expect(summary).to_contain_text("Open referrals")
    expect(summary).to_contain_text("First response")
    box = summary.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= PHONE["height"], box  # no scrolling needed
    expect(page.locator("nav.jump a[href='#referrals']")).to_be_visible()
    _cards(page)  # the referrals table
    # No action form is on the page until it is opened.
    assert page.locator("form[action$='/refer/']").count() == 0

    page.locator("a.form-opener", has_text="Close the case").click()
    open_items = page.locator("#closure-open-items")
    expect(open_items).to_contain_text("Open referrals")
    expect(open_items).to_contain_text("Dinsos Kukar")
    assert_fits(page, PHONE["width"])
    page.get_by_label("Closure reason").select_option(index=1)
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.locator("form[action$='/close/'] button[type='submit']").click()
    expect(page.locator("form[action$='/close/']")).to_be_visible()
    assert asked
    assert "Close this case?" in asked[0]
    case.refresh_from_db()
    assert case.stage != t.Stage.CLOSED
    assert_no_csp_violations(page)


def test_the_referral_inbox_fits_and_the_header_names_dinsos(open_page, live_server, world):
    from playwright.sync_api import expect

    officer, device = world["officer"]
    page = open_page(PHONE)
    log_in(page, live_server.url, officer, "/cases/referrals/", device)
    assert_fits(page, PHONE["width"])
    _cards(page)
    header = page.locator("body > header")
    expect(header.locator(".brand")).to_contain_text("Dinsos Kukar")
    expect(header).not_to_contain_text("DPPPA Kukar")
    # The phone menu folds the navigation behind one button.
    nav = header.locator("nav[aria-label]")
    expect(nav).to_be_hidden()
    header.locator("button[data-menu-toggle]").click()
    expect(nav).to_be_visible()
    assert_fits(page, PHONE["width"])


def test_a_satgas_volunteer_never_sees_the_api_docs(open_page, live_server, world):
    page = open_page(PHONE)
    log_in(page, live_server.url, world["satgas"], "/")
    for path in ("/", "/accounts/", "/cases/satgas/new/"):
        page.goto(live_server.url + path)
        assert page.locator("a[href='/api/docs/']").count() == 0, path
        assert_fits(page, PHONE["width"])


def _form_pages(case) -> list[str]:
    base = f"/cases/{case.pk}"
    return [
        "/cases/new/",
        "/cases/",
        f"{base}/triage/",
        f"{base}/first-response/",
        f"{base}/assign/",
        f"{base}/notes/",
        f"{base}/refer/",
        f"{base}/close/",
        f"{base}/documents/",
        "/accounts/",
    ]


def test_every_aria_describedby_points_at_an_element_with_and_without_errors(open_page, live_server, world):
    base = live_server.url
    manager, device = world["manager"]
    page = open_page()
    log_in(page, base, manager, "/", device)
    for path in _form_pages(world["case"]):
        page.goto(base + path)
        assert page.evaluate(BROKEN_DESCRIBEDBY) == [], path
    # Forms sent empty come back with errors: the summary takes the focus, the title says so,
    # and each field's aria-describedby names its rendered error.
    case = world["case"]
    for path, button in (
        ("/cases/new/", "main form button[type='submit']"),
        (f"/cases/{case.pk}/notes/", "form[action$='/notes/'] button[type='submit']"),
        (f"/cases/{case.pk}/refer/", "form[action$='/refer/'] button[type='submit']"),
        (f"/cases/{case.pk}/close/", "form[action$='/close/'] button[type='submit']"),
    ):
        page.goto(base + path)
        page.evaluate(
            "document.querySelectorAll('[required]').forEach(el => el.removeAttribute('required'));"
            "document.querySelectorAll('main input[type=date]').forEach(el => { el.value = ''; })"
        )
        page.once("dialog", lambda dialog: dialog.accept())
        page.locator(button).first.click()
        summary = page.locator("[data-error-summary]")
        try:
            summary.first.wait_for()
        except Exception as exc:
            raise AssertionError(f"no error summary on {path}") from exc
        # The focus moves when the page's script has run (or htmx has settled): wait for it, then check.
        focused = "document.activeElement && document.activeElement.hasAttribute('data-error-summary')"
        try:
            page.wait_for_function(focused, timeout=5000)
        except Exception as exc:
            raise AssertionError(f"the error summary did not take the focus on {path}") from exc
        assert page.title().startswith("Error:"), (path, page.title())
        assert page.evaluate(BROKEN_DESCRIBEDBY) == [], path
        invalid = page.locator("[aria-invalid='true']")
        assert invalid.count() > 0, path
        described = invalid.first.get_attribute("aria-describedby") or ""
        assert re.search(r"_error\b", described), (path, described)
        # The summary links to the field.
        href = summary.first.locator("a").first.get_attribute("href")
        assert href, path
        assert page.locator(href).count() == 1, (path, href)
    assert_no_csp_violations(page)


def test_axe_finds_no_wcag_21_aa_violation_on_the_main_pages(open_page, live_server, world):
    base = live_server.url
    case = world["case"]
    manager, device = world["manager"]
    officer, officer_device = world["officer"]
    pages = [
        (None, None, ["/lapor/", "/lapor/status/"]),
        (
            manager,
            device,
            ["/", "/cases/", f"/cases/{case.pk}/", f"/cases/{case.pk}/close/", "/cases/new/", "/accounts/"],
        ),
        (officer, officer_device, ["/cases/referrals/"]),
    ]
    for user, user_device, paths in pages:
        for viewport in (PHONE, None):
            page = open_page(viewport) if viewport else open_page()
            if user is not None:
                log_in(page, base, user, "/", user_device)
            for path in paths:
                page.goto(base + path)
                assert axe_violations(page, base) == [], (path, viewport)


def test_the_status_check_is_announced_and_emergency_numbers_are_links(open_page, live_server, world):
    from playwright.sync_api import expect

    page = open_page(PHONE)
    page.goto(live_server.url + "/lapor/status/")
    for href in ("tel:110", "tel:112", "tel:129", "https://wa.me/628111129129"):
        assert page.locator(f"aside.hotline a[href='{href}']").count() == 1, href
    region = page.locator("#status-result")
    assert region.get_attribute("aria-live") == "polite"
    page.locator("#status-form select").select_option(label="Kabupaten Kutai Kartanegara")
    page.locator("#status-form input[name='code']").fill("AAAA-BBBB-CCCC")
    page.locator("#status-form button[type='submit']").click()
    # The answer arrives inside the live region that was already on the page (announced), by htmx.
    expect(region).to_contain_text("No report was found")
    assert page.locator("#status-result").count() == 1
    assert_fits(page, PHONE["width"])
    assert_no_csp_violations(page)


def test_the_audit_trail_fits_a_360px_phone(open_page, live_server, world):
    """The audit table (long action codes, ids, user agents) reads as cards instead of widening the page."""
    head = UserFactory(role=Role.OFFICE_HEAD, tenant=world["tenant"], username="kepala")
    device = with_totp(head)
    page = open_page({"width": 360, "height": 740})
    log_in(page, live_server.url, head, "/", device)
    page.goto(f"{live_server.url}/cases/{world['case'].pk}/")  # one more audited read
    page.goto(live_server.url + "/audit/")
    assert page.locator("main table tbody tr").count() > 0
    assert_fits(page, 360)
    page.locator("main table tbody tr details summary").first.click()
    assert_fits(page, 360)
    assert page.evaluate(BROKEN_DESCRIBEDBY) == []
