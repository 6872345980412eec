"""The office's data map: exact counts for the case team and the office head, protected below kecamatan
for analysts, nothing for anyone else; GROUP BY queries, cache invalidated by a case change; downloads."""

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sinergi.accounts.roles import Role
from sinergi.cases import taxonomy as t
from sinergi.cases.tests.factories import make_case
from sinergi.core.clock import tenant_today
from sinergi.maps import office
from sinergi.regions.models import District, Village

pytestmark = pytest.mark.django_db

API = "/api/v1/maps/office/"


@pytest.fixture
def year(tenant):
    return tenant_today(tenant).year - 1


@pytest.fixture
def places(tenant):
    d1, d2 = District.objects.filter(regency_id=tenant.regency_id).order_by("code")[:2]
    v1, v2 = Village.objects.filter(district=d1).order_by("code")[:2]
    return {"d1": d1, "d2": d2, "v1": v1, "v2": v2}


@pytest.fixture
def cases(tenant, make_user, year, places):
    """d1: 12 cases in v1, 2 in v2 (a small count); d2: 3 cases without kelurahan."""
    worker = make_user(Role.CASE_MANAGER)
    made = []
    plan = [(places["d1"], places["v1"], 12), (places["d1"], places["v2"], 2), (places["d2"], None, 3)]
    for district, village, n in plan:
        for i in range(n):
            made.append(
                make_case(
                    worker,
                    tenant,
                    category=t.Category.VIOLENCE_CHILD if i % 2 else t.Category.DOMESTIC,
                    reported_on=dt.date(year, 1 + i % 12, 5),
                    district_code=district.code,
                    village_code=village.code if village else "",
                )
            )
    return made


@pytest.fixture
def analyst(make_user):
    return make_user(Role.ANALYST)


def _get(client, url, **params):
    return client.get(url, params)


def _region(data, code):
    return next(r for r in data["regions"] if r["code"] == code)


def test_office_head_sees_exact_counts_per_kecamatan_and_kelurahan(client_for, head, cases, places, year):
    client = client_for(head)
    data = _get(client, API, year=year).json()
    assert data["exact"] is True
    assert _region(data, places["d1"].code)["cases"] == 14
    assert _region(data, places["d2"].code)["cases"] == 3
    data = _get(client, API, year=year, level="kelurahan").json()
    assert _region(data, places["v1"].code)["cases"] == 12
    assert _region(data, places["v2"].code)["cases"] == 2


def test_analyst_gets_small_counts_hidden_below_kecamatan_only(client_for, analyst, cases, places, year):
    client = client_for(analyst)
    data = _get(client, API, year=year).json()
    assert data["exact"] is False
    assert _region(data, places["d1"].code)["cases"] == 14  # kecamatan: exact
    data = _get(client, API, year=year, level="kelurahan").json()
    assert data["protected_below_kecamatan"] is True
    assert _region(data, places["v2"].code)["cases"] is None  # 2 is in 1..threshold
    # Secondary suppression: 14 - 12 would give v2 back, so v1 is hidden too.
    hidden = [r for r in data["regions"] if r["kecamatan"] == places["d1"].code and r["cases"] is None]
    assert len(hidden) >= 2
    for r in data["regions"]:
        assert r["cases"] is None or r["cases"] == 0 or r["cases"] > 4
    assert data["not_located"] is None
    page = client.get("/maps/", {"year": year, "level": "kelurahan"})
    assert page.status_code == 200
    assert b"<td>2</td>" not in page.content


def test_region_detail_breakdown_and_protection(client_for, head, analyst, cases, places, year):
    url = f"{API}regions/{places['d1'].code}/"
    data = _get(client_for(head), url, year=year).json()
    assert data["totals"]["cases"] == 14
    category = next(b for b in data["breakdowns"] if b["key"] == "category")
    counts = {r["key"]: r["count"] for r in category["rows"]}
    assert counts[t.Category.VIOLENCE_CHILD] + counts[t.Category.DOMESTIC] == 14
    assert sum(r["count"] for r in data["trend"]["rows"]) == 14
    small = _get(client_for(analyst), f"{API}regions/{places['v2'].code}/", year=year).json()
    assert small["protected"] is True
    assert small["totals"]["cases"] is None
    for table in [small["trend"], *small["breakdowns"]]:
        assert all(r["count"] in (None, 0) or r["count"] > 4 for r in table["rows"])


def test_other_readers_and_other_tenants_get_nothing(client_for, officer, make_user, other_tenant, cases, year):
    assert _get(client_for(officer), API, year=year).status_code == 403
    assert client_for(officer).get("/maps/").status_code == 403
    satgas = make_user(Role.SATGAS_VOLUNTEER)
    assert _get(client_for(satgas), API, year=year).status_code == 403
    foreign = District.objects.filter(regency_id=other_tenant.regency_id).first()
    head = make_user(Role.OFFICE_HEAD)
    assert _get(client_for(head), f"{API}regions/{foreign.code}/", year=year).status_code == 404


def test_bad_filters_are_refused(client_for, head, year):
    client = client_for(head)
    assert _get(client, API, year=year, category="nope").status_code == 400
    assert _get(client, API, year=year, level="provinsi").status_code == 400
    assert client.get("/maps/", {"year": "x"}).status_code == 400


def test_filters_by_category_age_and_sex(client_for, head, cases, places, year):
    client = client_for(head)
    data = _get(client, API, year=year, category=t.Category.DOMESTIC).json()
    assert data["totals"]["cases"] == sum(1 for c in cases if c.category == t.Category.DOMESTIC)
    everyone = _get(client, API, year=year).json()["totals"]
    for sex in t.Sex.values:
        data = _get(client, API, year=year, sex=sex).json()
        assert data["totals"]["victims"] <= everyone["victims"]
    by_sex = sum(_get(client, API, year=year, sex=sex).json()["totals"]["victims"] for sex in t.Sex.values)
    assert by_sex == everyone["victims"]


def test_aggregates_are_group_by_and_cached_until_a_case_changes(
    tenant, head, cases, places, year, make_user, django_capture_on_commit_callbacks, fixtures_committed
):
    fixtures_committed()
    q = office.map_query(year=year, level="kelurahan")
    with CaptureQueriesContext(connection) as first:
        data = office.office_map(user=head, tenant=tenant, q=q)
    assert _region(data, places["v1"].code)["cases"] == 12
    with CaptureQueriesContext(connection) as cached:
        office.office_map(user=head, tenant=tenant, q=q)
    assert len(cached) < len(first)
    assert not any("cases_case" in query["sql"] for query in cached.captured_queries)
    with django_capture_on_commit_callbacks(execute=True):  # invalidated once the change is committed
        make_case(
            make_user(Role.CASE_MANAGER),
            tenant,
            reported_on=dt.date(year, 3, 3),
            district_code=places["d1"].code,
            village_code=places["v1"].code,
        )
    data = office.office_map(user=head, tenant=tenant, q=q)
    assert _region(data, places["v1"].code)["cases"] == 13
    # The number of queries does not grow with the cases.
    office.map_cache_bump(tenant)
    with CaptureQueriesContext(connection) as again:
        office.office_map(user=head, tenant=tenant, q=q)
    assert len(again) == len(first)


def test_downloads_csv_and_xlsx_match_the_api(client_for, head, cases, places, year):
    client = client_for(head)
    csv_body = client.get(API, {"year": year, "format": "csv"})
    assert csv_body["Content-Type"].startswith("text/csv")
    text = csv_body.content.decode()
    assert f"{places['d1'].code},{places['d1'].name},{places['d1'].code},14," in text
    xlsx = client.get(API, {"year": year, "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert any(r[0] == places["d1"].code and r[3] == 14 for r in rows)
    region = client.get(f"{API}regions/{places['d1'].code}/", {"year": year, "format": "csv"})
    assert region.status_code == 200
    assert b"2" in region.content
    assert client.get("/api/v1/maps/coverage/", {"format": "xlsx"}).status_code == 200


def test_boundaries_of_own_regency(client_for, head, tenant):
    body = client_for(head).get("/api/v1/maps/boundaries/kecamatan/").json()
    codes = {f["properties"]["code"] for f in body["features"]}
    assert codes
    assert all(code.startswith(tenant.regency_id + ".") for code in codes)


def test_page_renders_table_and_server_side_region_detail(client_for, head, cases, places, year):
    page = client_for(head).get("/maps/", {"year": year, "region": places["d1"].code})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="office-map"' in html
    assert places["d1"].name in html
    assert 'data-total="cases">14<' in html
