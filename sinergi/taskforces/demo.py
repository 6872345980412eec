"""The five seed meetings (the source articles in /work/shared/seeds) as real records of their tenants.

Facts the articles state are kept as they are: date, venue, body, who chaired and spoke (as text, never
as accounts), the agencies present and the agreements in the article's own words. Everything else —
start times, owners, due dates, statuses, progress, letter numbers — is a demo value: meetings carry
`is_demo=True`, agreements `is_demo_values=True`, progress updates `is_demo=True`.

`seed_taskforces` is idempotent: a meeting whose `source` already exists is not created again.
"""

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.audit.services import record as audit
from sinergi.tenants.models import Agency, Signatory, Tenant
from sinergi.tenants.services import letter_number_next

from . import services
from .demo_evidence import seed_evidence
from .events import Event
from .models import Agreement, Body, BodyKind, Meeting, MeetingStatus, Member, PartnerKind

DEMO_NOTE = "Owner, due date, status and progress are demo values (the article does not state them)."


@dataclass(frozen=True)
class SeedAgreement:
    text: str
    owner: str | None  # agency slot of core.demo.agency_rows, or None
    due: dt.date | None = None
    supporters: tuple[str, ...] = ()
    status: str = "open"
    progress: int = 0
    note: str = ""


@dataclass(frozen=True)
class SeedMeeting:
    source: str
    tenant: str
    body_name: str
    body_kind: str
    type: str
    title: str
    day: dt.date
    start: dt.time  # demo value: no article states the hour
    venue: str
    chair: str
    speakers: tuple[str, ...]
    present_slots: tuple[str, ...]
    partners: tuple[tuple[str, str], ...]  # (organisation, partner kind) present without an agency row
    agenda: tuple[str, ...]
    summary: str
    agreements: tuple[SeedAgreement, ...]
    follow_up: tuple[str, dt.date] | None = None  # a planned follow-up meeting (title, demo date)
    extra: dict = field(default_factory=dict)


KUKAR_RAKOR = SeedMeeting(
    source="seeds/000_78be864aa03e5e49.txt (Diskominfo Kukar)",
    tenant="64.02",
    body_name="Forum Koordinasi Penanganan Terpadu Kasus Anak Kukar",
    body_kind=BodyKind.FORUM,
    type="rakor",
    title="Rapat Koordinasi Penanganan Terpadu Kasus Anak dan Publikasi Anak",
    day=dt.date(2023, 1, 4),
    start=dt.time(9, 0),
    venue="Ruang Rapat DPPPA Kukar",
    chair="Hero Suprayetno, Sekretaris DPPPA Kukar",
    speakers=(
        "Hero Suprayetno (DPPPA Kukar): regulasi publikasi anak dan fakta kasus anak di Kutai Kartanegara",
        "Zainul Effendi Joesoef, Pranata Humas Ahli Muda (Diskominfo Kukar): regulasi media konvensional dan "
        "media berbasis internet",
        "Dinsos, Disdik, Satpol PP, Bagian Kesra: pandangan terkait tupoksi OPD terkait anak",
    ),
    present_slots=("office", "satpol", "dinsos", "disdik", "diskominfo"),
    partners=(("Bagian Kesejahteraan Rakyat Setda Kukar", PartnerKind.OTHER),),
    agenda=(
        "Paparan regulasi publikasi anak dan fakta kasus anak",
        "Regulasi media dan perlindungan anak",
        "Pandangan OPD sesuai tupoksi",
        "Kesepakatan",
    ),
    summary="Rakor digelar dari fenomena media sosial terkait publikasi anak; isu anak dan perempuan "
    "diharapkan ditangani secara terpadu.",
    agreements=(
        SeedAgreement(
            "Menyusun norma dan tata Kelola pemberitaan tentang anak",
            "diskominfo",
            dt.date(2023, 3, 31),
            ("office",),
            "done",
            100,
        ),
        SeedAgreement(
            "MoU / deklarasi Pemda dengan pihak media konvensional dan media online tentang publikasi anak.",
            "diskominfo",
            dt.date(2023, 6, 30),
            ("office",),
            "on_track",
            60,
        ),
        SeedAgreement(
            "Sosialisasi bersama OPD sesuai peran tentang pembangunan dan perlindungan anak.",
            "office",
            dt.date(2023, 9, 30),
            ("dinsos", "disdik"),
            "on_track",
            40,
        ),
        SeedAgreement(
            "Membuat regulasi tentang pemberitaan anak.",
            "office",
            dt.date(2023, 12, 31),
            ("diskominfo",),
            "at_risk",
            20,
        ),
        SeedAgreement(
            "Membentuk Tim Gugus Tugas penanganan kasus anak.", "office", dt.date(2023, 3, 31), (), "done", 100
        ),
        SeedAgreement(
            "Pemetaan data dan informasi kasus anak di beberapa kecamatan di wilayah Kabupaten Kutai Kartanegara.",
            "uptd",
            dt.date(2023, 6, 30),
            ("office",),
            "open",
            0,
        ),
        SeedAgreement(
            "Kolaborasi seluruh stakeholders berdasarkan tupoksi dalam rangka merespons permasalahan "
            "sosial tentang anak.",
            "office",
            None,
            ("dinsos", "disdik", "satpol", "diskominfo"),
        ),
        SeedAgreement(
            "Merumuskan kebijakan langkah-langkah strategis terkait stakeholders yang terlibat dalam "
            "rakor lanjutan tentang permasalahan anak.",
            "office",
            dt.date(2023, 2, 28),
            (),
            "open",
            0,
        ),
    ),
)

PASER_GT_KLA = SeedMeeting(
    source="seeds/001_aa39baa472ae0c97.txt (MC Kab. Paser)",
    tenant="64.01",
    body_name="Gugus Tugas KLA Kabupaten Paser",
    body_kind=BodyKind.GUGUS_TUGAS_KLA,
    type="evaluasi",
    title="Rapat Gugus Tugas KLA: Persiapan Penilaian KLA 2022 dan Sinkronisasi Program Kerja",
    day=dt.date(2021, 10, 19),
    start=dt.time(9, 0),
    venue="Ruang pertemuan kantor DPPKBP3A Kabupaten Paser",
    chair="Amir Faisol, Kepala DP2KBP3A Paser",
    speakers=("Amir Faisol (DP2KBP3A Paser)",),
    present_slots=("office", "diskominfo", "satpol", "disdukcapil", "dinsos", "forum_anak"),
    partners=(),
    agenda=(
        "Evaluasi pelaksanaan KLA di setiap perangkat daerah",
        "Persiapan penilaian KLA 2022, klaster I hak sipil dan kebebasan",
        "Kesepakatan",
    ),
    summary="Menyamakan persepsi setiap perangkat daerah dalam memenuhi hak anak dalam setiap program; "
    "koordinasi dan sinkronisasi untuk penilaian KLA 2022.",
    agreements=(
        SeedAgreement(
            "Komitmen mempertahankan predikat KLA, minimal peringkat Pratama, atau meningkat menjadi "
            "Madya pada tahun 2022.",
            "office",
            dt.date(2022, 12, 31),
            (),
            "done",
            100,
        ),
        SeedAgreement(
            "Perlu peraturan atau kebijakan Bupati tentang informasi KLA, yang dituangkan dalam Surat "
            "Keputusan Bupati pada dinas Kominfo, informatika, statistik dan persandian.",
            "diskominfo",
            dt.date(2022, 6, 30),
            ("office",),
            "at_risk",
            30,
        ),
        SeedAgreement(
            "Surat dari DP2KBP3A ke Dinas Kominfo untuk pembuatan aplikasi/kanal khusus fasilitas "
            "Informasi Layak Anak (ILA).",
            "office",
            dt.date(2021, 11, 30),
            ("diskominfo",),
            "done",
            100,
        ),
        SeedAgreement(
            "Satpol PP membuat larangan berada di tempat umum seperti di Siring Kandilo, Gentung Temiang, "
            "dan tempat umum lainnya di atas pukul 10 malam; apabila keluar perlu didampingi orangtua.",
            "satpol",
            dt.date(2022, 3, 31),
            (),
            "on_track",
            50,
        ),
        SeedAgreement(
            "Disdukcapil mempercepat pembuatan Kartu Identitas Anak (KIA) bagi anak-anak jalanan, panti "
            "sosial, yang berusia di bawah 17 tahun dan perekaman KTP-elektronik bagi anak berusia 17 "
            "tahun.",
            "disdukcapil",
            dt.date(2022, 6, 30),
            ("dinsos",),
            "on_track",
            70,
        ),
        SeedAgreement(
            "Penandatanganan kerjasama kemitraan perangkat daerah, lembaga masyarakat, dunia usaha, dan "
            "unsur media massa dalam pengembangan ILA.",
            "diskominfo",
            dt.date(2022, 9, 30),
            ("office",),
        ),
        SeedAgreement(
            "Sumber Daya Manusia yang terlatih Konvensi Hak Anak untuk penyelenggara register kelahiran, "
            "untuk penyelenggara layanan ILA, serta untuk forum anak/kelompok anak.",
            "office",
            dt.date(2022, 9, 30),
            ("disdukcapil", "diskominfo"),
        ),
        SeedAgreement(
            "Mengikutsertakan Forum Anak/Kelompok Anak setiap kegiatan di klaster I Bidang Hak Sipil dan "
            "Kebebasan, dalam pencegahan perkawinan anak serta lembaga konsultasi keluarga.",
            "office",
            None,
            ("forum_anak",),
            "on_track",
            50,
        ),
        SeedAgreement(
            "Meningkatkan kepemilikan akta kelahiran bagi anak jalanan, anak di lapas, anak di panti, dan "
            "anak yang memerlukan perlindungan khusus lainnya; Dinas Sosial mengusulkan/memberikan datanya "
            "untuk dipenuhi Dinas Kependudukan dan Catatan Sipil.",
            "disdukcapil",
            dt.date(2022, 6, 30),
            ("dinsos",),
            "on_track",
            40,
        ),
        SeedAgreement(
            "Setiap OPD terkait menyiapkan data-data beserta lampirannya dalam bentuk file PDF (PERDA, SK, "
            "kebijakan, pelaksanaan dan anggaran serta UANG: Undangan, Absen, Notulen, Gambar/Foto) pada "
            "Januari 2022.",
            "office",
            dt.date(2022, 1, 31),
            ("diskominfo", "satpol", "disdukcapil"),
            "done",
            100,
            note="Due date stated by the article (Januari 2022).",
        ),
    ),
)

KUKAR_FGD = SeedMeeting(
    source="seeds/002_8c5949870a748d52.txt (Akupedia.id)",
    tenant="64.02",
    body_name="FGD Penanganan KtP dan TPPO Kukar",
    body_kind=BodyKind.FORUM,
    type="fgd",
    title="FGD Penanganan Kekerasan terhadap Perempuan (KtP) dan TPPO",
    day=dt.date(2024, 6, 20),
    start=dt.time(9, 0),
    venue="Hotel Harris Samarinda",
    chair="Hero Suprayetno, Sekretaris DP3A Kukar",
    speakers=("Hero Suprayetno (DP3A Kukar)",),
    present_slots=("office", "disdik", "dinsos", "polres"),
    partners=(),
    agenda=("Kolaborasi, komunikasi dan sinergi antar OPD dalam penanganan KtP dan TPPO", "Tindak lanjut"),
    summary="Memperkuat kolaborasi, komunikasi dan sinergi antar OPD agar penanganan KtP dan TPPO efektif; "
    "peran Disdikbud bila korban di bawah umur.",
    agreements=(
        SeedAgreement(
            "Mengaktifkan kembali Satuan Tugas (Satgas) Perlindungan Perempuan dan Anak (PPA).",
            "office",
            dt.date(2024, 9, 30),
            ("uptd",),
            "on_track",
            50,
        ),
        SeedAgreement(
            "Rapat lanjutan bersama pihak-pihak terkait untuk menyinkronkan tugas dan fungsi masing-masing Satgas PPA.",
            "office",
            dt.date(2024, 7, 31),
            (),
            "done",
            100,
        ),
    ),
    follow_up=("Rapat Lanjutan Sinkronisasi Tugas dan Fungsi Satgas PPA", dt.date(2024, 7, 18)),
)

OKUT_RAKOR = SeedMeeting(
    source="seeds/003_8bb75900e75750d1.txt (Sorotkamera.com)",
    tenant="16.08",
    body_name="Gugus Tugas KLA Kabupaten OKU Timur",
    body_kind=BodyKind.GUGUS_TUGAS_KLA,
    type="rakor",
    title="Rapat Koordinasi Gugus Tugas Kota Layak Anak (KLA) Kabupaten OKU Timur Tahun 2023",
    day=dt.date(2023, 2, 23),
    start=dt.time(9, 0),
    venue="Ruang Bina Praja 2 Pemkab OKU Timur",
    chair="Hanafi, S.E., M.M., Kepala Dinas DPPPA OKU Timur",
    speakers=("Ela sela Nursanti, S.T., Sekdin DPPPA (narasumber)", "Tantowi, S.Si., Kabid Bappeda (narasumber)"),
    present_slots=("office", "bappeda", "kemenag", "disdik", "dinkes", "forum_anak"),
    partners=(("LSM jejaring KLA OKU Timur", PartnerKind.NGO),),
    agenda=(
        "Evaluasi, monitoring dan penyamaan persepsi upaya strategis KLA",
        "Persiapan dukungan Gugus Tugas dalam pengisian evaluasi pengembangan KLA",
    ),
    summary="Rakor dihadiri jejaring KLA yang terdiri dari OPD, Lembaga Vertikal, dan LSM.",
    agreements=(
        SeedAgreement("Memprioritaskan Perda KLA.", "office", dt.date(2023, 12, 31), ("bappeda",), "at_risk", 25),
        SeedAgreement("Pembentukan APSAI.", "office", dt.date(2023, 8, 31), (), "on_track", 40),
        SeedAgreement(
            "RAD KLA yang terintegrasi dengan 24 indikator KLA.",
            "bappeda",
            dt.date(2023, 10, 31),
            ("office",),
            "on_track",
            60,
        ),
        SeedAgreement("Peran dan fungsi forum anak.", "office", None, ("forum_anak",)),
        SeedAgreement(
            "Keterlibatan OPD lain seperti pertanian, perikanan, dalam kegiatan inovasi yang mendukung KLA.",
            "bappeda",
            dt.date(2023, 12, 31),
        ),
    ),
)

KEDIRI_LINTAS_SEKTOR = SeedMeeting(
    source="seeds/004_3cd81825f18d5df4.txt (Lenteratoday)",
    tenant="35.71",
    body_name="Forum Koordinasi dan Kerja Sama Lintas Sektor Anak Kota Kediri",
    body_kind=BodyKind.FORUM,
    type="rakor",
    title="Pertemuan Koordinasi dan Kerja Sama Lintas Sektor Anak",
    day=dt.date(2022, 9, 13),
    start=dt.time(9, 0),
    venue="Ruang Rapat DP3AP2KB Kota Kediri",
    chair="Sumedi, Kepala DP3AP2KB Kota Kediri",
    speakers=("Heri Nurdianto, Yayasan Perlindungan Anak Kediri (narasumber)",),
    present_slots=("office", "uptd", "dinsos", "polres", "disdik"),
    partners=(("Yayasan Perlindungan Anak (YLPA) Kediri", PartnerKind.NGO),),
    agenda=(
        "Persamaan persepsi pencegahan dan penanganan kekerasan pada anak",
        "Hak-hak khusus anak korban kekerasan",
        "Rekomendasi tindak lanjut",
    ),
    summary="Persamaan persepsi satuan kerja dalam pencegahan sekaligus penanganan kekerasan pada anak, agar "
    "pemenuhan dan perlindungan hak anak tidak saling tumpang tindih.",
    agreements=(
        SeedAgreement(
            "Rekomendasi tindak lanjut dalam bentuk MoU, naskah maupun peraturan walikota; lahir naskah "
            "kerjasama atau MoU melibatkan stakeholder yang hadir.",
            "office",
            dt.date(2022, 12, 31),
            ("uptd",),
            "on_track",
            50,
        ),
        SeedAgreement(
            "Sinkronisasi, kolaborasi dan kerjasama bareng yang berkelanjutan: pertemuan berkelanjutan lintas sektor.",
            "office",
            None,
            ("dinsos", "polres"),
        ),
        SeedAgreement(
            "Kasus kekerasan pada anak langsung dilaporkan ke pusat-pusat layanan pengaduan: unit PPA "
            "Satreskrim Polres Kediri Kota, P2TP2A / DP3AP2KB, YLPA, Peksos Kemensos (Dinas Sosial), "
            "satgas PPA di 46 Kelurahan dan satgas PPA tingkat kecamatan serta klinik pendidikan (TKP "
            "dalam sekolah).",
            "uptd",
            dt.date(2022, 10, 31),
            ("polres", "dinsos"),
            "done",
            100,
        ),
    ),
)

SEED_MEETINGS = (KUKAR_RAKOR, PASER_GT_KLA, KUKAR_FGD, OKUT_RAKOR, KEDIRI_LINTAS_SEKTOR)

# Fictional signatories (the demo's invitations need one with a NIP); never an official of an article.
DEMO_SIGNATORIES = {
    "64.02": (
        "Dra. Sri Wahyuningsih",
        "Kepala Dinas Pemberdayaan Perempuan dan Perlindungan Anak",
        "197105121996032004",
        "Tenggarong",
        "Pemerintah Kabupaten Kutai Kartanegara",
    ),
    "64.01": (
        "Ir. Bambang Wiratmo (demo)",
        "Kepala DP2KBP3A",
        "197203141998031005",
        "Tana Paser",
        "Pemerintah Kabupaten Paser",
    ),
    "16.08": (
        "Hj. Rosmala Dewi, S.Sos. (demo)",
        "Kepala Dinas PPPA",
        "197406202000122003",
        "Martapura",
        "Pemerintah Kabupaten Ogan Komering Ulu Timur",
    ),
    "35.71": ("Drs. Teguh Santoso (demo)", "Kepala DP3AP2KB", "197011051995031002", "Kediri", "Pemerintah Kota Kediri"),
}


def _prepare_tenant(tenant: Tenant) -> None:
    name, position, nip, city, parent = DEMO_SIGNATORIES[tenant.code]
    if not Signatory.objects.filter(tenant=tenant, is_active=True).exists():
        Signatory.objects.create(tenant=tenant, name=name, position=position, nip=nip, is_default=True)
    changed = []
    if not tenant.letter_city:
        tenant.letter_city, changed = city, [*changed, "letter_city"]
    if not tenant.letterhead_parent:
        tenant.letterhead_parent, changed = parent, [*changed, "letterhead_parent"]
    if changed:
        tenant.save(update_fields=changed)


def _seed_one(spec: SeedMeeting, *, tenant: Tenant, slots: dict[str, Agency], secretariat: User) -> Meeting:
    body = Body.objects.filter(tenant=tenant, name=spec.body_name).first()
    if body is None:
        body = services.body_create(
            actor=secretariat,
            tenant=tenant,
            kind=spec.body_kind,
            name=spec.body_name,
            secretariat_agency=slots["office"],
        )
    members = []
    for slot in spec.present_slots:
        agency = slots[slot]
        member = Member.objects.filter(body=body, agency=agency).first() or services.member_add(
            actor=secretariat, body=body, agency=agency, contact_email=f"{slot}.{tenant.code_compact}@demo.sinergi.test"
        )
        members.append(member)
    for organisation, kind in spec.partners:
        member = Member.objects.filter(body=body, organisation=organisation).first() or services.member_add(
            actor=secretariat, body=body, organisation=organisation, partner_kind=kind
        )
        members.append(member)
    zone = ZoneInfo(tenant.timezone)
    starts_at = dt.datetime.combine(spec.day, spec.start, tzinfo=zone)
    meeting = services.meeting_create(
        actor=secretariat,
        body=body,
        type=spec.type,
        title=spec.title,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=3),
        venue=spec.venue,
        agenda=spec.agenda,
        invited=members,
        chair_name=spec.chair,
        status=MeetingStatus.HELD,
        source=spec.source,
        is_demo=True,
    )
    # Undangan: a demo number of the meeting's year, dated two days before.
    meeting.letter_on = spec.day - dt.timedelta(days=2)
    meeting.letter_number = letter_number_next(tenant=tenant, classification="005", on=meeting.letter_on)
    meeting.signatory = Signatory.objects.filter(tenant=tenant, is_active=True).first()
    meeting.minutes_summary = spec.summary
    meeting.minutes_saved_at = starts_at + dt.timedelta(hours=4)
    meeting.save()
    items = list(meeting.agenda.all())
    items[0].speakers = "\n".join(spec.speakers)
    items[0].save(update_fields=["speakers"])
    for seed in spec.agreements:
        agreement = services.agreement_create(
            actor=None,
            meeting=meeting,
            text=seed.text,
            owner=slots.get(seed.owner) if seed.owner else None,
            supporters=[slots[s] for s in seed.supporters],
            due_on=seed.due,
            agenda_item=items[-1],
            is_demo_values=True,
        )
        if seed.progress or seed.status != "open":
            at = timezone.make_aware(dt.datetime.combine(seed.due or spec.day, dt.time(10)), zone)
            services.agreement_progress_add(
                actor=secretariat,
                agreement=agreement,
                text="Perkembangan (nilai demo)",
                progress=seed.progress,
                status=seed.status,
                is_demo=True,
                at=min(at, timezone.now()),
            )
    if spec.follow_up:
        title, day = spec.follow_up
        follow = services.meeting_create(
            actor=secretariat,
            body=body,
            type="lanjutan",
            title=title,
            starts_at=dt.datetime.combine(day, dt.time(9), tzinfo=zone),
            venue="Ruang Rapat DP3A Kukar",
            agenda=["Sinkronisasi tugas dan fungsi Satgas PPA", "Evaluasi kesepakatan FGD"],
            invited=members,
            follows_up=meeting,
            status=MeetingStatus.HELD,
            source=f"{spec.source}: follow-up meeting (demo)",
            is_demo=True,
        )
        for agreement in Agreement.objects.filter(meeting=meeting):
            services.agreement_mark_reviewed(actor=secretariat, agreement=agreement, meeting=follow)
    return meeting


def seed_taskforces(*, agencies: dict[str, dict[str, Agency]], users: dict[str, User]) -> int:
    """Load the seed meetings once; returns how many were created."""
    created = 0
    secretariats = {u.tenant.code: u for u in users.values() if u.role == "taskforce_secretariat"}
    for spec in SEED_MEETINGS:
        meeting = Meeting.objects.filter(tenant__code=spec.tenant, source=spec.source).first()
        if meeting is None:
            tenant = Tenant.objects.get(code=spec.tenant)
            _prepare_tenant(tenant)
            meeting = _seed_one(spec, tenant=tenant, slots=agencies[spec.tenant], secretariat=secretariats[spec.tenant])
            created += 1
        # Absen and Gambar (also for seed meetings loaded before they existed).
        seed_evidence(meeting, secretariat=secretariats[spec.tenant], partners=spec.partners)
    if created:
        audit(actor=None, action=Event.DEMO_SEEDED, extra={"meetings": created, "demo": True})
    return created
