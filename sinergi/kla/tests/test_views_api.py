"""Pages and API over real HTTP: wiring, personas, and 404 for another OPD's items and reviews."""

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from sinergi.jobs.models import Job
from sinergi.kla.models import EvidenceItem, ReviewStatus
from sinergi.kla.services import workspace as s

from .conftest import YEAR, pdf

pytestmark = pytest.mark.django_db


def test_dashboard_for_secretariat_and_opd_and_404_outside(kla, client_for):
    url = reverse("kla:home")
    page = client_for(kla.secretariat).get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body
    assert "Perda KLA" in body
    assert "<script" not in body.split("<main", 1)[-1].split("</main>", 1)[0]
    assert client_for(kla.dinsos_officer).get(url).status_code == 200
    # Another regency's secretariat has its own (empty) workspace, never ours.
    theirs = client_for(kla.other_secretariat).get(url)
    assert theirs.status_code == 200
    assert "Dinsos" not in theirs.content.decode()
    assert client_for(kla.w.owner_staff).get(url).status_code == 404


def test_opd_officer_cannot_see_or_change_another_opds_items_or_reviews_ui_and_api(kla, item, client_for):
    other = client_for(kla.disdik_officer)
    assert other.get(reverse("kla:indicator", args=[kla.ind1.pk])).status_code == 404
    assert other.post(reverse("kla:evidence_replace", args=[item.pk]), {"file": pdf()}).status_code == 404
    assert other.post(reverse("kla:evidence_review", args=[item.pk]), {"decision": "accepted"}).status_code == 404
    assert other.get(reverse("kla_api:evidence_detail", args=[item.pk])).status_code == 404
    assert (
        other.post(
            reverse("kla_api:evidence_review", args=[item.pk]),
            {"decision": "accepted"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert other.post(reverse("kla_api:evidence_replace", args=[item.pk]), {"file": pdf()}).status_code == 404
    outsider = client_for(kla.other_secretariat)
    assert outsider.get(reverse("kla_api:evidence_detail", args=[item.pk])).status_code == 404
    assert outsider.post(reverse("kla:evidence_review", args=[item.pk]), {"decision": "accepted"}).status_code == 404
    listed = other.get(reverse("kla_api:evidence")).json()
    assert listed["count"] == 0
    scores = other.get(reverse("kla_api:scores", args=[YEAR])).json()
    assert [i["code"] for c in scores["clusters"] for i in c["indicators"]] == ["4"]
    item.refresh_from_db()
    assert item.status == ReviewStatus.SUBMITTED
    # The owner OPD may not review its own item (403: visible, not allowed).
    assert (
        client_for(kla.dinsos_officer)
        .post(
            reverse("kla_api:evidence_review", args=[item.pk]),
            {"decision": "accepted"},
            content_type="application/json",
        )
        .status_code
        == 403
    )


def test_api_flow_link_review_and_scores(kla, client_for):
    opd, sec = client_for(kla.dinsos_officer), client_for(kla.secretariat)
    r = opd.post(
        reverse("kla_api:evidence"),
        {
            "indicator_id": str(kla.ind1.pk),
            "evidence_type": "uang",
            "title": "Notulen",
            "document_id": str(kla.minutes.pk),
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["is_linked"] is True
    bad = opd.post(
        reverse("kla_api:evidence"),
        {"indicator_id": str(kla.ind1.pk), "evidence_type": "uang"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    rev = sec.post(
        reverse("kla_api:evidence_review", args=[r.json()["id"]]),
        {"decision": "revision"},
        content_type="application/json",
    )
    assert rev.status_code == 400
    rev = sec.post(
        reverse("kla_api:evidence_review", args=[r.json()["id"]]),
        {"decision": "accepted"},
        content_type="application/json",
    )
    assert rev.json()["status"] == "accepted"
    assert (
        sec.put(
            reverse("kla_api:self_assessment", args=[kla.ind1.pk]), {"points": "50"}, content_type="application/json"
        ).status_code
        == 200
    )
    assert (
        opd.put(
            reverse("kla_api:self_assessment", args=[kla.ind1.pk]), {"points": "50"}, content_type="application/json"
        ).status_code
        == 403
    )
    scores = sec.get(reverse("kla_api:scores", args=[YEAR])).json()
    assert scores["self_total"] == "50.00"
    a = sec.post(
        reverse("kla_api:assignments", args=[YEAR]),
        {"indicators": ["2", "3"], "agency_ids": [str(kla.w.satpol.pk)]},
        content_type="application/json",
    )
    assert a.json() == {"added": 2}
    assert (
        opd.post(
            reverse("kla_api:assignments", args=[YEAR]),
            {"indicators": ["2"], "agency_ids": [str(kla.w.dinsos.pk)]},
            content_type="application/json",
        ).status_code
        == 403
    )
    tree = opd.get(reverse("kla_api:indicators", args=[YEAR])).json()
    assert [i["code"] for i in tree["indicators"]] == ["1"]
    assert len(tree["bands"]) == 5


def test_bulk_assignment_page(kla, client_for):
    client = client_for(kla.secretariat)
    url = reverse("kla:assignments")
    assert client.get(url).status_code == 200
    ids = [str(i.pk) for i in kla.year.indicators.filter(code__in=["5", "6"])]
    r = client.post(url, {"year": YEAR, "indicators": ids, "agencies": [str(kla.w.disdik.pk)], "contact_name": "Budi"})
    assert r.status_code == 302
    assert kla.year.indicators.get(code="6").assignments.filter(agency=kla.w.disdik, contact_name="Budi").exists()
    assert client_for(kla.dinsos_officer).get(url).status_code == 404


def test_package_job_zips_files_under_cluster_and_indicator_folders_with_an_index(
    kla, item, client_for, django_capture_on_commit_callbacks
):
    s.evidence_add(
        actor=kla.dinsos_officer,
        indicator=kla.ind1,
        evidence_type="uang",
        title="Notulen",
        link_document=kla.minutes,
        dated_on=dt.date(2025, 1, 4),
    )
    s.evidence_review(actor=kla.secretariat, item=item, decision="accepted")
    client = client_for(kla.secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("kla:package_start"), {"year": YEAR})
    assert r.status_code == 302
    job = Job.objects.get(kind="kla_package")
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    download = client.get(reverse("jobs:download", args=[job.pk]))
    data = b"".join(download.streaming_content)
    zf = zipfile.ZipFile(io.BytesIO(data))
    names = zf.namelist()
    assert any(n.startswith("K/01 Perda KLA/1-01 Regulation 5 2024") and n.endswith(".pdf") for n in names), names
    assert any(n.startswith("K/01 Perda KLA/1-02 Uang") for n in names), names
    assert zf.read(next(n for n in names if n.startswith("K/01 Perda KLA/1-01"))).startswith(b"%PDF")
    wb = openpyxl.load_workbook(io.BytesIO(zf.read("00 Indeks Dokumen.xlsx")))
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0][0] == "Klaster"
    assert {r[1] for r in rows[1:]} == {"1"}
    assert "Diterima" in {r[8] for r in rows[1:]} or "Accepted" in {r[8] for r in rows[1:]}
    assert zf.read("00 Ringkasan Penilaian.pdf").startswith(b"%PDF")
    assert client_for(kla.dinsos_officer).post(reverse("kla:package_start"), {"year": YEAR}).status_code == 403
    assert EvidenceItem.objects.count() == 2


def test_export_package_command_writes_the_zip(kla, item, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "paket.zip"
    call_command(
        "kla_export_package",
        "--tenant",
        kla.w.tenant.code,
        "--year",
        str(YEAR),
        "--out",
        str(out),
        stdout=io.StringIO(),
    )
    names = zipfile.ZipFile(out).namelist()
    assert "00 Indeks Dokumen.xlsx" in names
    assert any(n.startswith("K/01 Perda KLA/") for n in names)
