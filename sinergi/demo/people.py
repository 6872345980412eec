"""Fictional demo data: the four seed tenants, their agencies and one demo login per role.

The case history is in `case_history.py`; `seed.py` runs both through the demo-seeder registry.

Everything here is invented. Names come from Faker (id_ID, fixed seed); NIKs are the region code
followed by random digits; phone numbers use an unassigned-looking 0000 block. Demo logins share one
documented password and a TOTP secret derived from the username: both are public, so these accounts
must never exist on a server that holds real cases.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import User
from sinergi.accounts.roles import Role
from sinergi.regions.models import District, Regency
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
        # Partners of the KLA cluster and the task forces (fictional names).
        ("media", k.MEDIA, f"Radio Komunitas Suara {spec.short} (fiktif)", f"Radio Suara {spec.short}", None),
        ("apsai", k.BUSINESS, f"Asosiasi Perusahaan Sahabat Anak {spec.short} (fiktif)", f"APSAI {spec.short}", None),
        ("kampus", k.UNIVERSITY, f"Universitas Bina Bangsa {spec.short} (fiktif)", f"UBB {spec.short}", None),
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
