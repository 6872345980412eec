"""Acceptance journey of the KLA workspace (issue 15) in Debian chromium against live_server:

the secretariat assigns owners → an OPD officer (390 px phone) uploads a PDF and links a seed meeting's
minutes → the secretariat requests a revision → the OPD re-uploads → the secretariat accepts and enters
the self-assessment → completeness, self-assessed and predicted verified scores move → the package
downloads with the files under the right folders and an index that opens with openpyxl.
"""

import io
import re
import zipfile

import openpyxl
import pytest
from playwright.sync_api import expect

from sinergi.accounts.roles import Role
from sinergi.accounts.tests.factories import UserFactory
from sinergi.core.tests.browser import assert_fits, assert_no_csp_violations, log_in
from sinergi.documents.tests.factories import MINIMAL_PDF
from sinergi.kla.models import EvidenceItem
from sinergi.kla.services.instrument import year_load
from sinergi.taskforces import services as tf
from sinergi.tenants.models import Agency
from sinergi.tenants.tests.factories import AgencyFactory, TenantFactory

from .conftest import pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def test_assign_upload_link_revise_accept_scores_and_package(open_page, live_server, tmp_path):
    import datetime as dt

    tenant = TenantFactory(code="64.01", name="Kabupaten Paser", timezone="Asia/Makassar")
    office = AgencyFactory(tenant=tenant, kind=Agency.Kind.OFFICE, name="DP2KBP3A Paser", short_name="DP2KBP3A")
    dinsos = AgencyFactory(tenant=tenant, kind=Agency.Kind.DINSOS, name="Dinas Sosial Paser", short_name="Dinsos")
    secretariat = UserFactory(role=Role.TASKFORCE_SECRETARIAT, tenant=tenant, agency=office, username="sekre.kla")
    officer = UserFactory(role=Role.OPD_EVIDENCE_OFFICER, tenant=tenant, agency=dinsos, username="opd.dinsos")
    body = tf.body_create(actor=secretariat, tenant=tenant, kind="gugus_tugas_kla", name="Gugus Tugas KLA Paser")
    member = tf.member_add(actor=secretariat, body=body, agency=dinsos)
    meeting = tf.meeting_create(
        actor=secretariat,
        body=body,
        type="rakor",
        title="Rakor KLA",
        starts_at=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC),
        agenda=["Satu"],
        invited=[member],
    )
    tf.meeting_document_add(
        actor=secretariat,
        owner=meeting,
        kind="minutes_scan",
        uploaded_file=pdf("notulen.pdf"),
        title="Notulen Rakor KLA",
    )
    year_load(year=2026)
    base = live_server.url
    upload = tmp_path / "perda-kla.pdf"
    upload.write_bytes(MINIMAL_PDF)

    # The secretariat assigns indicator 1 to Dinsos.
    sec = open_page()
    log_in(sec, base, secretariat, "/kla/")
    before = {k: sec.locator(f"#kla-{k}").inner_text() for k in ("completeness", "self", "predicted")}
    sec.goto(f"{base}/kla/assignments/?year=2026")
    sec.get_by_label("1. Perda KLA", exact=True).check()
    sec.get_by_label("Responsible OPDs").select_option(str(dinsos.pk))
    sec.get_by_label("Contact person").fill("Rina")
    sec.get_by_role("button", name="Assign").click()
    expect(sec.locator("main")).to_contain_text("Dinas Sosial Paser")
    assert_no_csp_violations(sec)

    # The OPD officer, on a phone: uploads a PDF and links the meeting's minutes.
    phone = open_page(PHONE)
    log_in(phone, base, officer, "/kla/")
    phone.get_by_role("link", name="1. Perda KLA").first.click()
    phone.get_by_label("Type").select_option("regulation")
    phone.get_by_label("Document:", exact=True).fill("Perda KLA Paser")
    phone.get_by_label("Number").fill("5 Tahun 2024")
    phone.get_by_label("Signed").check()
    phone.get_by_label("File (PDF, image, XLSX, DOCX)").set_input_files(str(upload))
    phone.get_by_role("button", name="Add evidence").click()
    expect(phone.locator("main")).to_contain_text("Evidence added.")
    phone.get_by_label("Type").select_option("uang")
    phone.get_by_label("Document:", exact=True).fill("Notulen Rakor KLA")
    phone.get_by_label("Or link a meeting or agreement document").select_option(
        label="Notulen Rakor KLA (minutes_scan)"
    )
    phone.get_by_role("button", name="Add evidence").click()
    expect(phone.locator("main")).to_contain_text("linked, not copied")
    assert_fits(phone, PHONE["width"])
    assert_no_csp_violations(phone)
    perda = EvidenceItem.objects.get(title="Perda KLA Paser")

    # The secretariat requests a revision; the OPD uploads again; the secretariat accepts both.
    sec.goto(f"{base}/kla/indicators/{perda.indicator_id}/")
    card = sec.locator(f"#item-{perda.pk}")
    card.get_by_label("Comment").fill("Halaman tanda tangan belum ada")
    card.get_by_role("button", name="Request revision").click()
    expect(sec.locator(f"#item-{perda.pk} .kla-status")).to_have_text("Revision requested")
    phone.reload()
    phone.locator(f"#item-{perda.pk}").get_by_label("New file").set_input_files(str(upload))
    phone.locator(f"#item-{perda.pk}").get_by_role("button", name="Upload again").click()
    expect(phone.locator(f"#item-{perda.pk} .kla-status")).to_have_text("Waiting for review")
    sec.reload()
    for item in EvidenceItem.objects.all():
        sec.locator(f"#item-{item.pk}").get_by_role("button", name="Accept").click()
        expect(sec.locator(f"#item-{item.pk} .kla-status")).to_have_text("Accepted")
    sec.get_by_label("Self-assessed points").fill("60")
    sec.get_by_role("button", name="Save self-assessment").click()
    expect(sec.locator("#kla-ind-completeness")).to_have_text("33%")
    sec.goto(f"{base}/kla/")
    after = {k: sec.locator(f"#kla-{k}").inner_text() for k in ("completeness", "self", "predicted")}
    assert all(after[k] != before[k] for k in before), (before, after)

    # The package job: progress page, then the ZIP with its folders and an index openpyxl reads.
    sec.get_by_role("button", name="Build the evidence package (ZIP)").click()
    sec.wait_for_url(re.compile(r"/jobs/[0-9a-f-]{36}/$"))
    from sinergi.jobs import services as job_services
    from sinergi.jobs.models import Job

    job = Job.objects.get(kind="kla_package")
    if job.status == Job.Status.QUEUED:  # no worker beside live_server: run it as the worker would
        job_services.job_run(job_id=job.pk)
    sec.reload()
    link = sec.locator("main a[href$='/download/']")
    expect(link.first).to_be_visible(timeout=30_000)
    data = sec.request.get(base + link.first.get_attribute("href")).body()
    zf = zipfile.ZipFile(io.BytesIO(data))
    names = zf.namelist()
    assert any(n.startswith("K/01 Perda KLA/1-01 Regulation 5 Tahun 2024") for n in names), names
    assert any(n.startswith("K/01 Perda KLA/1-02 Uang") for n in names), names
    rows = list(
        openpyxl.load_workbook(io.BytesIO(zf.read("00 Indeks Dokumen.xlsx"))).active.iter_rows(values_only=True)
    )
    assert len(rows) == 3
    assert_no_csp_violations(sec)
