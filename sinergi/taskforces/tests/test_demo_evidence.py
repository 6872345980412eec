"""The seed meetings carry their Absen and Gambar: UANG complete, officials as text, photos cleaned."""

import io

import pytest
from PIL import Image

from sinergi.accounts.models import User
from sinergi.demo.tests.test_demo import SEED_CODES, run
from sinergi.documents.selectors import documents_for_owner
from sinergi.documents.services import document_read
from sinergi.taskforces import selectors
from sinergi.taskforces.demo import KUKAR_RAKOR, SEED_MEETINGS
from sinergi.taskforces.models import Attendance, Meeting

pytestmark = pytest.mark.django_db


def test_every_seed_meeting_has_attendance_and_photos_so_its_uang_is_complete(db, client_for):
    run("load_regions", "--only", SEED_CODES)
    run("demo_seed", "--cases", "6")
    meetings = list(Meeting.objects.filter(source__in=[s.source for s in SEED_MEETINGS]))
    assert len(meetings) == 5
    uang = selectors.uang_for_meetings(meetings)
    assert all(uang[m.pk].is_complete for m in meetings), {m.title: uang[m.pk] for m in meetings}
    rakor = next(m for m in meetings if m.source == KUKAR_RAKOR.source)
    rows = list(rakor.attendances.order_by("checked_in_at"))
    # The officials the article names are attendees as text, never accounts; the rest are marked demo.
    assert [r.name for r in rows[:2]] == ["Hero Suprayetno", "Zainul Effendi Joesoef"]
    assert all(r.user_id is None for r in rows)
    assert {r.organisation for r in rows} >= {"Satpol PP Kukar", "Bagian Kesejahteraan Rakyat Setda Kukar"}
    assert all("(demo)" in r.position for r in rows[2:])
    assert all(r.checked_in_at < rakor.starts_at for r in rows)
    assert not User.objects.filter(full_name__icontains="Zainul").exists()
    photos = list(documents_for_owner(owner=rakor).filter(kind="photo"))
    assert len(photos) == 2
    image = Image.open(io.BytesIO(document_read(actor=None, document=photos[0])))
    assert image.format == "JPEG"
    assert not image.getexif()
    # The secretariat's page shows the thumbnails and the daftar hadir lists the attendees.
    secretariat = User.objects.get(tenant__code=KUKAR_RAKOR.tenant, role="taskforce_secretariat")
    page = client_for(secretariat).get(f"/taskforces/meetings/{rakor.pk}/").content.decode()
    assert f"/documents/{photos[0].pk}/thumbnail/" in page
    # Running the seed again adds nothing.
    count = Attendance.objects.count()
    run("demo_seed", "--cases", "6")
    assert Attendance.objects.count() == count
    assert documents_for_owner(owner=rakor).filter(kind="photo").count() == 2
