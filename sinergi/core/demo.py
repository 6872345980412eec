"""Fictional demo data: the four seed tenants, their agencies, one demo login per role, and a case
history built through the real case services (numbering, rights, audit and timeline are genuine).

Everything here is invented. Names come from Faker (id_ID, fixed seed); NIKs are the region code
followed by random digits; phone numbers use an unassigned-looking 0000 block. Demo logins share one
documented password and a TOTP secret derived from the username: both are public, so these accounts
must never exist on a server that holds real cases.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import itertools
import random
import zoneinfo
from collections import Counter
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import User
from sinergi.accounts.roles import Role
from sinergi.regions.models import District, Regency, Village
from sinergi.tenants.models import Agency, Tenant

DEMO_PASSWORD = "Sinergi-Demo-2026!"  # noqa: S105 - public on purpose, documented in README
DEMO_EMAIL_DOMAIN = "demo.sinergi.test"  # .test is reserved (RFC 2606): mail never leaves the demo
DEMO_TOTP_DEVICE_NAME = "demo"
# Cases are generated only while the main tenant has fewer than this many (so reruns add nothing).
CASE_SKIP_THRESHOLD = 300
DEFAULT_CASES = 320
HISTORY_DAYS = 730

ERR_REGIONS_MISSING = _(
    "Region %(code)s (%(name)s) is not in the database. Run `manage.py load_regions` "
    "(or `load_regions --only 64.02,64.01,16.08,35.71`) before `manage.py demo_seed`."
)


def demo_totp_key(username: str) -> str:
    """The fixed, public demo TOTP key of a demo user (40 hex digits = 20 bytes). Demo only."""
    return hashlib.sha1(f"sinergi-demo-totp-not-secret:{username}".encode()).hexdigest()  # noqa: S324


# ---- Tenants and agencies -----------------------------------------------------------------------


@dataclass(frozen=True)
class TenantSpec:
    code: str
    short: str  # used in agency short names: "Dinsos Kukar"
    office_name: str
    office_short_name: str
    service_unit_name: str
    timezone: str
    puskesmas_district: str
    satgas_districts: tuple[str, ...]
    police_name: str
    education_name: str = "Dinas Pendidikan"
    education_short: str = "Disdik"


TENANTS: tuple[TenantSpec, ...] = (
    TenantSpec(
        code="64.02",
        short="Kukar",
        office_name="Dinas Pemberdayaan Perempuan dan Perlindungan Anak",
        office_short_name="DPPPA Kukar",
        service_unit_name="UPTD PPA",
        timezone="Asia/Makassar",
        puskesmas_district="64.02.06",  # Tenggarong
        satgas_districts=("64.02.06", "64.02.16", "64.02.03", "64.02.13", "64.02.05"),
        police_name="Polres Kutai Kartanegara",
        education_name="Dinas Pendidikan dan Kebudayaan",
        education_short="Disdikbud",
    ),
    TenantSpec(
        code="64.01",
        short="Paser",
        office_name=("Dinas Pengendalian Penduduk, Keluarga Berencana, Pemberdayaan Perempuan dan Perlindungan Anak"),
        office_short_name="DP2KBP3A Paser",
        service_unit_name="UPTD PPA",
        timezone="Asia/Makassar",
        puskesmas_district="64.01.04",  # Tanah Grogot
        satgas_districts=("64.01.04", "64.01.06"),
        police_name="Polres Paser",
    ),
    TenantSpec(
        code="16.08",
        short="OKU Timur",
        office_name="Dinas Pemberdayaan Perempuan dan Perlindungan Anak",
        office_short_name="DPPPA OKU Timur",
        service_unit_name="UPTD PPA",
        timezone="Asia/Jakarta",
        puskesmas_district="16.08.01",  # Martapura
        satgas_districts=("16.08.01", "16.08.03"),
        police_name="Polres OKU Timur",
    ),
    TenantSpec(
        code="35.71",
        short="Kota Kediri",
        office_name=("Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan Keluarga Berencana"),
        office_short_name="DP3AP2KB Kota Kediri",
        service_unit_name="P2TP2A",  # the seed article still uses the older name
        timezone="Asia/Jakarta",
        puskesmas_district="35.71.03",  # Pesantren
        satgas_districts=("35.71.01", "35.71.02", "35.71.03"),
        police_name="Polres Kediri Kota",
    ),
)
MAIN_TENANT = "64.02"
ISOLATION_TENANT = "35.71"


def agency_rows(spec: TenantSpec, regency_name: str) -> list[tuple[str, str, str, str, str | None]]:
    """(slot, kind, name, short_name, district code) for every agency of one tenant."""
    where = regency_name
    k = Agency.Kind
    rows: list[tuple[str, str, str, str, str | None]] = [
        ("office", k.OFFICE, f"{spec.office_name} {where}", spec.office_short_name, None),
        (
            "uptd",
            k.UPTD_PPA,
            f"{spec.service_unit_name} {where}",
            f"{spec.service_unit_name} {spec.short}",
            None,
        ),
        ("dinsos", k.DINSOS, f"Dinas Sosial {where}", f"Dinsos {spec.short}", None),
        ("disdik", k.DISDIK, f"{spec.education_name} {where}", f"{spec.education_short} {spec.short}", None),
        ("dinkes", k.DINKES, f"Dinas Kesehatan {where}", f"Dinkes {spec.short}", None),
        ("puskesmas", k.HEALTH_FACILITY, "", "", spec.puskesmas_district),  # named after its kecamatan
        (
            "disdukcapil",
            k.DISDUKCAPIL,
            f"Dinas Kependudukan dan Pencatatan Sipil {where}",
            f"Disdukcapil {spec.short}",
            None,
        ),
        ("satpol", k.SATPOL_PP, f"Satuan Polisi Pamong Praja {where}", f"Satpol PP {spec.short}", None),
        ("diskominfo", k.DISKOMINFO, f"Dinas Komunikasi dan Informatika {where}", f"Diskominfo {spec.short}", None),
        ("bappeda", k.BAPPEDA, f"Badan Perencanaan Pembangunan Daerah {where}", f"Bappeda {spec.short}", None),
        ("kemenag", k.KEMENAG, f"Kantor Kementerian Agama {where}", f"Kemenag {spec.short}", None),
        (
            "polres",
            k.POLICE_PPA,
            f"Unit PPA Satreskrim {spec.police_name}",
            f"Unit PPA {spec.police_name}",
            None,
        ),
        ("bapas", k.BAPAS, f"Balai Pemasyarakatan (Bapas) wilayah {where}", f"Bapas {spec.short}", None),
        (
            "lbh",
            k.LEGAL_AID,
            f"Lembaga Bantuan Hukum Peduli Perempuan dan Anak {spec.short} (fiktif)",
            f"LBH Peduli PA {spec.short}",
            None,
        ),
        ("forum_anak", k.FORUM_ANAK, f"Forum Anak {where}", f"Forum Anak {spec.short}", None),
    ]
    for code in spec.satgas_districts:
        rows.append((f"satgas:{code}", k.SATGAS_PPA, "", "", code))
    return rows


# ---- Demo logins --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    tenant: str
    agency: str  # agency slot (see agency_rows)
    full_name: str
    is_superuser: bool = False
    note: str = ""


# Fictional people; any likeness to a real official is accidental.
DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", Role.SYSTEM_ADMIN, "64.02", "office", "Bayu Pratama", is_superuser=True, note="Django admin"),
    DemoUser("kadis", Role.OFFICE_HEAD, "64.02", "office", "Dra. Sri Wahyuningsih", note="sees every case"),
    DemoUser("kasus", Role.CASE_MANAGER, "64.02", "uptd", "Rina Marlina, S.Psi."),
    DemoUser("kasus2", Role.CASE_MANAGER, "64.02", "uptd", "Agus Setiawan, S.Sos."),
    DemoUser("dinsos", Role.SERVICE_PROVIDER, "64.02", "dinsos", "Yuliana Hasibuan"),
    DemoUser("disdik", Role.SERVICE_PROVIDER, "64.02", "disdik", "Hendra Gunawan, S.Pd."),
    DemoUser("dinkes", Role.SERVICE_PROVIDER, "64.02", "dinkes", "dr. Maya Kusumawardani"),
    DemoUser("polres", Role.SERVICE_PROVIDER, "64.02", "polres", "Aipda Dimas Saputra"),
    DemoUser("puskesmas", Role.SERVICE_PROVIDER, "64.02", "puskesmas", "Nurul Hidayah, S.Psi., Psikolog"),
    DemoUser("lbh", Role.SERVICE_PROVIDER, "64.02", "lbh", "Fajar Ramadhan, S.H."),
    DemoUser("kemenag", Role.SERVICE_PROVIDER, "64.02", "kemenag", "Ustazah Laila Fitriani"),
    DemoUser("satgas", Role.SATGAS_VOLUNTEER, "64.02", "satgas:64.02.06", "Wati Lestari", note="mobile intake"),
    DemoUser("sekretariat", Role.TASKFORCE_SECRETARIAT, "64.02", "office", "Rudi Hartono"),
    DemoUser("opd", Role.OPD_EVIDENCE_OFFICER, "64.02", "disdukcapil", "Siti Rahmawati"),
    DemoUser("humas", Role.COMMUNICATIONS_OFFICER, "64.02", "diskominfo", "Eko Prasetyo"),
    DemoUser("analis", Role.ANALYST, "64.02", "bappeda", "Dewi Anggraini, M.Si.", note="aggregates only"),
    DemoUser("sekretariat.paser", Role.TASKFORCE_SECRETARIAT, "64.01", "office", "Nurhayati Saleh", note="task forces"),
    DemoUser("sekretariat.okut", Role.TASKFORCE_SECRETARIAT, "16.08", "office", "Rahmat Hidayat", note="task forces"),
    DemoUser(
        "sekretariat.kediri", Role.TASKFORCE_SECRETARIAT, "35.71", "office", "Lestari Wulandari", note="task forces"
    ),
    DemoUser("kadis.kediri", Role.OFFICE_HEAD, "35.71", "office", "Bambang Sutrisno", note="other tenant (isolation)"),
    DemoUser("kasus.kediri", Role.CASE_MANAGER, "35.71", "uptd", "Ayu Puspitasari", note="other tenant (isolation)"),
)
DEMO_USERNAMES = frozenset(u.username for u in DEMO_USERS)

# Which demo user answers referrals addressed to an agency slot (main tenant only).
RESPONDER_FOR_SLOT = {
    "dinsos": "dinsos",
    "disdik": "disdik",
    "dinkes": "dinkes",
    "polres": "polres",
    "puskesmas": "puskesmas",
    "lbh": "lbh",
    "kemenag": "kemenag",
    "uptd": "kasus2",
}


def demo_user_is_genuine(user: User) -> bool:
    """A demo login whose 2FA device (if any) still carries the public demo key.

    Only such users are listed by `demo_logins`: a real account (or one whose owner re-enrolled) never
    has its secret printed.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if user.username not in DEMO_USERNAMES:
        return False
    devices = list(TOTPDevice.objects.filter(user=user))
    if not devices:
        return not user.needs_2fa
    return all(d.key == demo_totp_key(user.username) for d in devices)


# ---- Set-up: tenants, agencies, users -------------------------------------------------------------


@dataclass
class SeedReport:
    tenants_created: int = 0
    agencies_created: int = 0
    users_created: int = 0
    devices_created: int = 0
    cases_created: dict[str, int] = field(default_factory=dict)
    cases_skipped: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


class RegionsMissing(Exception):
    pass


class DemoNotAllowed(Exception):
    pass


ERR_DEMO_NOT_ALLOWED = (
    "Demo data is refused here (SINERGI_ALLOW_DEMO_DATA is off, as in production): its logins have a "
    "public password and public TOTP keys, including a superuser."
)


def check_regions(specs: Iterable[TenantSpec] = TENANTS) -> dict[str, Regency]:
    found = {r.code: r for r in Regency.objects.filter(code__in=[s.code for s in specs])}
    for spec in specs:
        if spec.code not in found:
            raise RegionsMissing(str(ERR_REGIONS_MISSING % {"code": spec.code, "name": spec.short}))
    return found


def seed_tenants(report: SeedReport) -> dict[str, dict[str, Agency]]:
    """Create the four tenants and their agencies if missing. Returns agencies by tenant and slot."""
    regencies = check_regions()
    out: dict[str, dict[str, Agency]] = {}
    for spec in TENANTS:
        regency = regencies[spec.code]
        tenant, created = Tenant.objects.get_or_create(
            code=spec.code,
            defaults={
                "regency": regency,
                "name": regency.name,
                "office_name": spec.office_name,
                "office_short_name": spec.office_short_name,
                "service_unit_name": spec.service_unit_name,
                "timezone": spec.timezone,
            },
        )
        report.tenants_created += created
        districts = {d.code: d for d in District.objects.filter(regency=regency)}
        slots: dict[str, Agency] = {}
        for slot, kind, name, short, district_code in agency_rows(spec, regency.name):
            district = districts.get(district_code) if district_code else None
            if kind == Agency.Kind.HEALTH_FACILITY:
                place = district.name if district else spec.short
                name, short = f"Puskesmas {place}", f"Puskesmas {place}"
            elif kind == Agency.Kind.SATGAS_PPA:
                place = district.name if district else district_code
                name, short = f"Satgas PPA Kecamatan {place}", f"Satgas PPA {place}"
            agency, created = Agency.objects.get_or_create(
                tenant=tenant,
                short_name=short[:60],
                defaults={"kind": kind, "name": name[:200], "district": district},
            )
            report.agencies_created += created
            slots[slot] = agency
        out[spec.code] = slots
    return out


def seed_users(report: SeedReport, agencies: dict[str, dict[str, Agency]]) -> dict[str, User]:
    """One login per role (and the extra service providers); confirmed TOTP devices with demo keys."""
    from django.contrib.auth import password_validation
    from django.contrib.auth.hashers import make_password
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from sinergi.audit.services import record

    users: dict[str, User] = {}
    encoded = ""
    for spec in DEMO_USERS:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            agency = agencies[spec.tenant][spec.agency]
            # No e-mail while the history is generated: thousands of past notifications must not be
            # mailed by the worker. Addresses are set afterwards by `finish_users`.
            user = User(
                username=spec.username,
                tenant=agency.tenant,
                agency=agency,
                role=spec.role,
                full_name=spec.full_name,
                is_staff=spec.is_superuser,
                is_superuser=spec.is_superuser,
            )
            password_validation.validate_password(DEMO_PASSWORD, user=user)
            # One Argon2 hash for every demo login (the password is public anyway): 18 hashes cost ~8 s.
            encoded = encoded or make_password(DEMO_PASSWORD)
            user.password = encoded
            user.full_clean()
            user.save()
            record(
                actor=None,
                action="account.user_created",
                obj=user,
                tenant=agency.tenant,
                fields=["username", "role", "tenant", "agency", "is_staff"],
                extra={"role": spec.role, "is_staff": spec.is_superuser, "demo": True},
            )
            report.users_created += 1
        users[spec.username] = user
        if user.needs_2fa and not TOTPDevice.objects.filter(user=user).exists():
            TOTPDevice.objects.create(
                user=user, name=DEMO_TOTP_DEVICE_NAME, key=demo_totp_key(spec.username), confirmed=True
            )
            report.devices_created += 1
    return users


def finish_users(users: dict[str, User]) -> None:
    for username, user in users.items():
        if not user.email:
            User.objects.filter(pk=user.pk, email="").update(email=f"{username}@{DEMO_EMAIL_DOMAIN}")


# ---- Case history -------------------------------------------------------------------------------

# (category, weight, share of child victims, share of female victims): SIMFONI-PPA shows sexual
# violence as the most reported form and girls as most victims; adults are mostly women.
CATEGORY_PROFILE: dict[str, tuple[int, float, float]] = {
    "sexual": (30, 0.78, 0.86),
    "violence_child": (18, 1.0, 0.55),
    "domestic": (17, 0.2, 0.9),
    "violence_woman": (8, 0.0, 1.0),
    "neglect": (5, 1.0, 0.5),
    "abh": (4, 0.6, 0.5),
    "child_marriage": (4, 1.0, 0.9),
    "exploitation": (4, 0.8, 0.6),
    "tppo": (4, 0.45, 0.8),
    "other": (6, 0.5, 0.6),
}
CATEGORY_FORMS: dict[str, list[tuple[list[str], int]]] = {
    "sexual": [(["sexual"], 6), (["sexual", "psychological"], 4), (["sexual", "physical"], 1)],
    "violence_child": [(["physical"], 5), (["physical", "psychological"], 4), (["psychological"], 3)],
    "domestic": [(["physical", "psychological"], 5), (["physical"], 3), (["psychological"], 2), (["neglect"], 1)],
    "violence_woman": [(["physical"], 3), (["psychological"], 3), (["physical", "psychological"], 2)],
    "neglect": [(["neglect"], 4), (["neglect", "psychological"], 1)],
    "abh": [(["physical"], 2), (["other"], 2), (["sexual"], 1)],
    "child_marriage": [(["psychological"], 2), (["other"], 2), (["exploitation"], 1)],
    "exploitation": [(["exploitation"], 4), (["exploitation", "psychological"], 1)],
    "tppo": [(["trafficking", "exploitation"], 3), (["trafficking"], 2)],
    "other": [(["other"], 3), (["psychological"], 1)],
}
CATEGORY_PLACE: dict[str, list[tuple[str, int]]] = {
    "sexual": [("household", 5), ("public_facility", 2), ("school", 1), ("online", 2), ("other", 1)],
    "violence_child": [("household", 5), ("school", 3), ("public_facility", 1)],
    "domestic": [("household", 1)],
    "violence_woman": [("household", 3), ("workplace", 2), ("public_facility", 1), ("online", 1)],
    "neglect": [("household", 1)],
    "abh": [("public_facility", 3), ("school", 1), ("other", 1)],
    "child_marriage": [("household", 1)],
    "exploitation": [("public_facility", 2), ("workplace", 2), ("online", 1)],
    "tppo": [("workplace", 2), ("other", 2), ("online", 1)],
    "other": [("household", 2), ("other", 1)],
}
CATEGORY_RELATION: dict[str, list[tuple[str, int]]] = {
    "sexual": [("partner_friend", 5), ("family", 3), ("neighbour", 3), ("parent", 2), ("teacher", 1), ("unknown", 1)],
    "violence_child": [("parent", 5), ("family", 2), ("teacher", 1), ("neighbour", 1)],
    "domestic": [("spouse", 8), ("family", 1), ("parent", 1)],
    "violence_woman": [("spouse", 3), ("partner_friend", 3), ("coworker", 1), ("other", 1)],
    "neglect": [("parent", 4), ("family", 1)],
    "abh": [("partner_friend", 3), ("neighbour", 1), ("other", 1)],
    "child_marriage": [("parent", 3), ("family", 1), ("partner_friend", 1)],
    "exploitation": [("employer", 3), ("family", 1), ("other", 1)],
    "tppo": [("employer", 2), ("other", 2), ("unknown", 1)],
    "other": [("other", 2), ("unknown", 1)],
}
CHANNEL_WEIGHTS = [
    ("walk_in", 24),
    ("hotline", 14),
    ("satgas", 12),
    ("police", 12),
    ("school", 8),
    ("health", 7),
    ("ngo", 4),
    ("public_form", 5),
    ("media", 3),
    ("other", 2),
]
# (service, probability) per category; services go to the agency slot in SERVICE_SLOT.
CATEGORY_SERVICES: dict[str, list[tuple[str, float]]] = {
    "sexual": [("medical", 0.85), ("psychological", 0.9), ("police", 0.8), ("legal_aid", 0.5), ("schooling", 0.25)],
    "violence_child": [("medical", 0.6), ("psychological", 0.7), ("police", 0.35), ("schooling", 0.3)],
    "domestic": [("medical", 0.5), ("psychological", 0.6), ("police", 0.4), ("legal_aid", 0.4), ("mediation", 0.2)],
    "violence_woman": [("medical", 0.5), ("psychological", 0.6), ("police", 0.5), ("legal_aid", 0.4), ("shelter", 0.1)],
    "neglect": [("social_rehab", 0.7), ("social_assistance", 0.6), ("schooling", 0.4), ("medical", 0.3)],
    "abh": [("legal_aid", 0.9), ("social_rehab", 0.7), ("psychological", 0.5)],
    "child_marriage": [("religious", 0.6), ("schooling", 0.6), ("psychological", 0.5), ("social_assistance", 0.3)],
    "exploitation": [("social_rehab", 0.7), ("police", 0.5), ("schooling", 0.5), ("psychological", 0.4)],
    "tppo": [("repatriation", 0.8), ("police", 0.8), ("psychological", 0.6), ("restitution", 0.4), ("shelter", 0.3)],
    "other": [("psychological", 0.5), ("social_assistance", 0.3)],
}
SERVICE_SLOT = {
    "medical": ("puskesmas", "dinkes"),
    "psychological": ("puskesmas", "dinkes"),
    "legal_aid": ("lbh",),
    "police": ("polres",),
    "social_rehab": ("dinsos",),
    "shelter": ("dinsos",),
    "schooling": ("disdik",),
    "social_assistance": ("dinsos",),
    "reintegration": ("dinsos",),
    "repatriation": ("dinsos",),
    "restitution": ("lbh",),
    "religious": ("kemenag",),
    "mediation": ("uptd",),
}
# Days the case manager gives an agency for each service (a visum is urgent, counselling takes weeks).
SERVICE_DUE_DAYS = {
    "medical": 3,
    "psychological": 30,
    "legal_aid": 30,
    "police": 21,
    "social_rehab": 30,
    "shelter": 7,
    "schooling": 21,
    "social_assistance": 14,
    "reintegration": 30,
    "repatriation": 14,
    "restitution": 45,
    "religious": 21,
    "mediation": 14,
}
# Rough relative population of Kukar's kecamatan, so the capital and the coast report more cases.
DISTRICT_WEIGHTS = {
    "64.02.06": 10,  # Tenggarong
    "64.02.16": 8,  # Tenggarong Seberang
    "64.02.03": 7,  # Loa Janan
    "64.02.13": 6,  # Samboja
    "64.02.05": 6,  # Muara Badak
    "64.02.02": 5,  # Loa Kulu
    "64.02.04": 5,  # Anggana
    "64.02.14": 4,  # Muara Jawa
    "64.02.15": 3,  # Sanga Sanga
    "64.02.17": 3,  # Marang Kayu
    "64.02.08": 3,  # Kota Bangun
    "64.02.07": 3,  # Sebulu
    "64.02.11": 3,  # Muara Kaman
    "64.02.20": 3,  # Samboja Barat
    "64.02.12": 1,  # Tabang
    "64.02.18": 1,  # Muara Wis
}
RELATION_ID = {
    "parent": "orang tua",
    "family": "kerabat",
    "spouse": "suami",
    "partner_friend": "pacar/teman",
    "teacher": "guru",
    "neighbour": "tetangga",
    "employer": "majikan",
    "coworker": "rekan kerja",
    "other": "orang lain",
    "unknown": "orang tidak dikenal",
}
PLACE_ID = {
    "household": "rumah",
    "workplace": "tempat kerja",
    "school": "lingkungan sekolah",
    "public_facility": "fasilitas umum",
    "short_course": "tempat kursus",
    "online": "media sosial",
    "other": "lokasi lain",
}
CHRONOLOGY: dict[str, list[str]] = {
    "sexual": [
        "Korban ({who}) diduga mengalami kekerasan seksual oleh {rel} di {place}. Kejadian diketahui setelah "
        "korban bercerita kepada keluarga. Korban tampak ketakutan dan enggan keluar rumah.",
        "Pelapor melihat perubahan perilaku korban ({who}). Korban mengaku disentuh secara tidak pantas "
        "oleh {rel} beberapa kali di {place}.",
        "Korban ({who}) menerima ancaman penyebaran foto pribadi dari {rel} melalui {place}.",
    ],
    "violence_child": [
        "Korban ({who}) datang dengan luka memar di lengan dan punggung; diduga dipukul oleh {rel} di {place}.",
        "Guru melaporkan korban ({who}) sering datang ke sekolah dengan bekas luka. Korban mengaku dimarahi "
        "dan dipukul oleh {rel}.",
    ],
    "domestic": [
        "Korban ({who}) mengalami pemukulan oleh {rel} di {place} setelah pertengkaran soal nafkah. "
        "Kejadian berulang sejak beberapa bulan.",
        "Korban ({who}) diusir dari rumah dan diancam oleh {rel}. Korban kini menumpang di rumah kerabat.",
    ],
    "violence_woman": [
        "Korban ({who}) mengalami kekerasan fisik dan psikis oleh {rel} di {place}.",
        "Korban ({who}) dihina dan diancam berulang kali oleh {rel}; korban mengalami gangguan tidur.",
    ],
    "neglect": [
        "Warga melaporkan korban ({who}) sering ditinggal sendirian tanpa makanan yang cukup oleh {rel}.",
        "Korban ({who}) tidak bersekolah dan tidak terurus; {rel} bekerja di luar daerah.",
    ],
    "abh": [
        "Anak berhadapan dengan hukum: terjadi perkelahian di {place} yang melibatkan anak; korban ({who}) "
        "mengalami luka ringan. Perkara ditangani Unit PPA.",
        "Anak diduga mengambil barang milik korban ({who}) di {place}. Keluarga meminta pendampingan.",
    ],
    "child_marriage": [
        "Korban ({who}) akan dinikahkan oleh keluarga; pelapor meminta pencegahan perkawinan anak.",
        "Korban ({who}) putus sekolah karena dinikahkan; korban ingin melanjutkan pendidikan.",
    ],
    "exploitation": [
        "Korban ({who}) dipekerjakan oleh {rel} hingga larut malam di {place} tanpa upah yang layak.",
        "Korban ({who}) diminta mengemis oleh {rel} di {place}.",
    ],
    "tppo": [
        "Korban ({who}) dijanjikan pekerjaan di luar daerah oleh {rel}, kemudian dokumennya ditahan dan "
        "korban dipaksa bekerja.",
        "Korban ({who}) berhasil menghubungi keluarga setelah dibawa ke luar provinsi oleh {rel}.",
    ],
    "other": [
        "Pelapor meminta pendampingan bagi korban ({who}) yang mengalami perundungan di {place}.",
        "Korban ({who}) membutuhkan konseling setelah mengalami kejadian yang membuatnya trauma.",
    ],
}
DECLINE_REASONS = [
    "Layanan penuh bulan ini; mohon dirujuk ke unit lain.",
    "Korban berdomisili di luar wilayah layanan kami.",
    "Keluarga korban menolak layanan ini.",
]
SERVICE_NOTES = [
    "Sesi berjalan baik, korban kooperatif.",
    "Pendampingan lanjutan dijadwalkan.",
    "Korban didampingi orang tua.",
    "Layanan selesai sesuai rencana.",
    "",
]
RIGHT_NOT_NEEDED_REASONS = {
    "restitution": "Keluarga korban memilih tidak mengajukan restitusi.",
    "psychological_rehab": "Hasil asesmen psikolog: tidak memerlukan rehabilitasi lanjutan.",
    "reintegration": "Korban sudah kembali ke keluarga tanpa pendampingan tambahan.",
}
CLOSURE_WEIGHTS = [
    ("resolved", 72),
    ("victim_withdrew", 8),
    ("referred_out", 6),
    ("unreachable", 5),
    ("not_a_case", 5),
    ("duplicate", 4),
]
EARLY_CLOSURES = {"not_a_case", "duplicate", "unreachable"}


def _weighted(rng: random.Random, pairs: list[tuple[Any, float]]) -> Any:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]


@dataclass
class CaseWorld:
    """Everything the case stories share while the history is replayed."""

    rng: random.Random
    fake: Any
    tenant: Tenant
    agencies: dict[str, Agency]
    users: dict[str, User]
    managers: list[User]
    office_head: User
    satgas: User | None
    districts: list[District]
    district_weights: list[float]
    villages: dict[str, list[Village]]
    end: dt.datetime
    tz: dt.tzinfo
    referrals_enabled: bool
    stats: Counter = field(default_factory=Counter)


def _children_ages(rng: random.Random, category: str) -> int:
    if category == "neglect":
        return rng.choice([1, 2, 3, 4, 5, 6, 7, 8, 9])
    if category == "violence_child":
        return _weighted(rng, [(rng.randint(2, 5), 2), (rng.randint(6, 12), 5), (rng.randint(13, 17), 3)])
    if category in ("sexual", "child_marriage", "tppo", "exploitation"):
        return _weighted(rng, [(rng.randint(4, 12), 3), (rng.randint(13, 17), 7)])
    return rng.randint(5, 17)


def _education_for(rng: random.Random, age: int) -> str:
    if age <= 5:
        return "paud" if age >= 4 else "none"
    if age <= 12:
        return "sd"
    if age <= 15:
        return "sltp"
    if age <= 17:
        return _weighted(rng, [("slta", 8), ("none", 2)])
    return _weighted(rng, [("sd", 2), ("sltp", 3), ("slta", 4), ("higher", 1), ("unknown", 1)])


def fictional_nik(rng: random.Random, district_code: str, birth: dt.date, female: bool) -> str:
    """Region prefix + DDMMYY (day + 40 for women, as on real NIKs) + a 9xxx serial rarely issued."""
    day = birth.day + (40 if female else 0)
    return f"{district_code.replace('.', '')[:6]}{day:02d}{birth:%m%y}9{rng.randint(0, 999):03d}"


def fictional_phone(rng: random.Random) -> str:
    return f"0812-0000-{rng.randint(0, 9999):04d}"


def _person(
    world: CaseWorld, *, role: str, age: int, female: bool, incident: dt.date, district: District | None, **extra
) -> Any:
    from sinergi.cases.services import PersonInput

    rng, fake = world.rng, world.fake
    first = fake.first_name_female() if female else fake.first_name_male()
    last = fake.last_name_female() if female else fake.last_name_male()
    birth = incident - dt.timedelta(days=age * 365 + rng.randint(10, 350))
    village = rng.choice(world.villages.get(district.code, [None]) or [None]) if district else None
    address = fake.street_address()
    if village is not None:
        address = f"{address}, {village.prefixed_name}, Kec. {district.name}"
    has_birth = rng.random() < (0.8 if age < 18 else 0.6)
    has_nik = district is not None and rng.random() < (0.65 if age < 18 else 0.85)
    data = PersonInput(
        role=role,
        full_name=f"{first} {last}",
        nik=fictional_nik(rng, district.code, birth, female) if has_nik else "",
        birth_date=birth if has_birth else None,
        age=age,
        address=address,
        phone=fictional_phone(rng) if age >= 15 and rng.random() < 0.7 else "",
        sex="F" if female else "M",
        education=_education_for(rng, age),
        district_code=district.code if district else "",
        village_code=village.code if village else "",
    )
    if role == "victim" and age < 18:
        data.guardian_name = f"{fake.first_name_female()} {fake.last_name_female()}"
        data.guardian_phone = fictional_phone(rng)
        if 6 <= age <= 17:
            level = "SD" if age <= 12 else ("SMP" if age <= 15 else "SMA")
            data.school_name = f"{level} Negeri {rng.randint(1, 30):03d} {district.name if district else ''}".strip()
    if role == "victim" and rng.random() < 0.04:
        data.disabilities = [rng.choice(["physical", "intellectual", "sensory", "mental"])]
    for key, value in extra.items():
        setattr(data, key, value)
    return data


def _intake_data(world: CaseWorld, *, category: str, channel: str, reported: dt.date) -> Any:
    from sinergi.cases.services import IntakeInput

    rng = world.rng
    _weight, child_share, female_share = CATEGORY_PROFILE[category]
    district = rng.choices(world.districts, weights=world.district_weights, k=1)[0] if world.districts else None
    villages = world.villages.get(district.code, []) if district else []
    village = rng.choice(villages) if villages and rng.random() < 0.85 else None
    incident = None if rng.random() < 0.1 else reported - dt.timedelta(days=int(rng.expovariate(1 / 6)))
    day = incident or reported
    people = []
    for _n in range(2 if rng.random() < 0.08 else 1):
        is_child = rng.random() < child_share
        age = _children_ages(rng, category) if is_child else rng.randint(18, 52)
        people.append(
            _person(
                world,
                role="victim",
                age=age,
                female=rng.random() < female_share,
                incident=day,
                district=district,
            )
        )
    victim = people[0]
    relation = _weighted(rng, CATEGORY_RELATION[category])
    for _n in range(0 if relation == "unknown" else (2 if rng.random() < 0.08 else 1)):
        perp_age = rng.randint(14, 17) if category == "abh" else rng.randint(19, 58)
        perp = _person(
            world,
            role="perpetrator",
            age=perp_age,
            female=rng.random() < (0.1 if category != "neglect" else 0.5),
            incident=day,
            district=district,
            relation_to_victim=relation,
            perpetrator_status=_weighted(
                rng, [("unknown", 2), ("at_large", 2), ("reported", 4), ("detained", 2), ("convicted", 1)]
            ),
        )
        if rng.random() < 0.25:
            perp.full_name = ""  # reporters often know the relation, not the name
            perp.nik = ""
        people.append(perp)
    if channel in ("walk_in", "hotline", "satgas", "public_form", "school") and rng.random() < 0.7:
        people.append(
            _person(
                world,
                role="reporter",
                age=rng.randint(25, 60),
                female=rng.random() < 0.6,
                incident=day,
                district=district,
            )
        )
    place = _weighted(rng, CATEGORY_PLACE[category])
    forms = _weighted(rng, CATEGORY_FORMS[category])
    who = f"{'anak ' if (victim.age or 0) < 18 else ''}{'perempuan' if victim.sex == 'F' else 'laki-laki'}, {victim.age} tahun"
    chronology = rng.choice(CHRONOLOGY[category]).format(who=who, rel=RELATION_ID[relation], place=PLACE_ID[place])
    child_victim = any((p.age or 99) < 18 for p in people if p.role == "victim")
    triage = {
        "immediate_danger": rng.random() < 0.04,
        "child_sexual_violence": child_victim and category == "sexual",
        "trafficking": category == "tppo",
        "perpetrator_at_home": relation in ("parent", "family", "spouse") and rng.random() < 0.7,
        "injury_needs_medical": "physical" in forms and rng.random() < 0.5,
        "repeated_violence": rng.random() < 0.35,
        "victim_disability": any(p.disabilities for p in people if p.role == "victim"),
        "suicide_risk": rng.random() < 0.02,
    }
    return IntakeInput(
        channel=channel,
        reported_on=reported,
        category=category,
        forms=forms,
        channel_detail={
            "police": f"Unit PPA {world.tenant.name}",
            "school": "Laporan guru BK",
            "health": "Rujukan Puskesmas",
            "ngo": "Rujukan LSM pendamping",
            "media": "Unggahan media sosial",
            "hotline": rng.choice(["SAPA 129", "Hotline UPTD PPA"]),
        }.get(channel, ""),
        incident_on=incident,
        incident_place=place,
        district_code=district.code if district else "",
        village_code=village.code if village else "",
        chronology=chronology,
        triage=triage,
        is_lpsk_protected=category in ("sexual", "tppo") and rng.random() < 0.05,
        people=people,
    )


@dataclass
class CasePlan:
    start: dt.datetime
    category: str
    channel: str
    target: str  # received/outreach/assessment/planning/services/monitoring/closed
    closure: str = ""
    reopen: bool = False
    stall_referral: bool = False
    override: bool = False
    reassign: bool = False


Story = Generator[dt.datetime, None, None]


def _working_time(world: CaseWorld, day: dt.date, *, any_hour: bool = False) -> dt.datetime:
    rng = world.rng
    hour = rng.randint(0, 23) if any_hour else rng.randint(8, 15)
    local = dt.datetime.combine(day, dt.time(hour, rng.randint(0, 59), rng.randint(0, 59)), tzinfo=world.tz)
    return local.astimezone(dt.UTC)


def _hours(world: CaseWorld, low: float, high: float) -> dt.timedelta:
    return dt.timedelta(hours=world.rng.uniform(low, high))


def _days(world: CaseWorld, low: float, high: float) -> dt.timedelta:
    return dt.timedelta(days=world.rng.uniform(low, high))


def _case_story(world: CaseWorld, plan: CasePlan, spawn: Callable[[Story], None]) -> Story:
    """Replay one case's life, yielding the time of each next step (the scheduler freezes the clock)."""
    from sinergi.cases import services as s
    from sinergi.cases.models import Case

    rng = world.rng
    t_now = plan.start
    yield t_now
    data = _intake_data(world, category=plan.category, channel=plan.channel, reported=timezone.localdate())
    if plan.channel == "public_form":
        case, _code = s.public_report_submit(tenant=world.tenant, data=data)
        manager = rng.choice(world.managers)
    elif plan.channel == "satgas" and world.satgas is not None:
        case = s.case_intake(actor=world.satgas, tenant=world.tenant, data=data)
        manager = rng.choice(world.managers)
    else:
        manager = rng.choice(world.managers)
        case = s.case_intake(actor=manager, tenant=world.tenant, data=data)
    world.stats["cases"] += 1
    case_id = case.pk

    def fresh() -> Case:
        return Case.objects.select_related("tenant").get(pk=case_id)

    if plan.target == "received":
        return
    # Triage, then the first response (outreach or assessment). Most within the due time, some late.
    t_now += _hours(world, 0.2, 6)
    yield t_now
    s.case_triage(actor=manager, case=fresh(), answers=data.triage)
    t_now += _weighted(rng, [(_hours(world, 1, 20), 70), (_hours(world, 20, 60), 20), (_hours(world, 60, 160), 10)])
    yield t_now
    first = "outreach" if rng.random() < 0.6 else "assessment"
    s.case_change_stage(actor=manager, case=fresh(), to_stage=first, note="Penjangkauan/asesmen awal dilakukan.")
    if plan.target == "outreach":
        return
    if first == "outreach":
        t_now += _days(world, 1, 4)
        yield t_now
        s.case_change_stage(actor=manager, case=fresh(), to_stage="assessment")
    if plan.reassign and len(world.managers) > 1:
        t_now += _days(world, 0.5, 3)
        yield t_now
        other = next(m for m in world.managers if m.pk != manager.pk)
        s.case_assign(actor=world.office_head, case=fresh(), assignee=other)
        manager = other
    if plan.category == "abh":
        spawn(_diversion_story(world, case_id, manager, t_now + _days(world, 3, 15), plan.target))
    if plan.closure in EARLY_CLOSURES or plan.target == "assessment":
        if plan.closure:
            t_now += _days(world, 2, 12)
            yield t_now
            _close(world, case_id, manager, plan)
            world.stats["closed"] += 1
        return
    t_now += _days(world, 2, 7)
    yield t_now
    s.case_change_stage(actor=manager, case=fresh(), to_stage="planning", note="Rencana intervensi disusun.")
    ends: list[dt.datetime] = []
    if world.referrals_enabled:
        wanted = [svc for svc, p in CATEGORY_SERVICES[plan.category] if rng.random() < p]
        if not wanted:
            wanted = [CATEGORY_SERVICES[plan.category][0][0]]
        if "sexual" in data.forms or plan.category == "sexual":
            wanted = [w for w in wanted if w != "mediation"]
        for index, service in enumerate(wanted[:4]):
            t_now += _hours(world, 0.3, 30)
            yield t_now
            slot = rng.choice(SERVICE_SLOT[service])
            agency = world.agencies[slot]
            current = fresh()
            victim = current.people.filter(role="victim").first()
            referral = s.referral_create(
                actor=manager,
                case=current,
                agency=agency,
                service_type=service,
                victim=victim if rng.random() < 0.7 else None,
                due_on=timezone.localdate() + dt.timedelta(days=SERVICE_DUE_DAYS[service]),
                note="Mohon tindak lanjut sesuai kebutuhan korban.",
            )
            world.stats["referrals"] += 1
            stalled = plan.stall_referral and index == 0
            responder = world.users.get(RESPONDER_FOR_SLOT.get(slot, ""))
            if responder is not None and not stalled:
                fate = _weighted(rng, [("complete", 80), ("ongoing", 3), ("decline", 9), ("cancel", 4), ("wait", 3)])
                times = _referral_schedule(world, t_now, fate, SERVICE_DUE_DAYS[service])
                ends.extend(times[-1:])
                spawn(_referral_story(world, referral.pk, responder, manager, times, fate))
    if plan.target == "planning":
        return
    t_now += _days(world, 1, 4)
    yield t_now
    s.case_change_stage(actor=manager, case=fresh(), to_stage="services")
    if plan.target == "services":
        return
    t_now = max([t_now, *ends]) + _days(world, 2, 10)
    yield t_now
    s.case_change_stage(actor=manager, case=fresh(), to_stage="monitoring", note="Pemantauan pascalayanan.")
    if plan.target == "monitoring":
        return
    t_now += _days(world, 10, 50)
    yield t_now
    _close(world, case_id, manager, plan)
    world.stats["closed"] += 1
    if plan.reopen:
        t_now += _days(world, 15, 80)
        yield t_now
        s.case_reopen(actor=manager, case=fresh(), reason="Korban kembali melapor; diperlukan asesmen ulang.")
        world.stats["reopened"] += 1
        t_now += _days(world, 3, 10)
        yield t_now
        s.case_change_stage(actor=manager, case=fresh(), to_stage="planning")


def _close(world: CaseWorld, case_id: Any, manager: User, plan: CasePlan) -> None:
    from sinergi.cases import services as s
    from sinergi.cases import taxonomy as t
    from sinergi.cases.models import Case, Referral

    case = Case.objects.select_related("tenant").get(pk=case_id)
    if plan.override:
        # The office head closes although a right is still pending (recorded reason, UU 35/2014 art. 59A).
        s.case_close(
            actor=world.office_head,
            case=case,
            reason=plan.closure or "referred_out",
            note="Korban pindah domisili.",
            override_reason="Korban pindah ke luar daerah; pemenuhan hak dilanjutkan UPTD PPA daerah tujuan.",
        )
        world.stats["override"] += 1
        return
    for referral in Referral.objects.filter(case=case, status__in=t.OPEN_REFERRAL_STATUSES):
        s.referral_cancel(actor=manager, referral=referral, reason="Layanan tidak lagi diperlukan saat terminasi.")
    s.rights_recompute(case=case)
    for item in s.unresolved_rights(case=case):
        s.right_set(
            actor=manager,
            item=item,
            status=t.RightStatus.NOT_NEEDED,
            reason=RIGHT_NOT_NEEDED_REASONS.get(item.right, "Tidak diperlukan menurut hasil asesmen akhir."),
        )
    s.case_close(actor=manager, case=case, reason=plan.closure or "resolved", note="Terminasi sesuai rencana.")


def _referral_schedule(world: CaseWorld, start: dt.datetime, fate: str, due_days: int) -> list[dt.datetime]:
    """When the agency answers, then when each service session is recorded: mostly before the due
    date, about one referral in eight late."""
    rng = world.rng
    if fate == "wait":
        return []
    span = dt.timedelta(days=due_days * (rng.uniform(1.1, 1.8) if rng.random() < 0.12 else rng.uniform(0.4, 0.95)))
    answer = min(_weighted(rng, [(_hours(world, 2, 30), 7), (_days(world, 1, 4), 3)]), span / 2)
    times = [start + answer]
    if fate in ("complete", "ongoing"):
        sessions = rng.randint(1, 3 if due_days <= 7 else 4)
        step = (span - answer) / sessions
        times += [start + answer + step * (n + 1) for n in range(sessions)]
    return times


def _referral_story(
    world: CaseWorld, referral_id: Any, responder: User, manager: User, times: list[dt.datetime], fate: str
) -> Story:
    from sinergi.cases import services as s
    from sinergi.cases.models import Referral

    rng = world.rng

    def fresh() -> Referral:
        return Referral.objects.select_related("case__tenant", "agency").get(pk=referral_id)

    if not times:
        return
    yield times[0]
    if fresh().status != "pending":
        return
    if fate == "cancel":
        s.referral_cancel(actor=manager, referral=fresh(), reason="Korban sudah mendapat layanan dari pihak lain.")
        return
    if fate == "decline":
        s.referral_respond(actor=responder, referral=fresh(), accept=False, reason=rng.choice(DECLINE_REASONS))
        return
    s.referral_respond(actor=responder, referral=fresh(), accept=True)
    sessions = times[1:]
    for number, when in enumerate(sessions):
        yield when
        referral = fresh()
        if referral.status != "accepted":
            return
        last = number == len(sessions) - 1
        s.service_record(
            actor=responder,
            referral=referral,
            delivered_on=timezone.localdate(),
            sessions=rng.randint(1, 3),
            outcome="completed" if last and fate == "complete" else "ongoing",
            notes=rng.choice(SERVICE_NOTES),
        )
        world.stats["services"] += 1


def _diversion_story(world: CaseWorld, case_id: Any, manager: User, start: dt.datetime, target: str) -> Story:
    from sinergi.cases import services as s
    from sinergi.cases.models import Case

    rng = world.rng
    t_now = start
    for level in ("investigation", "prosecution", "court"):
        yield t_now
        case = Case.objects.select_related("tenant").get(pk=case_id)
        if case.stage == "closed" or case.assigned_to_id not in (None, manager.pk):
            return
        outcome = _weighted(
            rng,
            [("agreed", 5), ("failed", 3), ("not_eligible", 1)]
            if level == "investigation"
            else [("agreed", 1), ("failed", 1)],
        )
        s.diversion_record(
            actor=manager,
            case=case,
            level=level,
            outcome=outcome,
            decided_on=timezone.localdate(),
            is_bapas_involved=rng.random() < 0.85,
            note="Musyawarah diversi dengan keluarga, pembimbing kemasyarakatan dan penyidik.",
        )
        world.stats["diversions"] += 1
        if outcome != "failed":
            return
        t_now += _days(world, 15, 40)


def _plans(world: CaseWorld, count: int, *, overdue_first: int, overdue_referrals: int) -> list[CasePlan]:
    """Which case happens when, and how far it gets: older cases are mostly closed, recent ones open."""
    rng = world.rng
    categories = list(CATEGORY_PROFILE)
    plans: list[CasePlan] = []
    end_day = timezone.localdate(world.end)
    for index in range(count):
        # Reporting grows over time (more awareness), so recent months hold more cases.
        days_ago = int(HISTORY_DAYS * (1 - rng.random() ** 0.8))
        days_ago = max(days_ago, 1)
        category = (
            categories[index]
            if index < len(categories)
            else _weighted(rng, [(c, w[0]) for c, w in CATEGORY_PROFILE.items()])
        )
        channel = _weighted(rng, CHANNEL_WEIGHTS)
        if channel == "satgas" and world.satgas is None:
            channel = "walk_in"
        if days_ago > 150:
            target = _weighted(rng, [("closed", 82), ("monitoring", 12), ("services", 5), ("planning", 1)])
        elif days_ago > 60:
            target = _weighted(rng, [("closed", 40), ("monitoring", 30), ("services", 25), ("planning", 5)])
        elif days_ago > 14:
            target = _weighted(rng, [("closed", 8), ("services", 45), ("planning", 25), ("assessment", 22)])
        else:
            target = _weighted(rng, [("received", 30), ("outreach", 30), ("assessment", 30), ("planning", 10)])
        plan = CasePlan(
            start=_working_time(world, end_day - dt.timedelta(days=days_ago), any_hour=channel == "hotline"),
            category=category,
            channel=channel,
            target=target,
        )
        if target == "closed":
            plan.closure = _weighted(rng, CLOSURE_WEIGHTS)
            plan.reopen = plan.closure == "resolved" and days_ago > 200 and rng.random() < 0.06
            plan.override = plan.closure == "referred_out" and rng.random() < 0.5
        if target in ("assessment", "planning", "services", "monitoring", "closed") and days_ago > 7:
            plan.reassign = rng.random() < 0.04
        plans.append(plan)
    # A few reports still waiting for a first response past its due time (child victims: 24 h).
    for plan in plans[count - overdue_first :] if overdue_first else []:
        plan.start = world.end - dt.timedelta(hours=rng.uniform(30, 110))
        plan.category = rng.choice(["sexual", "violence_child", "neglect"])
        plan.target = "received"
        plan.closure = ""
        plan.reopen = plan.override = False
    # And referrals no agency has answered, a week or more past their due date.
    for plan in plans[count - overdue_first - overdue_referrals : count - overdue_first]:
        plan.start = world.end - dt.timedelta(days=rng.uniform(25, 50))
        plan.target = "services"
        plan.stall_referral = True
        plan.closure = ""
        plan.reopen = plan.override = False
    return plans


def seed_cases(
    *,
    tenant: Tenant,
    agencies: dict[str, Agency],
    users: dict[str, User],
    count: int,
    seed: int,
    overdue_first: int = 5,
    overdue_referrals: int = 6,
    referrals_enabled: bool = True,
) -> Counter:
    """Generate `count` fictional cases over the last 24 months through the case services."""
    from faker import Faker

    from sinergi.accounts.roles import Role as R

    rng = random.Random(seed)  # noqa: S311 - reproducible fiction, not security
    Faker.seed(seed)
    fake = Faker("id_ID")
    tenant_users = {name: u for name, u in users.items() if u.tenant_id == tenant.pk}
    managers = [u for u in tenant_users.values() if u.role == R.CASE_MANAGER]
    heads = [u for u in tenant_users.values() if u.role == R.OFFICE_HEAD]
    satgas = next((u for u in tenant_users.values() if u.role == R.SATGAS_VOLUNTEER), None)
    districts = list(District.objects.filter(regency_id=tenant.regency_id).order_by("code"))
    villages: dict[str, list[Village]] = {}
    for village in Village.objects.filter(district__regency_id=tenant.regency_id).order_by("code"):
        villages.setdefault(village.district_id, []).append(village)
    weights = [DISTRICT_WEIGHTS.get(d.code, 2) for d in districts]
    end = timezone.now() - dt.timedelta(minutes=5)
    world = CaseWorld(
        rng=rng,
        fake=fake,
        tenant=tenant,
        agencies=agencies,
        users=tenant_users,
        managers=managers,
        office_head=heads[0],
        satgas=satgas,
        districts=districts,
        district_weights=weights,
        villages=villages,
        end=end,
        tz=zoneinfo.ZoneInfo(tenant.timezone),
        referrals_enabled=referrals_enabled,
    )
    plans = _plans(world, count, overdue_first=overdue_first, overdue_referrals=overdue_referrals)
    spawned: list[Story] = []
    stories = [_case_story(world, plan, spawned.append) for plan in plans]
    _replay(stories, spawned, end)
    return world.stats


def _replay(stories: list[Story], spawned: list[Story], end: dt.datetime) -> None:
    """Like _replay, but stories may start sub-stories (referrals, diversions) while they run."""
    from freezegun import freeze_time

    counter = itertools.count()
    heap: list[tuple[dt.datetime, int, Story]] = []

    def push(story: Story) -> None:
        try:
            when = next(story)
        except StopIteration:
            return
        if when <= end:
            heapq.heappush(heap, (when, next(counter), story))
        else:
            story.close()

    with freeze_time(end) as frozen:
        for story in stories:
            push(story)
        while heap:
            when, _n, story = heapq.heappop(heap)
            frozen.move_to(when)
            push(story)
            while spawned:
                push(spawned.pop(0))


@transaction.atomic
def seed_all(*, cases: int = DEFAULT_CASES, seed: int = 2026) -> SeedReport:
    """Idempotent: tenants, agencies and users are created if missing; cases only for a tenant that
    does not have them yet."""
    from freezegun import freeze_time

    from sinergi.cases.models import Case

    if not settings.SINERGI_ALLOW_DEMO_DATA:
        raise DemoNotAllowed(ERR_DEMO_NOT_ALLOWED)
    report = SeedReport()
    # Accounts and agencies "exist" before the history starts, so the audit log reads in time order.
    with freeze_time(timezone.now() - dt.timedelta(days=HISTORY_DAYS + 14)):
        agencies = seed_tenants(report)
        users = seed_users(report, agencies)
    targets = {MAIN_TENANT: cases, ISOLATION_TENANT: max(5, cases // 20)}
    for code, target in targets.items():
        tenant = Tenant.objects.get(code=code)
        existing = Case.objects.filter(tenant=tenant).count()
        if existing >= min(target, CASE_SKIP_THRESHOLD):
            report.cases_skipped[code] = existing
            continue
        main = code == MAIN_TENANT
        seed_cases(
            tenant=tenant,
            agencies=agencies[code],
            users=users,
            count=target,
            seed=seed + int(code.replace(".", "")),
            overdue_first=5 if main else 1,
            overdue_referrals=6 if main else 0,
            referrals_enabled=main,
        )
        report.cases_created[code] = Case.objects.filter(tenant=tenant).count() - existing
    from sinergi.taskforces.demo import seed_taskforces

    seed_taskforces(agencies=agencies, users=users)
    finish_users(users)
    return report
