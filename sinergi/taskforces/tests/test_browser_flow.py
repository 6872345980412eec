"""Acceptance journey of the task forces (issue 14) in Debian chromium, against live_server:

the secretariat creates a meeting → the invitation PDF is generated and e-mailed with the attachment →
an attendee checks in from a 360 px phone by opening the QR link → the note taker writes minutes with
two agreements → the owners are notified → one owner posts progress with a PDF and marks it done → the
follow-up report PDF lists both with their statuses. Pages in English (language cookie), PDFs in
Indonesian as printed.
"""

import io
import re

import pytest
from django.core import mail
from playwright.sync_api import expect
from pypdf import PdfReader

from sinergi.accounts.roles import Role
from sinergi.accounts.tests.factories import UserFactory
from sinergi.core.tests.browser import MOBILE, assert_fits, assert_no_csp_violations, log_in, with_totp
from sinergi.documents.tests.factories import MINIMAL_PDF
from sinergi.notifications.models import Notification
from sinergi.taskforces import services
from sinergi.taskforces.models import Agreement, Attendance
from sinergi.tenants.models import Agency, Signatory
from sinergi.tenants.tests.factories import AgencyFactory, TenantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The shared browser helpers (sinergi/core/tests/browser.py; `open_page` is a root conftest fixture).
_assert_clean, _assert_fits, _log_in, _with_totp = assert_no_csp_violations, assert_fits, log_in, with_totp


def _exactly(label: str) -> re.Pattern:
    """A label matched whole: the shared field template marks required fields with an aria-hidden "*"."""
    return re.compile(rf"^{re.escape(label)}(\s*\*)?$")


def _pdf_text(data: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


def test_meeting_invitation_checkin_minutes_agreements_progress_report(open_page, live_server, tmp_path):
    tenant = TenantFactory(
        code="64.02",
        name="Kabupaten Kutai Kartanegara",
        office_short_name="DPPPA Kukar",
        timezone="Asia/Makassar",
        letter_city="Tenggarong",
    )
    Signatory.objects.create(
        tenant=tenant, name="Drs. Contoh", position="Kepala Dinas", nip="197001011990031001", is_default=True
    )
    office = AgencyFactory(tenant=tenant, kind=Agency.Kind.OFFICE, name="DPPPA Kukar", short_name="DPPPA")
    dinsos = AgencyFactory(tenant=tenant, kind=Agency.Kind.DINSOS, name="Dinas Sosial Kukar", short_name="Dinsos")
    disdik = AgencyFactory(tenant=tenant, kind=Agency.Kind.DISDIK, name="Dinas Pendidikan Kukar", short_name="Disdik")
    secretariat = UserFactory(role=Role.TASKFORCE_SECRETARIAT, tenant=tenant, agency=office, username="sekre.rudi")
    dinsos_officer = UserFactory(role=Role.SERVICE_PROVIDER, tenant=tenant, agency=dinsos, username="dinsos.yuli")
    disdik_officer = UserFactory(role=Role.SERVICE_PROVIDER, tenant=tenant, agency=disdik, username="disdik.hendra")
    device = _with_totp(dinsos_officer)
    body = services.body_create(actor=secretariat, tenant=tenant, kind="gugus_tugas_kla", name="Gugus Tugas KLA Kukar")
    services.member_add(actor=secretariat, body=body, agency=dinsos, contact_email="dinsos@example.test")
    services.member_add(actor=secretariat, body=body, agency=disdik, contact_email="disdik@example.test")
    base = live_server.url

    # The secretariat creates the meeting.
    page = open_page()
    _log_in(page, base, secretariat, "/taskforces/meetings/new/")
    page.get_by_label(_exactly("Body")).select_option(label="Gugus Tugas KLA Kukar")
    page.get_by_label("Title").fill("Rakor Gugus Tugas KLA Triwulan I")
    page.get_by_label("Starts").fill("2030-01-09T09:00")
    page.get_by_label("Ends").fill("2030-01-09T12:00")
    page.get_by_label("Venue").fill("Ruang Rapat DPPPA")
    page.get_by_label("Agenda (one item per line)").fill("Evaluasi kesepakatan\nRencana aksi")
    page.get_by_role("button", name="Create meeting").click()
    page.wait_for_url(re.compile(r"/taskforces/meetings/[0-9a-f-]{36}/$"))
    meeting_url = page.url
    _assert_clean(page)

    # Undangan: issued, generated as PDF, e-mailed with the attachment to every invited member.
    page.get_by_role("button", name="Issue the invitation").click()
    expect(page.locator("main")).to_contain_text("Invitation issued")
    invitation = page.request.get(base + page.get_by_role("link", name="PDF").first.get_attribute("href"))
    assert invitation.headers["content-type"] == "application/pdf"
    assert "Rabu, 9 Januari 2030" in _pdf_text(invitation.body())
    page.get_by_role("button", name="Send the invitation by e-mail").click()
    expect(page.locator("main")).to_contain_text("Invitation sent to 2 addressees")
    sent = [m for m in mail.outbox if m.attachments]
    assert {m.to[0].split("<")[-1].rstrip(">") for m in sent} == {"dinsos@example.test", "disdik@example.test"}
    assert all(m.attachments[0][2] == "application/pdf" for m in sent)

    # Absen: the QR screen's link opened on a 360 px phone by a partner without an account.
    page.get_by_role("button", name="Show the check-in QR code").click()
    checkin_url = page.locator("#checkin-link").get_attribute("href")
    phone = open_page(MOBILE)
    phone.goto(checkin_url)
    phone.get_by_label("Name").fill("Siti Aminah")
    phone.get_by_label("Position").fill("Ketua")
    phone.get_by_label("Organisation").fill("APSAI Kukar")
    phone.get_by_role("button", name="Check me in").click()
    expect(phone.locator("#checked-in")).to_contain_text("Siti Aminah")
    _assert_fits(phone, MOBILE["width"])
    _assert_clean(phone)
    assert Attendance.objects.filter(name="Siti Aminah").count() == 1
    expect(page.locator("#live-count")).to_have_text("1", timeout=15_000)

    # Notulen with two agreements, each owned by one agency.
    page.goto(meeting_url)
    page.get_by_role("button", name="Write the minutes").click()
    page.locator("textarea[name^='discussion-']").first.fill("Dibahas kesepakatan rakor sebelumnya.")
    page.locator("textarea[name^='decisions-']").first.fill("Disepakati dua tindak lanjut.")
    page.get_by_role("button", name="Save the minutes").click()
    page.wait_for_url(meeting_url)
    for text, owner in (
        ("Pendataan anak tanpa akta kelahiran", "Dinsos"),
        ("Sosialisasi sekolah ramah anak", "Disdik"),
    ):
        page.get_by_text("Add an agreement").click()
        page.get_by_label(_exactly("Agreement")).fill(text)
        page.get_by_label("Owner agency").select_option(label=owner)
        page.get_by_label("Due date").fill("2030-03-31")
        page.locator("form[action$='/agreements/'] button[type='submit']").click()
        expect(page.locator("#agreements")).to_contain_text(text)
    _assert_clean(page)
    assert Notification.objects.filter(recipient=dinsos_officer, kind="agreement_assigned").count() == 1
    assert Notification.objects.filter(recipient=disdik_officer, kind="agreement_assigned").count() == 1

    # One owner posts progress with a PDF and marks it done.
    evidence = tmp_path / "bukti-pendataan.pdf"
    evidence.write_bytes(MINIMAL_PDF)
    owner_page = open_page(MOBILE)
    _log_in(owner_page, base, dinsos_officer, "/taskforces/commitments/", device=device)
    owner_page.get_by_role("link", name=re.compile("Pendataan anak")).click()
    owner_page.get_by_label("What was done").fill("Data 120 anak diserahkan ke Disdukcapil.")
    owner_page.get_by_label("Progress (%)").fill("100")
    owner_page.get_by_label("Status").select_option(label="Done")
    owner_page.get_by_label("Evidence (PDF, photo, document)").set_input_files(str(evidence))
    owner_page.get_by_role("button", name="Post progress").click()
    expect(owner_page.locator("#agreement-status")).to_have_text("Done")
    _assert_fits(owner_page, MOBILE["width"])
    _assert_clean(owner_page)

    # The follow-up report lists both agreements with their statuses.
    page.goto(meeting_url)
    report = page.request.get(base + page.get_by_role("link", name="Follow-up report (PDF)").get_attribute("href"))
    text = _pdf_text(report.body())
    assert "Pendataan anak tanpa akta kelahiran" in text
    assert "Sosialisasi sekolah ramah anak" in text
    assert "Selesai (100%)" in text
    assert "Terbuka (0%)" in text
    assert "Data 120 anak diserahkan" in text  # last progress
    assert "bukti-pendataan" in text.replace(" ", "")  # evidence (the file name wraps in its column)
    assert Agreement.objects.filter(status="done").count() == 1
