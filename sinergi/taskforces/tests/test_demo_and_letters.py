"""The seed meetings as demo data, and the letters read back from their PDFs."""

import io
import re

import pytest
from pypdf import PdfReader

from sinergi.accounts.models import User
from sinergi.demo.tests.test_demo import SEED_CODES, run
from sinergi.taskforces import selectors, services
from sinergi.taskforces.demo import KUKAR_RAKOR, SEED_MEETINGS
from sinergi.taskforces.models import Agreement, Meeting

pytestmark = pytest.mark.django_db


def _text(data: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


@pytest.fixture
def seeded(db):
    run("load_regions", "--only", SEED_CODES)
    run("demo_seed", "--cases", "6")


def test_the_five_seed_meetings_are_loaded_once_with_the_kukar_rakor_eight_agreements(seeded):
    assert Meeting.objects.filter(source__in=[s.source for s in SEED_MEETINGS]).count() == 5
    rakor = Meeting.objects.get(source=KUKAR_RAKOR.source)
    texts = list(Agreement.objects.filter(meeting=rakor).order_by("number").values_list("text", flat=True))
    assert len(texts) == 8
    assert texts[0] == "Menyusun norma dan tata Kelola pemberitaan tentang anak"
    assert texts[4] == "Membentuk Tim Gugus Tugas penanganan kasus anak."
    assert all(a.is_demo_values for a in Agreement.objects.filter(meeting=rakor))
    assert rakor.is_demo
    assert "Hero Suprayetno" in rakor.chair_name
    run("demo_seed", "--cases", "6")
    assert Meeting.objects.filter(source=KUKAR_RAKOR.source).count() == 1
    assert Agreement.objects.filter(meeting=rakor).count() == 8


def test_officials_of_the_articles_are_never_user_accounts(seeded):
    for name in ("Hero", "Suprayetno", "Amir Faisol", "Hanafi", "Sumedi", "Heri Nurdianto", "Zainul"):
        assert not User.objects.filter(full_name__icontains=name).exists()


def test_every_seed_tenant_has_a_secretariat_login_that_opens_its_meetings(seeded):
    for spec in SEED_MEETINGS:
        secretariat = User.objects.get(tenant__code=spec.tenant, role="taskforce_secretariat")
        meetings = selectors.meeting_list_for_user(user=secretariat)
        assert meetings.filter(source=spec.source).exists()
        assert not meetings.exclude(tenant__code=spec.tenant).exists()


def test_the_invitation_of_the_kukar_seed_meeting_reads_back_with_title_number_and_day(seeded):
    rakor = Meeting.objects.get(source=KUKAR_RAKOR.source)
    text = _text(services.invitation_pdf(meeting=rakor))
    assert rakor.title[:40] in text
    assert rakor.letter_number in text
    assert "Rabu, 4 Januari 2023" in text
    assert "09.00 – 12.00 WITA" in text
    assert "Ruang Rapat DPPPA Kukar" in text
    assert "NIP. 197105121996032004" in text
    for word in ("Sifat", "Lampiran", "Hal", "Yth.", "Dinas Sosial"):
        assert word in text


def test_the_follow_up_report_lists_every_agreement_with_owner_and_status(seeded):
    rakor = Meeting.objects.get(source=KUKAR_RAKOR.source)
    secretariat = User.objects.get(username="sekretariat")
    agreements = selectors.agreements_for_meeting(user=secretariat, meeting=rakor)
    text = _text(services.followup_report_pdf(meeting=rakor, agreements=agreements))
    assert "LAPORAN TINDAK LANJUT" in text
    assert "Membentuk Tim Gugus Tugas" in text
    assert "Selesai (100%)" in text
    assert "Diskominfo Kukar" in text


def test_attendance_and_minutes_pdfs_read_back(world):
    code = services.checkin_code(meeting=world.meeting)
    services.attendance_checkin(
        meeting=world.meeting, code=code, name="Siti Aminah", position="Ketua", organisation="APSAI"
    )
    items = [
        {"id": str(i.pk), "discussion": "Dibahas publikasi anak", "decisions": "Disepakati norma"}
        for i in world.meeting.agenda.all()
    ]
    services.minutes_save(actor=world.secretariat, meeting=world.meeting, items=items, summary="Ringkasan")
    attendance = _text(services.attendance_pdf(meeting=world.meeting))
    for word in ("DAFTAR HADIR", "No", "Nama", "Jabatan", "Instansi", "Tanda tangan", "Siti Aminah", "APSAI"):
        assert word in attendance
    minutes = _text(services.minutes_pdf(meeting=world.meeting))
    assert "NOTULEN" in minutes
    assert "Dibahas publikasi anak" in minutes
    assert "Menyusun norma pemberitaan anak" in minutes


def test_the_invitation_needs_a_number_first_and_takes_it_once(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.invitation_pdf(meeting=world.meeting)
    issued = services.invitation_issue(actor=world.secretariat, meeting=world.meeting)
    again = services.invitation_issue(actor=world.secretariat, meeting=issued)
    assert issued.letter_number == again.letter_number
    assert issued.letter_number.startswith("001/")


def _docx_text(data: bytes) -> str:
    from docx import Document

    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def test_the_docx_copies_carry_the_same_facts_and_escape_typed_text(world):
    world.meeting.title = "Rakor <anak> & media"
    world.meeting.save()
    meeting = services.invitation_issue(actor=world.secretariat, meeting=world.meeting)
    text = _docx_text(services.invitation_docx(meeting=meeting))
    assert meeting.letter_number in text
    assert "Rabu, 4 Januari 2023" in text
    assert "Rakor <anak> & media" in text
    assert "NIP. 197001011990031001" in text
    minutes = _docx_text(services.minutes_docx(meeting=meeting))
    assert "NOTULEN" in minutes
    assert "Menyusun norma pemberitaan anak" in minutes
