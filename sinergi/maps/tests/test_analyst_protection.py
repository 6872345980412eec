"""Analysts below kecamatan: the public small-count protection per view, and no two views they can choose
that subtract to a small count (overlapping periods, a filter against the unfiltered view)."""

import datetime as dt

import pytest

from sinergi.accounts.roles import Role
from sinergi.cases import taxonomy as t
from sinergi.cases.tests.factories import make_case
from sinergi.core.clock import tenant_today
from sinergi.regions.models import District, Village

pytestmark = pytest.mark.django_db

API = "/api/v1/maps/office/"


@pytest.fixture
def year(tenant):
    return tenant_today(tenant).year - 1


@pytest.fixture
def places(tenant):
    district = District.objects.filter(regency_id=tenant.regency_id).order_by("code").first()
    v1, v2 = Village.objects.filter(district=district).order_by("code")[:2]
    return {"d": district, "v1": v1, "v2": v2}


@pytest.fixture
def cases(tenant, make_user, year, places):
    """v1: 12 cases from January to May; v2: 8 cases in January to May and 2 sexual-violence cases in June.

    Every per-year cell is above the threshold, so the yearly map publishes v1 = 12 and v2 = 10; Jan–Jun
    minus Jan–May (or all categories minus the rest) would give v2's 2 June cases."""
    worker = make_user(Role.CASE_MANAGER)
    plan = [(places["v1"], 12, None, t.Category.DOMESTIC), (places["v2"], 8, None, t.Category.DOMESTIC)]
    plan.append((places["v2"], 2, 6, t.Category.SEXUAL))
    for village, n, month, category in plan:
        for i in range(n):
            make_case(
                worker,
                tenant,
                category=category,
                reported_on=dt.date(year, month or 1 + i % 5, 10),
                district_code=places["d"].code,
                village_code=village.code,
            )


@pytest.fixture
def analyst(make_user):
    return make_user(Role.ANALYST)


def _cell(data, code):
    return next(r for r in data["regions"] if r["code"] == code)["cases"]


def test_the_whole_year_view_is_published_with_protection(client_for, analyst, cases, places, year):
    client = client_for(analyst)
    data = client.get(API, {"year": year, "level": "kelurahan"}).json()
    assert data["protected_below_kecamatan"] is True
    assert (_cell(data, places["v1"].code), _cell(data, places["v2"].code)) == (12, 10)
    # The same year as an explicit range is the same view.
    same = client.get(API, {"date_from": f"{year}-01-01", "date_to": f"{year}-12-31", "level": "kelurahan"})
    assert same.status_code == 200
    assert _cell(same.json(), places["v2"].code) == 10


def test_overlapping_periods_cannot_be_differenced_below_kecamatan(client_for, analyst, head, cases, places, year):
    client = client_for(analyst)
    views = {}
    for end in (f"{year}-05-31", f"{year}-06-30"):
        response = client.get(API, {"date_from": f"{year}-01-01", "date_to": end, "level": "kelurahan"})
        assert response.status_code == 400
        assert "tahun kalender" in response.content.decode()
        region = client.get(f"{API}regions/{places['v2'].code}/", {"date_from": f"{year}-01-01", "date_to": end})
        assert region.status_code == 400
        csv = client.get(API, {"date_from": f"{year}-01-01", "date_to": end, "level": "kelurahan", "format": "csv"})
        assert csv.status_code == 400
        views[end] = client.get(API, {"date_from": f"{year}-01-01", "date_to": end}).json()  # kecamatan: exact
    june = _cell(views[f"{year}-06-30"], places["d"].code) - _cell(views[f"{year}-05-31"], places["d"].code)
    assert june == 2  # analysts see kecamatan exactly, by design; never the kelurahan it happened in
    # The office head sees exact counts for any period.
    exact = client_for(head).get(API, {"date_from": f"{year}-06-01", "date_to": f"{year}-06-30", "level": "kelurahan"})
    assert _cell(exact.json(), places["v2"].code) == 2


def test_filters_cannot_be_differenced_below_kecamatan(client_for, analyst, cases, places, year):
    client = client_for(analyst)
    for params in ({"category": t.Category.SEXUAL}, {"form": t.ViolenceForm.SEXUAL}, {"sex": t.Sex.FEMALE}):
        response = client.get(API, {"year": year, "level": "kelurahan", **params})
        assert response.status_code == 400, params
        assert client.get(f"{API}regions/{places['v2'].code}/", {"year": year, **params}).status_code == 400
        assert client.get(API, {"year": year, **params}).status_code == 200  # kecamatan level
    page = client.get("/maps/", {"year": year, "level": "kelurahan", "category": t.Category.SEXUAL})
    assert page.status_code == 400
    assert "tahun kalender" in page.content.decode()  # the reason, in Indonesian
    assert b"map-table" not in page.content


def test_a_kelurahan_breakdown_never_shows_a_small_count(client_for, analyst, cases, places, year):
    data = client_for(analyst).get(f"{API}regions/{places['v2'].code}/", {"year": year}).json()
    assert data["protected"] is True
    category = {r["key"]: r["count"] for r in next(b for b in data["breakdowns"] if b["key"] == "category")["rows"]}
    assert category[t.Category.SEXUAL] is None  # 2: primary
    assert category[t.Category.DOMESTIC] is None  # 10 - 8 would give it back: secondary
    june = next(r for r in data["trend"]["rows"] if r["key"] == f"{year}-06")
    assert june["count"] is None
    for table in [data["trend"], *data["breakdowns"]]:
        assert all(r["count"] in (None, 0) or r["count"] > 4 for r in table["rows"])


def test_a_kelurahan_cell_cannot_be_read_off_the_kecamatan_minus_its_siblings(
    client_for, analyst, tenant, make_user, places, year
):
    """The review's example: the kecamatan (exact for analysts) shows 1 sexual-violence case; if every
    other kelurahan showed 0 there, the one hidden cell would be that case's kelurahan."""
    worker = make_user(Role.CASE_MANAGER)
    villages = list(Village.objects.filter(district=places["d"]).order_by("code")[:4])
    for index, village in enumerate(villages):
        for i in range(6 + index):
            make_case(
                worker,
                tenant,
                category=t.Category.DOMESTIC,
                reported_on=dt.date(year, 1 + i % 12, 10),
                district_code=places["d"].code,
                village_code=village.code,
            )
    make_case(
        worker,
        tenant,
        category=t.Category.SEXUAL,
        reported_on=dt.date(year, 3, 3),
        district_code=places["d"].code,
        village_code=villages[0].code,
    )
    client = client_for(analyst)
    kecamatan = client.get(f"{API}regions/{places['d'].code}/", {"year": year}).json()
    assert kecamatan["protected"] is False
    assert _rows(kecamatan, "category")[t.Category.SEXUAL] == 1  # exact at kecamatan level, by design
    siblings = [c for c, *_ in Village.objects.filter(district=places["d"]).values_list("code")]
    hidden = []
    for code in siblings:
        cell = _rows(client.get(f"{API}regions/{code}/", {"year": year}).json(), "category")[t.Category.SEXUAL]
        assert cell in (None, 0)
        if cell is None:
            hidden.append(code)
    assert len(hidden) >= 2, hidden  # one hidden cell alone would be 1 minus the published zeros
    for dimension in ("form", "age_band", "sex", "category"):
        for code in siblings[:4]:
            table = _rows(client.get(f"{API}regions/{code}/", {"year": year}).json(), dimension)
            assert all(v is None or v == 0 or v > 4 for v in table.values()), (code, dimension, table)


def _rows(data, key):
    if key == "month":
        return {r["key"]: r["count"] for r in data["trend"]["rows"]}
    return {r["key"]: r["count"] for r in next(b for b in data["breakdowns"] if b["key"] == key)["rows"]}
