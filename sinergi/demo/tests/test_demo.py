"""The demo set-up commands: keys written once, seed idempotent, one login per role, demo-only secrets."""

import base64
import datetime as dt
import io
import stat

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinergi.accounts.models import User
from sinergi.accounts.roles import Role
from sinergi.audit.services import verify_chain
from sinergi.cases import selectors
from sinergi.cases.models import Case, Person, Referral, RightItem, ServiceRecord, TimelineEntry
from sinergi.demo import case_profile
from sinergi.demo import people as demo
from sinergi.tenants.models import Agency, Tenant

SEED_CODES = "64.02,64.01,16.08,35.71"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def regions(db):
    run("load_regions", "--only", SEED_CODES)


@pytest.fixture
def seeded(regions):
    run("demo_seed", "--cases", "24")


def _snapshot() -> dict[str, int]:
    return {
        "tenants": Tenant.objects.count(),
        "agencies": Agency.objects.count(),
        "users": User.objects.count(),
        "devices": TOTPDevice.objects.count(),
        "cases": Case.objects.count(),
        "people": Person.objects.count(),
        "referrals": Referral.objects.count(),
        "services": ServiceRecord.objects.count(),
        "rights": RightItem.objects.count(),
        "timeline": TimelineEntry.objects.count(),
    }


# ---- demo_seed ------------------------------------------------------------------------------------


def test_seed_twice_creates_everything_once(regions):
    first_output = run("demo_seed", "--cases", "24")
    first = _snapshot()
    second_output = run("demo_seed", "--cases", "24")

    assert _snapshot() == first
    assert first["tenants"] == 4
    assert Case.objects.filter(tenant__code="64.02").count() == 24
    assert Case.objects.filter(tenant__code="35.71").count() == 5
    assert "24 generated now" in first_output
    assert "already seeded, none added" in second_output
    # Case numbers are unique per tenant and follow the tenant's code.
    numbers = list(Case.objects.filter(tenant__code="64.02").values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    assert all(n.startswith("PPA/6402/") for n in numbers)


def test_seed_creates_the_four_tenants_with_their_office_names(seeded):
    offices = dict(Tenant.objects.values_list("code", "office_short_name"))
    assert offices == {
        "64.02": "DPPPA Kukar",
        "64.01": "DP2KBP3A Paser",
        "16.08": "DPPPA OKU Timur",
        "35.71": "DP3AP2KB Kota Kediri",
    }
    kukar = Tenant.objects.get(code="64.02")
    kinds = set(kukar.agencies.values_list("kind", flat=True))
    for kind in (
        Agency.Kind.OFFICE,
        Agency.Kind.UPTD_PPA,
        Agency.Kind.DINSOS,
        Agency.Kind.DISDIK,
        Agency.Kind.DINKES,
        Agency.Kind.HEALTH_FACILITY,
        Agency.Kind.DISDUKCAPIL,
        Agency.Kind.SATPOL_PP,
        Agency.Kind.DISKOMINFO,
        Agency.Kind.BAPPEDA,
        Agency.Kind.KEMENAG,
        Agency.Kind.POLICE_PPA,
        Agency.Kind.BAPAS,
        Agency.Kind.LEGAL_AID,
        Agency.Kind.FORUM_ANAK,
        Agency.Kind.SATGAS_PPA,
    ):
        assert kind in kinds, kind
    satgas_units = kukar.agencies.filter(kind=Agency.Kind.SATGAS_PPA)
    assert satgas_units.count() >= 3
    assert all(unit.district and unit.district.regency_id == "64.02" for unit in satgas_units)


def test_every_role_has_a_demo_user_and_2fa_roles_have_a_confirmed_demo_device(seeded):
    kukar_roles = set(User.objects.filter(tenant__code="64.02").values_list("role", flat=True))
    assert kukar_roles == set(Role.values)
    providers = User.objects.filter(tenant__code="64.02", role=Role.SERVICE_PROVIDER)
    assert {"dinsos", "disdik", "dinkes", "polres"} <= set(providers.values_list("username", flat=True))
    for user in User.objects.filter(username__in=demo.DEMO_USERNAMES):
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
        if user.needs_2fa:
            assert devices.count() == 1, user.username
            assert devices.get().key == demo.demo_totp_key(user.username)
        else:
            assert not devices.exists(), user.username
        assert user.check_password(demo.DEMO_PASSWORD)
        assert user.email.endswith("@demo.sinergi.test")
    admin = User.objects.get(username="admin")
    assert admin.is_staff
    assert admin.is_superuser
    assert set(User.objects.filter(tenant__code="35.71").values_list("role", flat=True)) == {
        Role.OFFICE_HEAD,
        Role.CASE_MANAGER,
        Role.TASKFORCE_SECRETARIAT,  # every seed tenant has a secretariat login for its seed meeting
    }


def test_seeded_cases_are_built_through_the_services(seeded):
    cases = Case.objects.filter(tenant__code="64.02")
    # Every category at least once; sexual violence cases exist and victims include children.
    assert set(cases.values_list("category", flat=True)) == {c for c in case_profile.CATEGORY_PROFILE}
    assert Person.objects.filter(case__in=cases, role="victim", is_child=True).exists()
    assert Referral.objects.filter(case__in=cases).exists()
    assert ServiceRecord.objects.filter(referral__case__in=cases).exists()
    assert RightItem.objects.filter(case__in=cases).exists()
    # Each case has its timeline, and the audit chain is intact after thousands of appends.
    assert not cases.annotate(n=Count("timeline")).filter(n=0).exists()
    ok, checked, _bad = verify_chain()
    assert ok
    assert checked > 100
    # Past dates are real: the history spans months, and timestamps match the report date.
    assert cases.order_by("reported_on").first().reported_on < cases.order_by("-reported_on").first().reported_on
    for case in cases[:10]:
        assert case.created_at.date() - case.reported_on <= dt.timedelta(days=1)
    # Identity fields are stored encrypted and NIKs are fictional (region prefix, 9xxx serial).
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name, nik FROM cases_person WHERE nik_bidx <> ''")
        raw = cursor.fetchall()
    assert raw
    assert all(name.startswith("fernet:") and nik.startswith("fernet:") for name, nik in raw)
    niks = [p.nik for p in Person.objects.filter(case__in=cases).exclude(nik_bidx="")]
    assert niks
    assert all(len(n) == 16 and n[:2] == "64" and n[12] == "9" for n in niks)


def test_other_tenant_office_head_sees_none_of_the_demo_cases(seeded):
    kediri_head = User.objects.get(username="kadis.kediri")
    visible = selectors.case_list_for_user(user=kediri_head)
    assert visible.exists()
    assert not visible.filter(tenant__code="64.02").exists()


def test_seed_fails_clearly_without_regions(db):
    with pytest.raises(CommandError, match="load_regions"):
        run("demo_seed", "--cases", "5")
    assert not Tenant.objects.exists()


# ---- demo_logins ----------------------------------------------------------------------------------


def test_otp_prints_a_code_the_device_accepts(seeded):
    code = run("demo_logins", "--otp", "kasus").strip()
    assert len(code) == 6
    assert code.isdigit()
    device = TOTPDevice.objects.get(user__username="kasus")
    assert device.verify_token(code)


def test_logins_table_lists_demo_users_but_never_a_reenrolled_secret(seeded):
    device = TOTPDevice.objects.get(user__username="kadis")
    demo_secret_of_kasus = base64.b32encode(TOTPDevice.objects.get(user__username="kasus").bin_key).decode()
    device.key = "ab" * 20  # the owner enrolled a real authenticator
    device.save()
    output = run("demo_logins", "--url", "http://127.0.0.1:8001/")
    assert "http://127.0.0.1:8001/" in output
    assert demo.DEMO_PASSWORD in output
    assert demo_secret_of_kasus in output
    assert "\nkadis " not in output
    assert base64.b32encode(bytes.fromhex("ab" * 20)).decode() not in output
    with pytest.raises(CommandError):
        run("demo_logins", "--otp", "kadis")


def test_otp_refuses_users_outside_the_demo_table(seeded):
    User.objects.create_user(username="real.officer", password="x" * 20, role=Role.CASE_MANAGER)
    with pytest.raises(CommandError, match="not a demo login"):
        run("demo_logins", "--otp", "real.officer")
    with pytest.raises(CommandError, match="no demo authenticator"):
        run("demo_logins", "--otp", "satgas")


# ---- demo_keys ------------------------------------------------------------------------------------


def test_demo_keys_writes_a_private_file_once_and_never_overwrites(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    path = tmp_path / "local.env"
    run("demo_keys")
    first = path.read_text()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    names = [line.split("=", 1)[0] for line in first.splitlines() if line and not line.startswith("#")]
    assert names == ["DJANGO_SECRET_KEY", "SINERGI_FIELD_KEYS", "SINERGI_BLIND_INDEX_KEY", "DJANGO_DEBUG"]
    field_key = next(line.split("=", 1)[1] for line in first.splitlines() if line.startswith("SINERGI_FIELD_KEYS="))
    Fernet(field_key.encode())  # a valid key

    output = run("demo_keys")
    assert path.read_text() == first
    assert "nothing changed" in output


def test_demo_keys_only_adds_what_is_missing(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    path = tmp_path / "local.env"
    path.write_text("SINERGI_FIELD_KEYS=keep-me")
    path.chmod(0o644)
    run("demo_keys")
    text = path.read_text()
    assert text.startswith("SINERGI_FIELD_KEYS=keep-me\n")
    assert text.count("SINERGI_FIELD_KEYS=") == 1
    assert "DJANGO_SECRET_KEY=" in text
    assert "SINERGI_BLIND_INDEX_KEY=" in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
