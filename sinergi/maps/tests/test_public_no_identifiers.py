"""Acceptance: the public ILA outputs (page, JSON, CSV, public API, SVG map) never carry a name, a case
number, any other identifying field, a kelurahan/desa-level figure or a date finer than the period.

Every case is seeded with distinctive identifying values, in a kelurahan, on a distinct day; every output
is fetched as a stranger would and searched for each of them."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import translation

from sinergi.accounts.roles import Role
from sinergi.cases import taxonomy as t
from sinergi.cases.tests.factories import PerpetratorInputFactory, PersonInputFactory, ReporterInputFactory, make_case
from sinergi.core.clock import tenant_today
from sinergi.maps.public import public_figures
from sinergi.regions.models import District, Village

pytestmark = pytest.mark.django_db

OUTPUTS = ["ila:page", "ila:json", "ila:csv", "ila:map", "api-public-ila"]
MONTHS_ID = "Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember"
MONTHS_EN = "January|February|March|April|May|June|July|August|September|October|November|December"
SHORT = "Jan|Feb|Mar|Apr|Mei|May|Jun|Jul|Agu|Aug|Sep|Okt|Oct|Nov|Des|Dec"


@pytest.fixture
def secrets(tenant, make_user):
    """45 cases in the first quarter of last year, in three kelurahan of two kecamatan, each on its own day
    of the quarter, with unique identities."""
    worker = make_user(Role.CASE_MANAGER)
    year = tenant_today(tenant).year - 1
    d1, d2 = District.objects.filter(regency_id=tenant.regency_id).order_by("code")[:2]
    villages = [*Village.objects.filter(district=d1).order_by("code")[:2], Village.objects.filter(district=d2).first()]
    values: list[str] = []
    cases = []
    for i in range(45):
        village = villages[i % 3]
        tokens = {
            "victim": f"Kartika Wibisono{'x' * (i + 1)}",
            "guardian": f"Sulistyowati Handayani{'q' * (i + 1)}",
            "perpetrator": f"Bonaventura Sitompul{'z' * (i + 1)}",
            "reporter": f"Hermawati Kusumadewi{'k' * (i + 1)}",
            "address": f"Jalan Anggrek Ungu {700 + i}",
            "school": f"SD Negeri Zamrud {i + 1}",
            "chronology": f"Kronologi rahasia xylofon {i}",
        }
        victim = PersonInputFactory(
            full_name=tokens["victim"],
            guardian_name=tokens["guardian"],
            address=tokens["address"],
            school_name=tokens["school"],
        )
        people = [
            victim,
            PerpetratorInputFactory(full_name=tokens["perpetrator"]),
            ReporterInputFactory(full_name=tokens["reporter"]),
        ]
        day = dt.date(year, 1 + i % 3, 1 + i % 28)  # one quarter: enough cases for published cells
        case = make_case(
            worker,
            tenant,
            category=t.Category.SEXUAL if i % 5 == 0 else t.Category.DOMESTIC if i % 2 else t.Category.VIOLENCE_CHILD,
            reported_on=day,
            incident_on=day - dt.timedelta(days=1),
            district_code=village.district_id,
            village_code=village.code,
            chronology=tokens["chronology"],
            people=people,
        )
        cases.append(case)
        values += [*tokens.values(), victim.nik, victim.phone, victim.guardian_phone, case.number]
    with translation.override("id"):
        public_figures(tenant=tenant)
    return {"values": values, "villages": villages, "year": year, "cases": cases}


@pytest.mark.parametrize("name", OUTPUTS)
def test_no_identifier_kelurahan_figure_or_fine_date_in_public_outputs(client, tenant, secrets, name):
    response = client.get(reverse(name, args=[tenant.code]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "figures-preparing" not in body
    for value in secrets["values"]:
        assert value not in body, value
    # Stems too: a truncated or differently cased identity is still one.
    for stem in ("Wibisono", "Handayani", "Sitompul", "Kusumadewi", "Anggrek Ungu", "Zamrud", "xylofon"):
        assert stem.lower() not in body.lower()
    assert not re.search(r"\b\d{2}\.\d{2}\.\d{2}\.\d{4}\b", body)  # a kelurahan/desa code (64.02.01.2001)
    for village in Village.objects.filter(district__regency_id=tenant.regency_id):
        assert village.code not in body
        for quoted in (f">{village.name}<", f'"{village.name}"', f",{village.name},"):
            assert quoted not in body
    # Dates: no day in any format, no month of a year (the finest period is the quarter).
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}", body)
    assert not re.search(r"(?<![\d.])\d{1,2}[/.-]\d{1,2}[/.-]\d{4}\b", body)
    assert not re.search(rf"\b\d{{1,2}}\s+({MONTHS_ID}|{MONTHS_EN}|{SHORT})\b", body, re.IGNORECASE)
    assert not re.search(rf"\b({MONTHS_ID}|{MONTHS_EN})\s+\d{{4}}\b", body, re.IGNORECASE)
    assert not re.search(r"\b\d{4}-\d{2}\b(?!\d)", body)  # 2025-03 (a month)


def test_the_outputs_do_publish_the_kecamatan_figures(client, tenant, secrets):
    """The test above is not vacuous: the same outputs carry the year's kecamatan figures."""
    data = client.get(reverse("ila:json", args=[tenant.code])).json()
    year = next(y for y in data["years"] if y["year"] == secrets["year"])
    codes = {row["code"] for table in year["tables"] for row in table["rows"]}
    assert {v.district_id for v in secrets["villages"]} <= codes
    shown = [c["value"] for table in year["tables"] for row in table["rows"] for c in row["cells"]]
    assert any(v and v > tenant.small_count_threshold for v in shown)  # a kecamatan × category cell
