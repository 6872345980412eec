"""The public ILA page, its JSON/CSV downloads and map: what a citizen (or an attacker) can read."""

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sinergi.accounts.roles import Role
from sinergi.cases import taxonomy as t
from sinergi.cases.models import Case
from sinergi.cases.tests.factories import make_case
from sinergi.core.clock import tenant_today
from sinergi.maps.disclosure import Release, audit, positions
from sinergi.maps.models import PublishedRelease
from sinergi.maps.public import PUBLIC_GROUPS, public_figures
from sinergi.regions.models import District, Village
from sinergi.tenants.models import Agency
from sinergi.tenants.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

VICTIM_NAME = "Kartika Larasati Wibisono"
SEXUAL = [g.key for g in PUBLIC_GROUPS].index("seksual")
CHILD = [g.key for g in PUBLIC_GROUPS].index("anak")
WOMAN = [g.key for g in PUBLIC_GROUPS].index("perempuan")


@pytest.fixture
def year(tenant):
    return tenant_today(tenant).year - 1


@pytest.fixture
def cases(tenant, make_user, year):
    """Last year: a large count, a small one (2 sexual-violence cases) and a small kecamatan total."""
    worker = make_user(Role.CASE_MANAGER)
    d1, d2, d3 = District.objects.filter(regency_id=tenant.regency_id).order_by("code")[:3]
    village = Village.objects.filter(district=d2).first()
    made = []
    plan = [
        (d1, t.Category.VIOLENCE_CHILD, dt.date(year, 2, 10), 12),
        (d1, t.Category.DOMESTIC, dt.date(year, 2, 11), 9),
        (d2, t.Category.VIOLENCE_CHILD, dt.date(year, 3, 3), 10),
        (d2, t.Category.SEXUAL, dt.date(year, 3, 4), 2),
        (d2, t.Category.DOMESTIC, dt.date(year, 5, 6), 11),
        (d3, t.Category.DOMESTIC, dt.date(year, 2, 20), 8),
        (d3, t.Category.VIOLENCE_CHILD, dt.date(year, 2, 21), 7),
        (d3, t.Category.TPPO, dt.date(year, 8, 21), 1),
    ]
    for district, category, day, n in plan:
        for _ in range(n):
            made.append(
                make_case(
                    worker,
                    tenant,
                    category=category,
                    reported_on=day,
                    incident_on=day - dt.timedelta(days=2),
                    district_code=district.code,
                    village_code=village.code if district == d2 else "",
                    victim={"full_name": VICTIM_NAME},
                )
            )
    return made


def _cells(figures):
    for year in figures["years"]:
        for table in year["tables"]:
            for row in table["rows"]:
                yield from ((table["period"], row["code"], j, c) for j, c in enumerate(row["cells"]))
                yield table["period"], row["code"], "total", row["total"]
            for j, c in enumerate(table["col_totals"]):
                yield table["period"], "total", j, c
            yield table["period"], "total", "total", table["total"]


def test_page_shows_where_to_report_and_the_figures_without_login(client, tenant, cases, year):
    tenant.office_address = "Jl. Pahlawan No. 1\nTenggarong"
    tenant.office_phone = "0541-661234"
    tenant.save()
    AgencyFactory(tenant=tenant, kind=Agency.Kind.POLICE_PPA, name="Unit PPA Polres Kukar", short_name="PPA Polres")
    response = client.get(reverse("ila:page", args=[tenant.code]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "129" in html
    assert "Jl. Pahlawan No. 1" in html
    assert "0541-661234" in html
    assert "Unit PPA Polres Kukar" in html
    assert reverse("public:report_for", args=[tenant.code]) in html
    assert "<td>12</td>" in html or ">21<" in html  # a large count is published
    assert "&lt;10" in html  # the 2 sexual-violence cases, under the higher threshold
    assert "<script" not in html
    assert f"Tahun {year}" in html or f"Year {year}" in html


def test_no_published_figure_lies_between_one_and_the_threshold(client, tenant, cases):
    figures = client.get(reverse("api-public-ila", args=[tenant.code])).json()
    thr, thr_sexual = tenant.small_count_threshold, tenant.small_count_threshold_sexual
    seen_hidden = False
    for _period, _row, col, cell in _cells(figures):
        if cell["value"] is None:
            seen_hidden = True
            assert cell["reason"] in ("primary", "secondary", "group")
            continue
        limit = thr_sexual if col == SEXUAL else thr
        assert not 1 <= cell["value"] <= limit
    assert seen_hidden


@pytest.mark.parametrize("name", ["ila:page", "ila:json", "ila:csv", "api-public-ila"])
def test_public_outputs_carry_no_name_case_number_kelurahan_or_fine_date(client, tenant, cases, name):
    body = client.get(reverse(name, args=[tenant.code])).content.decode()
    assert VICTIM_NAME not in body
    for case in cases[:5]:
        assert case.number not in body
    for village in Village.objects.filter(district__regency_id=tenant.regency_id):
        assert village.name not in body
        assert village.code not in body
    # No day: neither ISO dates nor "10 Februari"-like dates; only years and quarters.
    assert not re.search(r"\d{4}-\d{2}-\d{2}", body)
    assert not re.search(r"\b\d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus)\b", body)


def test_csv_has_the_same_rules_as_the_page(client, tenant, cases):
    response = client.get(reverse("ila:csv", args=[tenant.code]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["periode", "kode_kecamatan", "kecamatan", "kategori", "jumlah"]
    values = [r[4] for r in rows[1:]]
    assert any(v.startswith("<") for v in values)
    assert all(not (v.isdigit() and 1 <= int(v) <= tenant.small_count_threshold) for v in values)


def test_every_hidden_cell_of_every_stored_release_keeps_its_interval(client, tenant, cases, year):
    client.get(reverse("ila:page", args=[tenant.code]))
    entries = PublishedRelease.objects.filter(tenant=tenant, year=year)
    assert entries.count() >= 2
    releases = [Release.from_dict({"atoms": e.atoms, "published": e.published}) for e in entries]
    rows, cols = entries[0].rows, entries[0].cols
    from sinergi.maps.public import _truth

    truth = _truth(tenant, year, [1, 2, 3, 4], rows)
    targets = [
        (rel.atoms, pos) for rel in releases for pos in positions(len(rows), len(cols)) if pos not in rel.published
    ]
    for key, (low, high) in audit(
        truth=truth, releases=releases, targets=targets, n_rows=len(rows), n_cols=len(cols)
    ).items():
        assert high - low >= tenant.small_count_threshold - 1e-6, key


def test_figures_come_from_the_cache_until_a_case_changes(
    client, tenant, cases, make_user, year, django_capture_on_commit_callbacks, fixtures_committed
):
    worker = make_user(Role.CASE_MANAGER)
    fixtures_committed()
    url = reverse("api-public-ila", args=[tenant.code])
    first = client.get(url).json()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).json() == first
    assert len(queries) <= 4  # tenant, version of the counts and cached figures (one cache read each), bytes
    assert not any("cases_case" in query["sql"] for query in queries.captured_queries)
    with django_capture_on_commit_callbacks(execute=True):
        make_case(
            worker,
            tenant,
            category=t.Category.VIOLENCE_CHILD,
            reported_on=dt.date(year, 2, 12),
            incident_on=dt.date(year, 2, 10),
        )
    assert client.get(url).json() != first


def test_public_reading_is_not_throttled_per_ip(client, tenant, cases):
    url = reverse("api-public-ila", args=[tenant.code])
    for _ in range(80):  # more than the anonymous API rate (60/hour)
        assert client.get(url, REMOTE_ADDR="203.0.113.7").status_code == 200


def test_unknown_or_inactive_regency_is_404(client, tenant):
    assert client.get(reverse("ila:page", args=["99.99"])).status_code == 404
    assert client.get(reverse("api-public-ila", args=["99.99"])).status_code == 404
    tenant.is_active = False
    tenant.save()
    assert client.get(reverse("ila:page", args=[tenant.code])).status_code == 404


def test_page_weighs_under_200_kb_before_the_map(client, tenant, cases):
    from django.contrib.staticfiles import finders

    html = client.get(reverse("ila:page", args=[tenant.code])).content
    css = sum(Path(finders.find(p)).stat().st_size for p in ("vendor/pico/pico.classless.min.css", "css/sinergi.css"))
    assert len(html) + css < 200 * 1024


def test_map_shades_the_kecamatan_and_hides_small_totals(client, tenant, cases):
    response = client.get(reverse("ila:map", args=[tenant.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.count("<path") >= 3
    assert "<script" not in svg
    assert VICTIM_NAME not in svg


def test_index_leads_to_the_only_regency(client, tenant):
    response = client.get(reverse("ila:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("ila:page", args=[tenant.code])


def test_a_quarter_still_running_is_not_published(tenant, make_user):
    today = tenant_today(tenant)
    make_case(make_user(Role.CASE_MANAGER), tenant, reported_on=today, incident_on=today)
    figures = public_figures(tenant=tenant)
    current = (today.month - 1) // 3 + 1
    periods = {table["period"] for y in figures["years"] for table in y["tables"]}
    assert f"{today.year}-Q{current}" not in periods
    assert Case.objects.filter(tenant=tenant).count() == 1
