"""Monthly statistics, the SIMFONI-PPA export and the case summary PDF: services and views (personas)."""

import csv
import datetime as dt
import io
import json
import urllib.request
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time
from openpyxl import load_workbook
from pypdf import PdfReader

from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent
from sinergi.cases import exports, pdf
from sinergi.cases import services as s
from sinergi.cases import taxonomy as t
from sinergi.cases.statistics import monthly_statistics, period_for
from sinergi.jobs.models import Job
from sinergi.regions.models import District
from sinergi.tenants.models import Agency

from .factories import PerpetratorInputFactory, PersonInputFactory, ReporterInputFactory, make_agency, make_case

pytestmark = pytest.mark.django_db

MARCH = dt.datetime(2025, 3, 14, 3, 0, tzinfo=dt.UTC)
FEBRUARY = dt.datetime(2025, 2, 10, 3, 0, tzinfo=dt.UTC)
STATS_URL = reverse("cases:statistics")
EXPORT_URL = reverse("cases:export_simfoni")

VICTIM_A = {
    "full_name": "Anindya Puspitasari",
    "nik": "6402015103150002",
    "birth_date": dt.date(2014, 6, 1),
    "address": "Jalan Cempaka Putih 21",
    "phone": "081355550001",
    "school_name": "SD Negeri Cempaka",
    "guardian_name": "Wiryono Santoso",
    "guardian_phone": "081355550002",
    "sex": "F",
    "education": "sd",
    "disabilities": ["physical"],
}
CHRONOLOGY_A = "Korban dipukul ayahnya setelah pulang sekolah"
IDENTITY_STRINGS = [
    "Anindya",
    "Puspitasari",
    "6402015103150002",
    "2014-06-01",
    "Cempaka",
    "081355550001",
    "Wiryono",
    "081355550002",
    "Bramantyo",
    "Kusnadi",
    "Rosalinda",
    "Citra Ayu",
    "dipukul",
    "Pelapor Sejati",
]


def squash(text: str) -> str:
    return "".join(text.split())


def pdf_text(data: bytes) -> str:
    return squash("".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


@pytest.fixture
def world(make_user, tenant, other_tenant):
    """Four cases in March 2025 and one in February, referrals in every state, and another regency."""
    users = {
        "cm": make_user(Role.CASE_MANAGER),
        "head": make_user(Role.OFFICE_HEAD),
        "analyst": make_user(Role.ANALYST),
        "satgas": make_user(Role.SATGAS_VOLUNTEER),
        "other_cm": make_user(Role.CASE_MANAGER, tenant=other_tenant),
        "other_head": make_user(Role.OFFICE_HEAD, tenant=other_tenant),
        "other_analyst": make_user(Role.ANALYST, tenant=other_tenant),
    }
    agencies = {
        "dinsos": make_agency(tenant, Agency.Kind.DINSOS, short_name="Dinsos"),
        "disdik": make_agency(tenant, Agency.Kind.DISDIK, short_name="Disdik"),
        "rsud": make_agency(tenant, Agency.Kind.HEALTH_FACILITY, short_name="RSUD"),
        "police": make_agency(tenant, Agency.Kind.POLICE_PPA, short_name="Unit PPA"),
        "shelter": make_agency(tenant, Agency.Kind.NGO, short_name="Rumah Aman"),
    }
    for key, agency in agencies.items():
        users[key] = make_user(Role.SERVICE_PROVIDER, agency=agency)
    users["shelter_idle"] = make_user(Role.SERVICE_PROVIDER, agency=agencies["shelter"])
    cm = users["cm"]
    with freeze_time(MARCH):
        a = make_case(
            cm,
            tenant,
            category=t.Category.VIOLENCE_CHILD,
            forms=["physical", "psychological"],
            incident_place=t.Place.HOUSEHOLD,
            district_code="64.02.01",
            village_code="64.02.01.1001",
            chronology=CHRONOLOGY_A,
            people=[
                PersonInputFactory(**VICTIM_A),
                PerpetratorInputFactory(full_name="Bramantyo Ayah", relation_to_victim="parent", age=40),
                PerpetratorInputFactory(full_name="Kusnadi Tetangga", relation_to_victim="neighbour", age=30),
                ReporterInputFactory(full_name="Pelapor Sejati"),
            ],
        )
        refs = {
            "dinsos": s.referral_create(actor=cm, case=a, agency=agencies["dinsos"], service_type="social_rehab"),
            "disdik": s.referral_create(actor=cm, case=a, agency=agencies["disdik"], service_type="schooling"),
            "rsud": s.referral_create(actor=cm, case=a, agency=agencies["rsud"], service_type="medical"),
            "police": s.referral_create(actor=cm, case=a, agency=agencies["police"], service_type="police"),
        }
        s.referral_respond(actor=users["dinsos"], referral=refs["dinsos"], accept=True)
        s.service_record(
            actor=users["dinsos"], referral=refs["dinsos"], delivered_on=MARCH.date(), sessions=2, outcome="completed"
        )
        s.referral_respond(actor=users["disdik"], referral=refs["disdik"], accept=True)
        s.referral_respond(actor=users["police"], referral=refs["police"], accept=False, reason="Sudah ditangani")
        b = make_case(
            cm,
            tenant,
            category=t.Category.SEXUAL,
            forms=["sexual"],
            incident_place=t.Place.SCHOOL,
            district_code="64.02.02",
            people=[
                PersonInputFactory(full_name="Rosalinda", age=15, birth_date=None, sex="F", education="sltp"),
                PersonInputFactory(full_name="Citra Ayu", age=4, birth_date=None, sex="M", education="paud"),
                PerpetratorInputFactory(relation_to_victim="teacher", age=35, sex="M"),
            ],
        )
        c = make_case(
            users["satgas"],
            tenant,
            category=t.Category.DOMESTIC,
            forms=["psychological"],
            incident_place="",
            district_code="",
            people=[PersonInputFactory(adult=True, age=30, birth_date=None, disabilities=[])],
        )
    with freeze_time(FEBRUARY):
        d = make_case(cm, tenant, category=t.Category.NEGLECT, forms=["neglect"], district_code="64.02.03")
    with freeze_time(MARCH):
        other = make_case(users["other_cm"], other_tenant, category=t.Category.TPPO, forms=["trafficking"])
    return {
        "users": users,
        "agencies": agencies,
        "cases": {"a": a, "b": b, "c": c, "d": d, "other": other},
        "refs": refs,
    }


def rows_by(table) -> dict[str, int]:
    return {row.key: row.count for row in table.rows}


# ---- statistics (selector) -------------------------------------------------------------------


def test_monthly_statistics_counts_and_breakdowns(world, tenant):
    stats = monthly_statistics(user=world["users"]["analyst"], tenant=tenant, year=2025, month=3)
    assert stats.totals == {
        "cases": 3,
        "cases_with_child_victim": 2,
        "victims": 4,
        "child_victims": 3,
        "victims_with_disability": 1,
        "perpetrators": 3,
    }
    assert stats.by_month is None
    category = rows_by(stats.table("category"))
    assert (category["violence_child"], category["sexual"], category["domestic"], category["neglect"]) == (1, 1, 1, 0)
    assert sum(category.values()) == 3
    forms = rows_by(stats.table("form"))
    assert forms == {
        "physical": 1,
        "psychological": 2,
        "sexual": 1,
        "exploitation": 0,
        "trafficking": 0,
        "neglect": 0,
        "other": 0,
    }
    age = rows_by(stats.table("age_band"))
    assert (age["0-5"], age["6-12"], age["13-17"], age["25-44"], age["60+"]) == (1, 1, 1, 1, 0)
    assert rows_by(stats.table("sex")) == {"F": 3, "M": 1}
    district = rows_by(stats.table("district"))
    assert district == {"64.02.01": 1, "64.02.02": 1, "64.02.03": 0, "": 1}  # "" = not recorded
    place = rows_by(stats.table("place"))
    assert (place["household"], place["school"], place[""]) == (1, 1, 1)
    relation = rows_by(stats.table("relation"))
    assert (relation["parent"], relation["neighbour"], relation["teacher"], relation["other"]) == (1, 1, 1, 0)
    # Labels are human readable, percentages are of the table's base.
    sex_table = stats.table("sex")
    assert [(r.label, r.percent) for r in sex_table.rows] == [
        (str(t.Sex.FEMALE.label), 75.0),
        (str(t.Sex.MALE.label), 25.0),
    ]
    assert stats.table("district").rows[0].label == "Kecamatan 1 Kabupaten Kutai Kartanegara"


def test_yearly_statistics_add_a_per_month_table(world, tenant):
    stats = monthly_statistics(user=world["users"]["head"], tenant=tenant, year=2025)
    assert stats.totals["cases"] == 4
    per_month = rows_by(stats.by_month)
    assert (per_month["2"], per_month["3"], per_month["4"]) == (1, 3, 0)
    assert len(stats.by_month.rows) == 12


def test_statistics_of_another_regency_stay_apart(world, other_tenant):
    stats = monthly_statistics(user=world["users"]["other_analyst"], tenant=other_tenant, year=2025, month=3)
    assert (stats.totals["cases"], rows_by(stats.table("category"))["tppo"]) == (1, 1)


def test_statistics_permission(world, tenant):
    users = world["users"]
    for key in ("satgas", "dinsos"):
        with pytest.raises(PermissionDenied):
            monthly_statistics(user=users[key], tenant=tenant, year=2025, month=3)
    # Asking for another regency's figures is refused, even for an analyst.
    with pytest.raises(PermissionDenied):
        monthly_statistics(user=users["other_analyst"], tenant=tenant, year=2025, month=3)


def test_statistics_query_count_does_not_grow_with_cases(world, tenant):
    user = world["users"]["analyst"]
    with CaptureQueriesContext(connection) as before:
        monthly_statistics(user=user, tenant=tenant, year=2025)
    with freeze_time(MARCH):
        for _ in range(6):
            make_case(world["users"]["cm"], tenant, people=[PersonInputFactory(), PerpetratorInputFactory()])
    with CaptureQueriesContext(connection) as after:
        stats = monthly_statistics(user=user, tenant=tenant, year=2025)
    assert stats.totals["cases"] == 10
    assert len(after) == len(before) <= 12


@pytest.mark.parametrize(
    "kwargs",
    [
        {"year": 1999},
        {"year": 2025, "month": 13},
        {"year": None},
        {"date_from": dt.date(2025, 3, 2), "date_to": dt.date(2025, 3, 1)},
        {"date_from": dt.date(2025, 3, 2)},
        {"date_from": dt.date(2015, 1, 1), "date_to": dt.date(2025, 1, 1)},
    ],
)
def test_invalid_periods_are_refused(kwargs):
    with pytest.raises(ValidationError):
        period_for(**kwargs)


def test_periods():
    assert period_for(year=2024, month=2).as_dict() == {"from": "2024-02-01", "to": "2024-02-29"}
    assert period_for(year=2024).slug == "2024"
    assert period_for(date_from=dt.date(2025, 1, 5), date_to=dt.date(2025, 2, 1)).slug == "20250105-20250201"


# ---- statistics (view) -----------------------------------------------------------------------


def test_analyst_sees_the_statistics_page(world, client_for):
    response = client_for(world["users"]["analyst"]).get(STATS_URL, {"year": 2025, "month": 3})
    assert response.status_code == 200
    assert "cases/reports/statistics.html" in [tpl.name for tpl in response.templates]
    assert response.context["stats"].totals["cases"] == 3
    body = response.content.decode()
    assert "<meter" in body
    assert " style=" not in body
    assert "<script>" not in body
    assert 'id="stats-category"' in body
    # The analyst may not export, so no export link is offered.
    assert EXPORT_URL not in body
    for value in IDENTITY_STRINGS:
        assert value not in body


def test_office_head_gets_export_links_for_the_chosen_period(world, client_for):
    response = client_for(world["users"]["head"]).get(STATS_URL, {"year": 2025})
    body = response.content.decode()
    assert response.context["stats"].by_month is not None
    assert f"{EXPORT_URL}?format=xlsx&amp;year=2025" in body


def test_case_manager_gets_no_export_link(world, client_for):
    body = client_for(world["users"]["cm"]).get(STATS_URL, {"year": 2025}).content.decode()
    assert EXPORT_URL not in body


def test_statistics_htmx_request_gets_the_results_only(world, client_for):
    response = client_for(world["users"]["head"]).get(
        STATS_URL, {"year": 2025, "month": 3}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="stats-results"')
    assert "<html" not in body


def test_statistics_invalid_period_falls_back_to_the_current_month(world, client_for):
    response = client_for(world["users"]["analyst"]).get(STATS_URL, {"year": "abc", "month": 14})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["stats"].period.month is not None


@pytest.mark.parametrize("key", ["satgas", "dinsos"])
def test_statistics_forbidden_without_the_permission(world, client_for, key):
    assert client_for(world["users"][key]).get(STATS_URL).status_code == 403


def test_statistics_requires_login(client):
    response = client.get(STATS_URL)
    assert response.status_code == 302


def test_other_regency_sees_only_its_own_figures(world, client_for):
    response = client_for(world["users"]["other_head"]).get(STATS_URL, {"year": 2025, "month": 3})
    assert response.status_code == 200
    stats = response.context["stats"]
    assert stats.totals["cases"] == 1
    assert rows_by(stats.table("category"))["violence_child"] == 0


# ---- SIMFONI export --------------------------------------------------------------------------


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_simfoni_rows_one_per_victim_with_simfoni_labels(world, tenant):
    export = exports.simfoni_export(
        actor=world["users"]["head"], tenant=tenant, period=period_for(year=2025, month=3), fmt="csv"
    )
    rows = list(export.rows)
    assert rows[0] == exports.SIMFONI_HEADER
    data = rows[1:]
    assert export.row_count == len(data) == 4
    by_case = {}
    for row in data:
        by_case.setdefault(row[0], []).append(dict(zip(exports.SIMFONI_HEADER, row, strict=True)))
    a = by_case[world["cases"]["a"].number][0]
    assert a["Tanggal Lapor"] == dt.date(2025, 3, 14)
    assert a["Tanggal Kejadian"] == dt.date(2025, 3, 11)
    assert (a["Kode Kecamatan"], a["Kode Desa/Kelurahan"]) == ("64.02.01", "64.02.01.1001")
    assert a["Kecamatan"] == "Kecamatan 1 Kabupaten Kutai Kartanegara"
    assert a["Desa/Kelurahan"] == "Desa 1-1"
    assert a["Tempat Kejadian"] == "Rumah Tangga"
    assert a["Bentuk Kekerasan"] == "Fisik; Psikis"
    assert a["Kategori Kasus"] == "Kekerasan terhadap Anak"
    assert (a["Jenis Kelamin Korban"], a["Usia Korban"], a["Kelompok Usia Korban"]) == ("Perempuan", 10, "6-12")
    assert (a["Pendidikan Korban"], a["Disabilitas Korban"]) == ("SD", "Fisik")
    # One entry per perpetrator, aligned across the three perpetrator columns.
    perpetrators = zip(
        a["Hubungan Pelaku dengan Korban"].split("; "),
        a["Jenis Kelamin Pelaku"].split("; "),
        a["Usia Pelaku"].split("; "),
        strict=True,
    )
    assert sorted(perpetrators) == [("Orang Tua", "Laki-laki", "40"), ("Tetangga", "Laki-laki", "30")]
    # Completed (social rehabilitation) and accepted (schooling) services; pending and declined are not received.
    assert a["Layanan yang Diterima"] == "Rehabilitasi Sosial; Reintegrasi Sosial"

    b_rows = by_case[world["cases"]["b"].number]
    assert sorted((r["Jenis Kelamin Korban"], r["Kelompok Usia Korban"], r["Pendidikan Korban"]) for r in b_rows) == [
        ("Laki-laki", "0-5", "TK/PAUD"),
        ("Perempuan", "13-17", "SLTP"),
    ]
    assert all(r["Hubungan Pelaku dengan Korban"] == "Guru" for r in b_rows)
    c = by_case[world["cases"]["c"].number][0]
    assert (c["Kode Kecamatan"], c["Tempat Kejadian"], c["Hubungan Pelaku dengan Korban"], c["Disabilitas Korban"]) == (
        "",
        "N/A",
        "",
        "Tidak",
    )
    assert world["cases"]["d"].number not in by_case  # February
    assert world["cases"]["other"].number not in by_case  # another regency


def test_services_for_a_named_victim_are_counted_for_that_victim_only(world, tenant):
    cm, case = world["users"]["head"], world["cases"]["b"]
    victims = list(case.people.filter(role="victim"))
    rosalinda = next(v for v in victims if v.full_name == "Rosalinda")
    with freeze_time(MARCH):
        referral = s.referral_create(
            actor=cm, case=case, agency=world["agencies"]["rsud"], service_type="medical", victim=rosalinda
        )
        s.referral_respond(actor=world["users"]["rsud"], referral=referral, accept=True)
    export = exports.simfoni_export(actor=cm, tenant=tenant, period=period_for(year=2025, month=3), fmt="csv")
    services = {(row[10], row[18]) for row in list(export.rows)[1:] if row[0] == case.number}
    assert services == {("Perempuan", "Kesehatan"), ("Laki-laki", "")}


def test_csv_export_view_streams_without_identity_and_is_audited(world, client_for):
    cm = world["users"]["head"]
    response = client_for(cm).get(EXPORT_URL, {"format": "csv", "year": 2025, "month": 3})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="simfoni-ppa-6402-2025-03.csv"'
    assert response["Cache-Control"] == "no-store"
    rows = _csv(response)
    assert rows[0] == exports.SIMFONI_HEADER
    assert len(rows) == 5
    dump = json.dumps(rows, ensure_ascii=False)
    leaked = [value for value in IDENTITY_STRINGS if value in dump]
    assert not leaked
    event = AuditEvent.objects.get(action="cases.exported")
    assert event.actor == cm
    assert event.extra["format"] == "csv"
    assert event.extra["period"] == {"from": "2025-03-01", "to": "2025-03-31"}
    assert event.extra["rows"] == 4


def _xlsx_via_job(client, params, capture) -> bytes:
    """The XLSX link starts a job and leads to its page; the file is the job's download."""
    with capture(execute=True):
        response = client.get(EXPORT_URL, params)
    assert response.status_code == 302
    job = Job.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[-1])
    assert response["Location"] == reverse("jobs:detail", kwargs={"pk": job.pk})
    assert job.status == Job.Status.DONE
    download = client.get(reverse("jobs:download", kwargs={"pk": job.pk}))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return b"".join(download.streaming_content)


def test_xlsx_export_view(world, client_for, django_capture_on_commit_callbacks):
    data = _xlsx_via_job(
        client_for(world["users"]["head"]), {"format": "xlsx", "year": 2025}, django_capture_on_commit_callbacks
    )
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == exports.SIMFONI_HEADER
    assert len(rows) == 6  # four March victims, one February victim
    dump = json.dumps(rows, ensure_ascii=False, default=str)
    assert not [value for value in IDENTITY_STRINGS if value in dump]
    assert AuditEvent.objects.get(action="cases.exported").extra["format"] == "xlsx"


def test_export_by_date_range(world, client_for):
    response = client_for(world["users"]["head"]).get(
        EXPORT_URL, {"format": "csv", "date_from": "2025-02-01", "date_to": "2025-03-13"}
    )
    rows = _csv(response)
    assert [row[0] for row in rows[1:]] == [world["cases"]["d"].number]
    assert AuditEvent.objects.get(action="cases.exported").extra["period"] == {"from": "2025-02-01", "to": "2025-03-13"}


def test_export_neutralises_spreadsheet_formulas(world, client_for, django_capture_on_commit_callbacks):
    District.objects.filter(code="64.02.01").update(name='=HYPERLINK("http://evil.example","x")')
    client = client_for(world["users"]["head"])
    rows = _csv(client.get(EXPORT_URL, {"format": "csv", "year": 2025, "month": 3}))
    names = {row[4] for row in rows[1:]}
    assert '\'=HYPERLINK("http://evil.example","x")' in names
    sheet = load_workbook(
        io.BytesIO(
            _xlsx_via_job(client, {"format": "xlsx", "year": 2025, "month": 3}, django_capture_on_commit_callbacks)
        )
    ).active
    cells = [row[4] for row in sheet.iter_rows(min_row=2) if row[4].value]
    assert cells
    assert all(cell.data_type == "s" for cell in cells)
    assert any(str(cell.value).startswith("'=") for cell in cells)


@pytest.mark.parametrize("key", ["cm", "analyst", "satgas", "dinsos"])
def test_export_forbidden_without_the_permission(world, client_for, key):
    response = client_for(world["users"][key]).get(EXPORT_URL, {"format": "csv", "year": 2025, "month": 3})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="cases.exported").exists()


@pytest.mark.parametrize(
    "params",
    [
        {"format": "pdf", "year": 2025},
        {"format": "csv", "year": 2025, "month": 13},
        {"format": "csv"},
        {"format": "csv", "date_from": "2025-03-01"},
        {"format": "csv", "date_from": "2025-03-02", "date_to": "2025-03-01"},
        # Shorter than a month: a single day would single out the child reported that day.
        {"format": "csv", "date_from": "2025-03-13", "date_to": "2025-03-13"},
        {"format": "csv", "date_from": "2025-03-01", "date_to": "2025-03-30"},
        {"format": "csv", "date_from": "2025-02-15", "date_to": "2025-03-13"},
    ],
)
def test_export_rejects_bad_input(world, client_for, params):
    response = client_for(world["users"]["head"]).get(EXPORT_URL, params)
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action="cases.exported").exists()


def test_export_of_another_regency_contains_only_its_cases(world, client_for):
    rows = _csv(client_for(world["users"]["other_head"]).get(EXPORT_URL, {"format": "csv", "year": 2025, "month": 3}))
    assert [row[0] for row in rows[1:]] == [world["cases"]["other"].number]


def test_export_service_refuses_a_period_shorter_than_a_month(world, tenant):
    head = world["users"]["head"]
    with pytest.raises(ValidationError):
        exports.simfoni_export(
            actor=head,
            tenant=tenant,
            period=period_for(date_from=dt.date(2025, 3, 13), date_to=dt.date(2025, 3, 13)),
            fmt="csv",
        )
    # A full calendar month, February included, and a month from the 15th to the 14th are enough.
    for date_from, date_to in [("2025-02-01", "2025-02-28"), ("2025-01-15", "2025-02-14")]:
        period = period_for(date_from=dt.date.fromisoformat(date_from), date_to=dt.date.fromisoformat(date_to))
        assert exports.simfoni_export(actor=head, tenant=tenant, period=period, fmt="csv").row_count >= 0
    assert not AuditEvent.objects.filter(action="cases.exported", extra__period__from="2025-03-13").exists()


def test_export_service_refuses_another_regency(world, tenant):
    with pytest.raises(PermissionDenied):
        exports.simfoni_export(
            actor=world["users"]["other_head"], tenant=tenant, period=period_for(year=2025), fmt="csv"
        )


def test_export_queries_are_batched(world, tenant):
    export = exports.simfoni_export(
        actor=world["users"]["head"], tenant=tenant, period=period_for(year=2025), fmt="csv"
    )
    with CaptureQueriesContext(connection) as queries:
        assert len(list(export.rows)) == 6
    assert len(queries) <= 3  # victims, perpetrators, referrals: one batch


# ---- case summary PDF ------------------------------------------------------------------------


def summary_url(case) -> str:
    return reverse("cases:summary_pdf", args=[case.pk])


def test_case_manager_pdf_holds_identity_and_is_audited(world, client_for):
    case = world["cases"]["a"]
    response = client_for(world["users"]["cm"]).get(summary_url(case))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="summary-PPA-6402-2025-00001-')
    assert response["Cache-Control"] == "no-store"
    text = pdf_text(response.content)
    assert squash(case.number) in text
    for value in ("Anindya Puspitasari", "6402015103150002", CHRONOLOGY_A, "Bramantyo Ayah"):
        assert squash(value) in text
    event = AuditEvent.objects.get(action="case.summary_exported")
    assert event.actor == world["users"]["cm"]
    assert {"victim.full_name", "victim.nik", "perpetrator.full_name", "reporter.full_name"} <= set(event.fields)
    dumped = json.dumps([event.fields, event.extra], ensure_ascii=False)
    assert not [value for value in IDENTITY_STRINGS if value in dumped]


def test_schooling_agency_pdf_has_no_name_and_no_chronology(world, client_for):
    case = world["cases"]["a"]
    response = client_for(world["users"]["disdik"]).get(summary_url(case))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert squash(case.number) in text
    for value in ("Anindya", "Puspitasari", "6402015103150002", CHRONOLOGY_A, "dipukul", "Bramantyo", "Pelapor"):
        assert squash(value) not in text
    # Its field set is there, masked: the child's name shape and the school, but no other agency's referral.
    assert squash("A••• P•••") in text
    assert "RSUD" not in text
    assert "Dinsos" not in text
    event = AuditEvent.objects.get(action="case.summary_exported")
    assert event.fields == []


def test_medical_agency_pdf_has_the_chronology_but_masked_identity(world, client_for):
    text = pdf_text(client_for(world["users"]["rsud"]).get(summary_url(world["cases"]["a"])).content)
    assert squash(CHRONOLOGY_A) in text
    assert squash("Anindya") not in text


def test_abh_case_pdf_never_prints_the_childs_identity(world, client_for, tenant):
    cm = world["users"]["cm"]
    case = make_case(
        cm,
        tenant,
        category=t.Category.ABH,
        people=[PersonInputFactory(full_name="Satria Mahardika", age=14, birth_date=None)],
    )
    text = pdf_text(client_for(cm).get(summary_url(case)).content)
    assert squash("Satria") not in text
    assert squash("UU SPPA") in text


def test_pdf_persona_refusals(world, client_for):
    case = world["cases"]["a"]
    users = world["users"]
    # Not visible: 404 (no referral, declined referral, no case access, another regency).
    for key in ("shelter", "police", "analyst", "other_head", "other_cm"):
        assert client_for(users[key]).get(summary_url(case)).status_code == 404, key
    assert client_for(users["cm"]).get(reverse("cases:summary_pdf", args=[uuid.uuid4()])).status_code == 404
    # Visible but not allowed: the Satgas volunteer who reported case C sees its stage only.
    assert client_for(users["satgas"]).get(summary_url(world["cases"]["c"])).status_code == 403
    assert not AuditEvent.objects.filter(action="case.summary_exported").exists()


def test_pdf_service_refuses_without_permission(world):
    with pytest.raises(PermissionDenied):
        pdf.case_summary_pdf(user=world["users"]["analyst"], case=world["cases"]["a"])


# ---- the PDF renderer never leaves the machine ------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "https://example.com/style.css",
        "file:///etc/passwd",
        "data:text/css,body{}",
        "https://sinergi.invalid/media/secret.pdf",
        "https://sinergi.invalid/static/../../../etc/passwd",
        "https://sinergi.invalid/static/%2e%2e/%2e%2e/etc/passwd",
        "https://sinergi.invalid/static/does-not-exist.css",
    ],
)
def test_url_fetcher_refuses_anything_but_our_static_files(url):
    with pytest.raises(ValueError, match=r"refused|not found"):
        pdf.StaticOnlyURLFetcher().fetch(url)


def test_url_fetcher_serves_static_files_from_disk():
    response = pdf.StaticOnlyURLFetcher().fetch("https://sinergi.invalid/static/css/sinergi.css")
    assert response.content_type == "text/css"
    assert b"--pico-primary" in response.read()


def test_rendering_makes_no_network_request(monkeypatch):
    opened = []
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", lambda self, *a, **kw: opened.append(a))
    html = (
        '<link rel="stylesheet" href="https://example.com/x.css">'
        '<img src="http://127.0.0.1:9/tracker.png"><img src="/static/img/favicon.svg"><p>Halo</p>'
    )
    data = pdf.render_pdf(html)
    assert data.startswith(b"%PDF")
    assert opened == []


def _old_synchronous_xlsx(rows) -> bytes:
    """The workbook the request used to answer (openpyxl write-only, before the export became a job)."""
    from openpyxl import Workbook

    from sinergi.audit.services import csv_safe

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="SIMFONI-PPA")
    for row in rows:
        sheet.append([csv_safe(cell) if isinstance(cell, str) else cell for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cells(data: bytes) -> list[list[tuple]]:
    """Each cell's value, type and date format; an empty cell is empty whatever type it was written as."""
    sheet = load_workbook(io.BytesIO(data)).active
    return [
        [
            (
                cell.value,
                cell.data_type if cell.value is not None else None,
                cell.number_format if cell.is_date else None,
            )
            for cell in row
        ]
        for row in sheet.iter_rows()
    ]


def test_the_xlsx_job_gives_what_the_synchronous_export_gave(world, client_for, django_capture_on_commit_callbacks):
    District.objects.filter(code="64.02.01").update(name="@SUM(A1:A9)")  # formula text must stay text
    head = world["users"]["head"]
    period = period_for(year=2025)
    reference = _old_synchronous_xlsx(
        exports.simfoni_export(actor=head, tenant=head.tenant, period=period, fmt="csv").rows
    )
    data = _xlsx_via_job(client_for(head), {"format": "xlsx", "year": 2025}, django_capture_on_commit_callbacks)
    assert _cells(data) == _cells(reference)
    assert len(_cells(data)) == 6
    assert any(value == "'@SUM(A1:A9)" for row in _cells(data) for value, _type, _fmt in row)
    job = Job.objects.get()
    assert job.progress == 100
    assert job.result_name == "simfoni-ppa-6402-2025.xlsx"
    assert job.parameters == {
        "export": "simfoni_ppa",
        "format": "xlsx",
        "date_from": "2025-01-01",
        "date_to": "2025-12-31",
        "year": 2025,
        "month": None,
    }
    # The export is audited when it is asked for, with the row count, as the CSV is.
    event = AuditEvent.objects.filter(action="cases.exported", extra__format="xlsx").get()
    assert event.actor == head
    assert event.extra["rows"] == 5


def test_the_xlsx_job_reports_progress_by_rows(world, settings, monkeypatch):
    from sinergi.cases import jobs as case_jobs
    from sinergi.jobs import services as job_services

    settings.SINERGI_JOB_PROGRESS_INTERVAL = 0
    monkeypatch.setattr(exports, "BATCH", 2)
    head = world["users"]["head"]
    seen = []
    original = case_jobs.exports.xlsx_write

    def spy(rows, *, path, total, progress):
        def watch(percent, message=""):
            progress(percent, message)
            seen.append((Job.objects.get().progress, Job.objects.get().progress_message))

        return original(rows, path=path, total=total, progress=watch)

    monkeypatch.setattr(case_jobs.exports, "xlsx_write", spy)
    job = job_services.job_start(actor=head, kind=case_jobs.SIMFONI_XLSX, params={"year": 2025})
    job_services.job_run(job_id=job.pk)
    assert seen == [(40, "2 of 5 rows"), (80, "4 of 5 rows")]
    assert Job.objects.get().progress == 100
