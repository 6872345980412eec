"""Service performance per agency, child-population import (all or nothing) and rates, Satgas coverage."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sinergi.cases import services as case_services
from sinergi.cases import taxonomy as t
from sinergi.cases.tests.factories import complete_referral, make_case, make_referral, victim_of
from sinergi.core.clock import tenant_today
from sinergi.maps.models import ChildPopulation
from sinergi.regions.models import District, Village
from sinergi.tenants.models import Agency
from sinergi.tenants.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

PERF = "/api/v1/maps/performance/"
POP = "/api/v1/maps/child-population/"


@pytest.fixture
def referrals(tenant, cm, dinsos, dinsos_officer):
    """Three referrals to Dinsos: one completed, one declined, one still pending."""
    made = []
    for _ in range(3):
        case = make_case(cm, tenant, reported_on=tenant_today(tenant))
        made.append(make_referral(cm, case, dinsos, victim=victim_of(case)))
    complete_referral(dinsos_officer, made[0])
    case_services.referral_respond(actor=dinsos_officer, referral=made[1], accept=False, reason="Kapasitas penuh")
    made[2].due_on = tenant_today(tenant) - dt.timedelta(days=1)  # still pending, past its due date
    made[2].save()
    return made


def test_performance_per_agency_and_service(client_for, head, referrals, dinsos, tenant):
    data = client_for(head).get(PERF, {"year": tenant_today(tenant).year}).json()
    row = next(a for a in data["agencies"] if a["agency"] == dinsos.name)
    assert row["referrals"] == 3
    assert row["accepted"] == 1
    assert row["declined"] == 1
    assert row["completed"] == 1
    assert row["overdue"] == 1
    assert row["answered_late"] == 0
    assert row["answer_hours"] is not None
    assert row["completion_hours"] is not None
    assert [s["service_type"] for s in row["services"]] == [t.ServiceType.SOCIAL_REHAB]
    assert sum(m["referrals"] for m in data["trend"]) == 3
    assert data["first_response"]["cases"] == 3
    csv = client_for(head).get(PERF, {"year": tenant_today(tenant).year, "format": "csv"}).content.decode()
    assert dinsos.name in csv
    page = client_for(head).get("/maps/kinerja/")
    assert page.status_code == 200
    assert dinsos.name in page.content.decode()


def test_performance_is_not_for_agency_staff(client_for, officer, referrals):
    assert client_for(officer).get(PERF).status_code == 403
    assert client_for(officer).get("/maps/kinerja/").status_code == 403


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("anak.csv", text.encode(), content_type="text/csv")


def test_population_import_and_rates(client_for, head, tenant, cm):
    district = District.objects.filter(regency_id=tenant.regency_id).order_by("code").first()
    village = Village.objects.filter(district=district).order_by("code").first()
    year = tenant_today(tenant).year
    body = f"tahun,kode_wilayah,jumlah_anak\n{year},{district.code},1.000\n{year},{village.code},400\n"
    response = client_for(head).post(POP, {"file": _csv(body)})
    assert response.status_code == 201, response.content
    assert response.json() == {"rows": 2}
    for _ in range(3):
        make_case(cm, tenant, reported_on=tenant_today(tenant), district_code=district.code)
    data = client_for(head).get("/api/v1/maps/office/", {"year": year}).json()
    row = next(r for r in data["regions"] if r["code"] == district.code)
    assert row["children"] == 1000
    assert row["child_victims_per_1000"] == pytest.approx(1000 * row["child_victims"] / 1000)
    assert data["population_year"] == year
    # A second import of the same year and region replaces it.
    client_for(head).post(POP, {"file": _csv(f"tahun,kode_wilayah,jumlah_anak\n{year},{district.code},2000\n")})
    assert ChildPopulation.objects.get(tenant=tenant, region_code=district.code, year=year).children == 2000


def test_population_import_refuses_the_whole_file_with_an_error_per_row(client_for, head, tenant, other_tenant):
    district = District.objects.filter(regency_id=tenant.regency_id).first()
    foreign = District.objects.filter(regency_id=other_tenant.regency_id).first()
    body = (
        "tahun,kode_wilayah,jumlah_anak\n"
        f"2025,{district.code},100\n"
        f"1890,{district.code},100\n"
        f"2025,{foreign.code},100\n"
        f"2025,{district.code},-4\n"
        f"2025,{district.code},12\n"
    )
    response = client_for(head).post(POP, {"file": _csv(body)})
    assert response.status_code == 400
    lines = [e["line"] for e in response.json()["errors"]]
    assert lines == [3, 4, 5, 6]
    assert not ChildPopulation.objects.exists()
    page = client_for(head).post("/maps/penduduk-anak/", {"file": _csv(body)})
    assert page.status_code == 400
    assert "import-errors" in page.content.decode()
    assert client_for(head).post(POP, {"file": _csv("a,b\n1,2\n")}).status_code == 400


def test_population_import_is_for_the_office_head(client_for, cm, tenant):
    assert client_for(cm).post(POP, {"file": _csv("tahun,kode_wilayah,jumlah_anak\n")}).status_code == 403
    assert client_for(cm).get("/maps/penduduk-anak/").status_code == 403


def test_satgas_coverage_per_kelurahan(client_for, head, tenant):
    village = Village.objects.filter(district__regency_id=tenant.regency_id).order_by("code").first()
    AgencyFactory(tenant=tenant, kind=Agency.Kind.SATGAS_PPA, village=village, district=village.district)
    AgencyFactory(tenant=tenant, kind=Agency.Kind.SATGAS_PPA, village=village, is_active=False)
    data = client_for(head).get("/api/v1/maps/coverage/").json()
    row = next(v for v in data["villages"] if v["code"] == village.code)
    assert row["covered"] is True
    assert row["satgas_units"] == 1
    assert data["covered"] == 1
    assert data["total"] == Village.objects.filter(district__regency_id=tenant.regency_id).count()
    page = client_for(head).get("/maps/").content.decode()
    assert 'id="satgas-coverage"' in page
