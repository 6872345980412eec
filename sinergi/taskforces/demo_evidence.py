"""Absen and Gambar of the seed meetings: the articles report meetings that were held with the agencies
present and were photographed, so their UANG is complete.

- Attendance: the officials the articles name (chair, speakers) as text, never as accounts, and one
  fictional attendee per agency or partner the article lists as present (marked "(demo)" in the position).
- Photos: small generated pictures of an empty meeting room (shapes and a caption, no person at all, so
  no child can be identified), stored through the shared document store like any upload (EXIF removed).

`seed_evidence` adds only what a seed meeting lacks: running it again adds nothing.
"""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from sinergi.accounts.models import User
from sinergi.documents.selectors import documents_for_owner

from . import services
from .models import Meeting

# (name, position, organisation) of the officials each article names; keyed by the seed's source.
OFFICIALS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "seeds/000_78be864aa03e5e49.txt (Diskominfo Kukar)": (
        ("Hero Suprayetno", "Sekretaris DPPPA Kukar", "DPPPA Kukar"),
        ("Zainul Effendi Joesoef", "Pranata Humas Ahli Muda", "Diskominfo Kukar"),
    ),
    "seeds/001_aa39baa472ae0c97.txt (MC Kab. Paser)": (("Amir Faisol", "Kepala DP2KBP3A Paser", "DP2KBP3A Paser"),),
    "seeds/002_8c5949870a748d52.txt (Akupedia.id)": (("Hero Suprayetno", "Sekretaris DP3A Kukar", "DP3A Kukar"),),
    "seeds/003_8bb75900e75750d1.txt (Sorotkamera.com)": (
        ("Hanafi, S.E., M.M.", "Kepala Dinas DPPPA OKU Timur", "DPPPA OKU Timur"),
        ("Ela sela Nursanti, S.T.", "Sekretaris Dinas DPPPA (narasumber)", "DPPPA OKU Timur"),
        ("Tantowi, S.Si.", "Kepala Bidang Bappeda (narasumber)", "Bappeda OKU Timur"),
    ),
    "seeds/004_3cd81825f18d5df4.txt (Lenteratoday)": (
        ("Sumedi", "Kepala DP3AP2KB Kota Kediri", "DP3AP2KB Kota Kediri"),
        ("Heri Nurdianto", "Narasumber", "Yayasan Perlindungan Anak Kediri"),
    ),
}

# Fictional attendees (no real person): one per agency or partner present, in order.
FICTIONAL_NAMES = (
    "Rina Wulandari",
    "Agus Setiawan",
    "Maya Kartika",
    "Dedi Kurniawan",
    "Fitri Handayani",
    "Bayu Pratama",
    "Nur Aisyah",
    "Hendra Gunawan",
)
PHOTO_CAPTIONS = ("Dokumentasi rapat (gambar demo)", "Suasana ruang rapat (gambar demo)")


def demo_photo(caption: str, *, seed: int = 0) -> bytes:
    """A small JPEG of an empty meeting room drawn with shapes: a table, chairs, a screen and a caption."""
    image = Image.new("RGB", (480, 270), (226 - seed * 12, 232, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((150, 20, 330, 90), fill=(250, 250, 250), outline=(90, 90, 90))  # the screen
    draw.text((160, 45), "RAPAT KOORDINASI", fill=(40, 60, 120))
    draw.rounded_rectangle((90, 130, 390, 200), radius=14, fill=(150, 105, 70))  # the table
    for x in range(105, 390, 55):  # empty chairs on both sides
        draw.ellipse((x, 108, x + 24, 128), fill=(60, 70, 90))
        draw.ellipse((x, 204, x + 24, 224), fill=(60, 70, 90))
    draw.text((12, 248), caption, fill=(20, 20, 20))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def _attendees(meeting: Meeting, *, source: str, partners: tuple[tuple[str, str], ...]) -> list[tuple[str, str, str]]:
    rows = list(OFFICIALS.get(source, ()))
    organisations = [
        m.agency.short_name if m.agency_id else m.organisation
        for m in (i.member for i in meeting.invitations.select_related("member__agency").order_by("member__id"))
    ]
    organisations += [org for org, _kind in partners if org not in organisations]
    for i, organisation in enumerate(sorted(set(organisations))):
        rows.append((FICTIONAL_NAMES[i % len(FICTIONAL_NAMES)], "Perwakilan (demo)", organisation))
    return rows


def seed_evidence(meeting: Meeting, *, secretariat: User, partners: tuple[tuple[str, str], ...] = ()) -> None:
    """Attendance and two photos for a held seed meeting that has none yet."""
    if not meeting.attendances.exists():
        for n, (name, position, organisation) in enumerate(
            _attendees(meeting, source=meeting.source, partners=partners)
        ):
            attendance, created = services.attendance_add(
                actor=secretariat, meeting=meeting, name=name, position=position, organisation=organisation
            )
            if created:  # checked in just before the start, one after another (demo times)
                attendance.checked_in_at = meeting.starts_at - dt.timedelta(minutes=15) + dt.timedelta(minutes=n)
                attendance.save(update_fields=["checked_in_at"])
    if not documents_for_owner(owner=meeting).filter(kind="photo").exists():
        for n, caption in enumerate(PHOTO_CAPTIONS):
            upload = SimpleUploadedFile(f"dokumentasi-{n + 1}.jpg", demo_photo(caption, seed=n), "image/jpeg")
            services.meeting_document_add(
                actor=secretariat, owner=meeting, kind="photo", uploaded_file=upload, title=caption
            )
