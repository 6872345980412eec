"""Acceptance journeys of integrated case handling (issue 4) in Debian chromium, against live_server.

(a) A Satgas volunteer reports on a 360 px phone → the case manager triages and refers to Dinsos
    (social rehabilitation) and Dinas Pendidikan (continued schooling) → each officer accepts and
    records a completed service → the rights checklist shows both fulfilled → the case is closed.
(b) The public report form → tracking code → the status page shows the stage and nothing else.

Like sinergi/core/tests/test_browser_smoke.py: the system chromium at /usr/bin/chromium is launched
directly; without it the tests skip, except on CI (CI=true) where a missing browser is a failure.
Pages are driven in English (language cookie) so that selectors follow the msgids, whatever the
state of the Indonesian translation.
"""

import re

import pytest
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinergi.accounts.roles import Role
from sinergi.accounts.tests.factories import UserFactory
from sinergi.cases.forms_public import public_stage_label
from sinergi.core.tests.browser import MOBILE, assert_fits, assert_no_csp_violations, log_in
from sinergi.tenants.models import Agency
from sinergi.tenants.tests.factories import AgencyFactory, TenantFactory

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the test itself
# (creating users, reading the case) are still synchronous and safe.

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _with_totp(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


@pytest.fixture
def people(transactional_db):
    tenant = TenantFactory(code="64.02", name="Kabupaten Kutai Kartanegara", office_short_name="DP3A Kukar")
    dinsos = AgencyFactory(tenant=tenant, kind=Agency.Kind.DINSOS, name="Dinas Sosial Kukar", short_name="Dinsos")
    disdik = AgencyFactory(tenant=tenant, kind=Agency.Kind.DISDIK, name="Dinas Pendidikan Kukar", short_name="Disdik")
    satgas = UserFactory(role=Role.SATGAS_VOLUNTEER, tenant=tenant, username="satgas.wati")
    manager = UserFactory(role=Role.CASE_MANAGER, tenant=tenant, username="rina")
    dinsos_officer = UserFactory(role=Role.SERVICE_PROVIDER, tenant=tenant, agency=dinsos, username="dinsos.adi")
    disdik_officer = UserFactory(role=Role.SERVICE_PROVIDER, tenant=tenant, agency=disdik, username="disdik.sri")
    return {
        "tenant": tenant,
        "dinsos": dinsos,
        "disdik": disdik,
        "satgas": satgas,
        "manager": (manager, _with_totp(manager)),
        "dinsos_officer": (dinsos_officer, _with_totp(dinsos_officer)),
        "disdik_officer": (disdik_officer, _with_totp(disdik_officer)),
    }


def _open_form(page, label: str) -> None:
    """Open an action form on demand and wait until htmx has processed it.

    htmx swaps the form in at once but binds its hx-* attributes (the service select's agency
    reload) only at settle; until then the new nodes carry .htmx-added."""
    from playwright.sync_api import expect

    opener = page.locator("a.form-opener", has_text=label)
    opener.click()
    expect(opener).to_have_count(0)
    expect(page.locator(".htmx-added, .htmx-settling")).to_have_count(0)


def _officer_completes(page, base_url: str, officer, device, case_number: str) -> None:
    """An agency officer opens the referral from the inbox, accepts it and records a completed service."""
    from playwright.sync_api import expect

    log_in(page, base_url, officer, "/cases/referrals/", device)
    page.get_by_role("link", name=case_number).click()
    page.wait_for_url(re.compile(r"/cases/referrals/[0-9a-f-]{36}/$"))
    # Need-to-know: the chronology typed by the volunteer never reaches the agency.
    expect(page.locator("main")).not_to_contain_text("sering dipukul")
    page.get_by_role("button", name="Accept referral").click()
    expect(page.locator("#referral-status")).to_have_text("Accepted")
    page.get_by_label("Sessions").fill("2")
    page.get_by_label("Outcome").select_option(label="Service completed")
    page.get_by_label("Notes").fill("Layanan selesai diberikan.")
    page.get_by_role("button", name="Record service").click()
    expect(page.locator("#referral-status")).to_have_text("Completed")
    expect(page.locator("#referral-services")).to_contain_text("Layanan selesai diberikan.")
    assert_no_csp_violations(page)


def test_satgas_report_to_referrals_to_rights_fulfilled_to_closure(open_page, live_server, people):
    from playwright.sync_api import expect

    from sinergi.cases.models import Case

    base = live_server.url

    # -- The Satgas volunteer reports from a phone (no 2FA for this role); the draft survives a reload.
    phone = open_page(MOBILE)
    log_in(phone, base, people["satgas"], "/cases/satgas/new/")
    assert_fits(phone, MOBILE["width"])
    phone.get_by_label(re.compile(r"^What happened\?")).select_option(label="Violence against a child")
    phone.get_by_label("Physical", exact=True).check()
    phone.get_by_label("Where? Kecamatan").select_option(index=1)
    expect(phone.locator("select[name='village'] option")).not_to_have_count(1)
    phone.get_by_label("Desa/kelurahan").select_option(index=1)
    phone.get_by_label("Name of the child or woman").fill("Putri Lestari")
    phone.get_by_label("Approximate age").fill("9")
    phone.get_by_label("Sex", exact=True).select_option(label="Female")
    phone.get_by_label("Phone of the parent / guardian").fill("081234500001")
    phone.get_by_label("What happened, in your words").fill("Anak sering dipukul oleh pamannya.")
    expect(phone.locator("#draft-status")).to_contain_text("Draft saved at")
    phone.reload()
    expect(phone.get_by_label("Name of the child or woman")).to_have_value("Putri Lestari")
    expect(phone.get_by_label("What happened, in your words")).to_have_value("Anak sering dipukul oleh pamannya.")
    assert_fits(phone, MOBILE["width"])
    phone.get_by_role("button", name="Send report").click()
    phone.wait_for_url(re.compile(r"/cases/satgas/sent/"))
    case = Case.objects.get()
    expect(phone.locator("#case-number")).to_have_text(case.number)
    expect(phone.locator("main")).not_to_contain_text("Putri")
    assert_fits(phone, MOBILE["width"])
    assert_no_csp_violations(phone)

    # -- The case manager (TOTP) opens it from the list, moves it on and refers it twice.
    manager, manager_device = people["manager"]
    desk = open_page()
    log_in(desk, base, manager, "/cases/", manager_device)
    desk.get_by_role("link", name=case.number).click()
    desk.wait_for_url(re.compile(rf"/cases/{case.pk}/$"))
    # Action forms open on demand (htmx loads the form into its slot).
    _open_form(desk, "Triage")
    desk.get_by_label("Repeated violence").check()
    desk.get_by_role("button", name="Save triage").click()
    expect(desk.locator("#case-body")).to_contain_text("Triage saved.")
    desk.get_by_role("button", name="Move to: Outreach").click()
    expect(desk.locator("#case-body header hgroup")).to_contain_text("Outreach")
    for agency, service in ((people["dinsos"], "Social rehabilitation"), (people["disdik"], "Continued schooling")):
        _open_form(desk, "Refer to an agency")
        desk.get_by_label(re.compile(r"^Service\b")).select_option(label=service)
        # The agency list follows the service (htmx): only agencies that provide it are offered.
        agency_select = desk.get_by_label(re.compile(r"^Agency\b"))
        expect(agency_select.locator("option", has_text=agency.name)).to_have_count(1)
        other = people["disdik"] if agency == people["dinsos"] else people["dinsos"]
        expect(agency_select.locator("option", has_text=other.name)).to_have_count(0)
        agency_select.select_option(label=agency.name)
        desk.get_by_label(re.compile(r"^Consent to share given by")).select_option(label="Parent or guardian")
        desk.get_by_label(re.compile(r"^How consent was given")).select_option(label="Signed form")
        desk.get_by_role("button", name="Send referral").click()
        referrals = desk.locator("section[aria-labelledby='referrals-heading'] table")
        expect(referrals.get_by_role("row", name=re.compile(service))).to_contain_text(agency.short_name)
    assert_no_csp_violations(desk)

    # -- Each agency's officer (TOTP) accepts and records a completed service.
    for key in ("dinsos_officer", "disdik_officer"):
        officer, device = people[key]
        _officer_completes(open_page(), base, officer, device, case.number)

    # -- The case manager sees both rights fulfilled and closes the case.
    desk.reload()
    rights = desk.locator("section[aria-labelledby='rights-heading']")
    for right in ("Social rehabilitation", "Continued education"):
        expect(rights.get_by_role("row", name=re.compile(right))).to_contain_text("Fulfilled")
    _open_form(desk, "Close the case")
    expect(desk.locator("#closure-open-items")).to_contain_text("Nothing is still open")
    desk.get_by_label("Closure reason").select_option(label="Services completed, victim recovered")
    # Closing asks first: dismissing the question leaves the case open.
    desk.once("dialog", lambda dialog: dialog.dismiss())
    desk.locator("form[action$='/close/'] button[type='submit']").click()
    expect(desk.locator("form[action$='/close/']")).to_be_visible()
    case.refresh_from_db()
    assert case.stage != "closed"
    desk.once("dialog", lambda dialog: dialog.accept())
    desk.locator("form[action$='/close/'] button[type='submit']").click()
    expect(desk.locator("#case-body header hgroup")).to_contain_text("Closed")
    assert_no_csp_violations(desk)
    case.refresh_from_db()
    assert case.stage == "closed"
    assert case.closure_reason == "resolved"
    assert case.closure_override_reason == ""


def test_public_report_then_status_shows_the_stage_only(open_page, live_server, transactional_db):
    from playwright.sync_api import expect

    from sinergi.cases.models import Case

    TenantFactory(code="64.02", name="Kabupaten Kutai Kartanegara")
    page = open_page(MOBILE)

    page.goto(live_server.url + "/lapor/")
    assert_fits(page, MOBILE["width"])
    page.get_by_label("What happened?").fill("Tetangga saya memukul anaknya setiap malam.")
    page.get_by_label("Age of the victim (optional)").select_option(label="Child 6 to 12 years")
    page.get_by_label("Name of the victim (optional)").fill("Budi Santoso")
    page.get_by_label("Your phone or WhatsApp number (optional)").fill("081299988877")
    page.get_by_label("I agree that the protection office").check()
    # A person takes more than a few seconds; the form refuses anything faster (bot trap).
    page.wait_for_timeout(3_200)
    page.get_by_role("button", name="Send the report").click()
    page.wait_for_url(re.compile(r"/lapor/terima-kasih/$"))
    code = page.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    expect(page.locator("main")).to_contain_text("129")
    # Shown large, with copy and print buttons (static JS under the strict CSP), and said plainly: once only.
    expect(page.locator("main")).to_contain_text("This code will not be shown again.")
    font_px = page.locator("#tracking-code").evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert font_px >= 28
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.get_by_role("button", name="Copy the code").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == code
    # (a function, so that Playwright does not call the stub it would get back from an expression)
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    page.get_by_role("button", name="Print this page").click()
    assert page.evaluate("window.__printed") == 1
    assert_fits(page, MOBILE["width"])
    case = Case.objects.get()

    page.get_by_role("button", name="Check the status of a report").click()
    page.wait_for_url(re.compile(r"/lapor/status/$"))
    page.get_by_label("Tracking code").fill(code)
    page.get_by_role("button", name="Check status").click()
    with translation.override("en"):
        expected = str(public_stage_label("received"))
    expect(page.locator("#report-stage")).to_have_text(expected)
    main = page.locator("main")
    for secret in (case.number, "Budi", "081299988877", "memukul", code):
        expect(main).not_to_contain_text(secret)
    assert_fits(page, MOBILE["width"])
    assert_no_csp_violations(page)
