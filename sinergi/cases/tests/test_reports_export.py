"""The SIMFONI-PPA export: rows, CSV and XLSX (a job), personas and bad input."""

import csv
import datetime as dt
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time
from openpyxl import load_workbook

from sinergi.audit.models import AuditEvent
from sinergi.cases import exports
from sinergi.cases import services as s
from sinergi.cases.statistics import period_for
from sinergi.cases.tests.factories import make_referral
from sinergi.jobs.models import Job
from sinergi.regions.models import District

from .reports_support import *  # noqa: F403  (fixtures)
from .reports_support import EXPORT_URL, IDENTITY_STRINGS, MARCH

pytestmark = pytest.mark.django_db


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
        referral = make_referral(
            actor=cm, case=case, agency=world["agencies"]["rsud"], service_type="medical", victim=rosalinda
        )
        s.referral_respond(actor=world["users"]["rsud"], referral=referral, accept=True)
    export = exports.simfoni_export(actor=cm, tenant=tenant, period=period_for(year=2025, month=3), fmt="csv")
    rows = [dict(zip(exports.SIMFONI_HEADER, row, strict=True)) for row in list(export.rows)[1:]]
    services = {
        (r["Jenis Kelamin Korban"], r["Layanan yang Diterima"])
        for r in rows
        if r["No. Registrasi Kasus"] == case.number
    }
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
