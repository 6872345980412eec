"""The office's data map in Debian chromium: the demo regency's kecamatan polygons are drawn (Leaflet,
no tile server), clicking one shows its breakdown from the API, no CSP violation, also on a phone."""

import datetime as dt

import pytest

from sinergi.accounts.roles import Role
from sinergi.accounts.tests.factories import UserFactory
from sinergi.cases import taxonomy as t
from sinergi.cases.tests.factories import make_case
from sinergi.core.clock import tenant_today
from sinergi.core.tests.browser import (
    DESKTOP,
    MOBILE,
    assert_fits,
    assert_no_csp_violations,
    axe_violations,
    log_in,
    with_totp,
)
from sinergi.regions.models import District
from sinergi.regions.selectors import boundaries_geojson
from sinergi.tenants.tests.factories import TenantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def kukar(transactional_db):
    """The demo regency (Kutai Kartanegara, 64.02): 9 cases in its first kecamatan this year."""
    tenant = TenantFactory(code="64.02", name="Kabupaten Kutai Kartanegara")
    worker = UserFactory(tenant=tenant, role=Role.CASE_MANAGER)
    district = District.objects.filter(regency_id=tenant.regency_id).order_by("code").first()
    today = tenant_today(tenant)
    for i in range(9):
        make_case(
            worker,
            tenant,
            category=t.Category.DOMESTIC if i % 3 else t.Category.VIOLENCE_CHILD,
            reported_on=today - dt.timedelta(days=i),
            district_code=district.code,
        )
    head = UserFactory(tenant=tenant, role=Role.OFFICE_HEAD)
    return tenant, head, district


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "phone"])
def test_office_map_draws_polygons_and_shows_a_region_breakdown(open_page, live_server, kukar, viewport):
    from playwright.sync_api import expect

    tenant, head, district = kukar
    page = open_page(viewport)
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text))
    page.on("pageerror", lambda exc: console.append(f"pageerror {exc}"))
    log_in(page, live_server.url, head, "/maps/", device=with_totp(head))
    polygons = len(boundaries_geojson(level="kecamatan", regency_code=tenant.regency_id)["features"])
    assert polygons >= 18
    expect(page.locator("#office-map")).to_have_attribute("data-ready", str(polygons))
    expect(page.locator("#office-map path.leaflet-interactive")).to_have_count(polygons)

    region = page.locator(f'#office-map path[data-code="{district.code}"]')
    region.scroll_into_view_if_needed()
    region.click(force=True)  # an SVG path: its box may be partly covered by a neighbour
    detail = page.locator("#region-detail")
    expect(detail.locator("h3")).to_contain_text(district.name)
    expect(detail.locator('[data-total="cases"]')).to_have_text("9")
    expect(detail.locator('table[data-key="category"]')).to_be_visible()
    expect(detail.locator('table[data-key="month"]')).to_be_visible()
    expect(detail.locator("a", has_text="CSV")).to_have_attribute(
        "href", f"/api/v1/maps/office/regions/{district.code}/?year={tenant_today(tenant).year}&format=csv"
    )
    if viewport == MOBILE:
        assert_fits(page)
    assert axe_violations(page, live_server.url) == []  # with the polygons drawn and a region open
    assert_no_csp_violations(page, console)
