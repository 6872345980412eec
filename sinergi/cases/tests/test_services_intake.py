"""case_intake, case_triage, duplicate detection and encryption at rest."""

import datetime as dt
import string

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from freezegun import freeze_time
from hypothesis import given, settings
from hypothesis import strategies as st

from sinergi.accounts.roles import Role
from sinergi.cases import services as s
from sinergi.cases import taxonomy as t
from sinergi.cases.models import Case, Person, RightItem
from sinergi.cases.selectors import duplicate_matches
from sinergi.core.crypto import name_birth_index

from .factories import PerpetratorInputFactory, PersonInputFactory, ReporterInputFactory, make_case

pytestmark = pytest.mark.django_db

FROZEN = "2026-03-02 01:00:00+00:00"  # 08:00 in Asia/Jakarta
HOUR = dt.timedelta(hours=1)


# ---- numbering -------------------------------------------------------------------------------


def test_case_numbers_are_sequential_per_tenant_and_report_year(cm, make_user, other_tenant):
    today = dt.date.today()
    numbers = [make_case(cm, cm.tenant).number for _ in range(3)]
    assert numbers == [f"PPA/6402/{today.year}/{n:05d}" for n in (1, 2, 3)]

    # Another regency counts on its own.
    other_cm = make_user(Role.CASE_MANAGER, tenant=other_tenant)
    assert make_case(other_cm, other_tenant).number == f"PPA/6401/{today.year}/00001"

    # A late report of last year's incident gets last year's sequence.
    last_year = today.replace(year=today.year - 1, day=1)
    assert make_case(cm, cm.tenant, reported_on=last_year).number == f"PPA/6402/{last_year.year}/00001"
    assert make_case(cm, cm.tenant).number == f"PPA/6402/{today.year}/00004"


def test_intake_assigns_the_case_manager_but_not_an_office_head(cm, make_user):
    head = make_user(Role.OFFICE_HEAD)
    assert make_case(cm, cm.tenant).assigned_to == cm
    assert make_case(head, head.tenant).assigned_to is None


def test_intake_refuses_users_without_permission_and_other_tenants(make_user, tenant, other_tenant):
    for role in (Role.ANALYST, Role.SERVICE_PROVIDER, Role.COMMUNICATIONS_OFFICER, Role.SYSTEM_ADMIN):
        with pytest.raises(PermissionDenied):
            make_case(make_user(role), tenant)
    outsider = make_user(Role.CASE_MANAGER, tenant=other_tenant)
    with pytest.raises(PermissionDenied):
        make_case(outsider, tenant)
    assert not Case.objects.exists()


def test_intake_validates_victim_nik_dates_and_region(cm, tenant, other_tenant):
    with pytest.raises(ValidationError):
        make_case(cm, tenant, people=[PerpetratorInputFactory()])
    with pytest.raises(ValidationError) as exc:
        make_case(cm, tenant, victim={"nik": "64020112"})
    assert "nik" in exc.value.message_dict
    with pytest.raises(ValidationError):
        make_case(cm, tenant, victim={"birth_date": dt.date.today() + dt.timedelta(days=2)})
    with pytest.raises(ValidationError):
        make_case(cm, tenant, reported_on=dt.date.today() + dt.timedelta(days=1))
    # A kecamatan of another regency, and a desa outside the chosen kecamatan.
    with pytest.raises(ValidationError):
        make_case(cm, tenant, district_code="64.01.01")
    with pytest.raises(ValidationError):
        make_case(cm, tenant, district_code="64.02.01", village_code="64.02.02.1001")
    assert not Case.objects.exists()


def test_intake_derives_age_band_child_flag_and_forms(cm, tenant):
    with freeze_time(FROZEN):
        case = make_case(
            cm,
            tenant,
            forms=["sexual", "physical", "not-a-form"],
            incident_on=dt.date(2026, 2, 20),
            victim={"birth_date": dt.date(2013, 2, 21), "age": None},
            district_code="64.02.01",
            village_code="64.02.01.1001",
        )
    victim = case.people.get(role=Person.Role.VICTIM)
    assert (victim.age, victim.age_band, victim.is_child) == (12, "6-12", True)
    assert case.forms == ["physical", "sexual"]
    assert (case.is_form_physical, case.is_form_sexual, case.is_form_psychological) == (True, True, False)
    assert case.has_child_victim
    assert (case.district_id, case.village_id) == ("64.02.01", "64.02.01.1001")
    # Every child victim gets the full rights checklist.
    assert RightItem.objects.filter(victim=victim).count() == len(t.Right.values)


# ---- first-response due time -------------------------------------------------------------------


@freeze_time(FROZEN)
def test_child_victim_is_due_within_24_hours_even_at_low_risk(cm, tenant):
    case = make_case(cm, tenant)
    assert case.risk_level == t.RiskLevel.LOW
    assert case.first_response_due_at - case.created_at == 24 * HOUR


@freeze_time(FROZEN)
def test_low_risk_adult_is_due_within_72_hours(cm, tenant):
    case = make_case(cm, tenant, category=t.Category.VIOLENCE_WOMAN, victim={"adult": True})
    assert not case.has_child_victim
    assert case.first_response_due_at - case.created_at == 72 * HOUR


@freeze_time(FROZEN)
def test_high_risk_adult_is_due_within_24_hours(cm, tenant):
    case = make_case(
        cm, tenant, victim={"adult": True}, triage={"perpetrator_at_home": True, "repeated_violence": True}
    )
    assert case.risk_level == t.RiskLevel.HIGH
    assert case.first_response_due_at - case.created_at == 24 * HOUR


@freeze_time(FROZEN)
def test_due_times_follow_the_tenant_settings(cm, tenant):
    tenant.first_response_hours = 6
    tenant.first_response_hours_low_risk = 48
    tenant.save()
    child = make_case(cm, tenant)
    adult = make_case(cm, tenant, victim={"adult": True})
    assert child.first_response_due_at - child.created_at == 6 * HOUR
    assert adult.first_response_due_at - adult.created_at == 48 * HOUR


def test_triage_after_intake_moves_the_due_time_both_ways(cm, tenant):
    with freeze_time(FROZEN):
        case = make_case(cm, tenant, victim={"adult": True})
    created = case.created_at
    with freeze_time("2026-03-02 05:00:00+00:00"):
        s.case_triage(actor=cm, case=case, answers={"immediate_danger": True})
    case.refresh_from_db()
    assert case.risk_level == t.RiskLevel.CRITICAL
    assert case.first_response_due_at == created + 2 * HOUR  # critical; counted from the report, not the triage
    s.case_triage(actor=cm, case=case, answers={})
    case.refresh_from_db()
    assert case.risk_level == t.RiskLevel.LOW
    assert case.first_response_due_at == created + 72 * HOUR


@pytest.mark.parametrize(
    ("answers", "risk"),
    [
        ({}, t.RiskLevel.LOW),
        ({"repeated_violence": True}, t.RiskLevel.MEDIUM),
        ({"perpetrator_at_home": True}, t.RiskLevel.MEDIUM),
        ({"perpetrator_at_home": True, "victim_disability": True}, t.RiskLevel.HIGH),
        ({"child_sexual_violence": True}, t.RiskLevel.HIGH),
        ({"trafficking": True}, t.RiskLevel.HIGH),
        ({"suicide_risk": True}, t.RiskLevel.HIGH),
        ({"immediate_danger": True}, t.RiskLevel.CRITICAL),
        ({"repeated_violence": False, "perpetrator_at_home": False}, t.RiskLevel.LOW),
    ],
)
def test_triage_risk_levels(cm, tenant, answers, risk):
    case = make_case(cm, tenant)
    s.case_triage(actor=cm, case=case, answers=answers)
    case.refresh_from_db()
    assert case.risk_level == risk
    assert set(case.triage) == {q[0] for q in t.TRIAGE_QUESTIONS}


def test_intake_drops_unknown_triage_keys(cm, tenant):
    case = make_case(cm, tenant, triage={"immediate_danger": True, "<script>": True})
    assert case.triage == {"immediate_danger": True}
    assert case.risk_level == t.RiskLevel.CRITICAL


def test_triage_takes_an_unassigned_case_for_the_case_manager(cm, make_user, tenant):
    head = make_user(Role.OFFICE_HEAD)
    case = make_case(head, tenant)
    s.case_triage(actor=cm, case=case, answers={})
    case.refresh_from_db()
    assert case.assigned_to == cm


# ---- duplicate detection ---------------------------------------------------------------------

KNOWN = {"full_name": "Siti Nur-Aini", "nik": "6402011203120001", "birth_date": dt.date(2012, 3, 12)}


def test_duplicate_found_by_nik_in_any_format(cm, tenant):
    case = make_case(cm, tenant, victim=KNOWN)
    for nik in ("6402011203120001", "6402 0112 0312 0001", "6402-0112-0312-0001"):
        assert duplicate_matches(user=cm, tenant=tenant, nik=nik) == (1, [case.number])
    assert duplicate_matches(user=cm, tenant=tenant, nik="6402011203120002") == (0, [])


@pytest.mark.parametrize(
    "name", ["Siti Nur-Aini", "SITI NUR-AINI", "  siti   nur-aini ", "Siti Nuraini", "siti nur.aini"]
)
def test_duplicate_found_by_normalised_name_and_birth_date(cm, tenant, name):
    case = make_case(cm, tenant, victim=KNOWN)
    assert duplicate_matches(user=cm, tenant=tenant, name=name, birth_date=dt.date(2012, 3, 12)) == (1, [case.number])


def test_duplicate_needs_both_name_and_birth_date(cm, tenant):
    make_case(cm, tenant, victim=KNOWN)
    assert duplicate_matches(user=cm, tenant=tenant, name="Siti Nur-Aini", birth_date=dt.date(2012, 3, 13))[0] == 0
    assert duplicate_matches(user=cm, tenant=tenant, name="Siti Aminah", birth_date=dt.date(2012, 3, 12))[0] == 0
    assert duplicate_matches(user=cm, tenant=tenant, name="Siti Nur-Aini")[0] == 0


def test_duplicate_warns_without_showing_a_case_the_user_cannot_see(cm, make_user, tenant):
    make_case(cm, tenant, victim=KNOWN)
    colleague = make_user(Role.CASE_MANAGER)  # the case is assigned to `cm`, not to the colleague
    # Not even a count: "1 other case" about a child in a colleague's case is a leak.
    assert duplicate_matches(user=colleague, tenant=tenant, nik=KNOWN["nik"]) == (0, [])


def test_duplicate_ignores_other_tenants_and_the_case_itself(cm, make_user, tenant, other_tenant):
    case = make_case(cm, tenant, victim=KNOWN)
    other_cm = make_user(Role.CASE_MANAGER, tenant=other_tenant)
    assert duplicate_matches(user=other_cm, tenant=other_tenant, nik=KNOWN["nik"]) == (0, [])
    assert duplicate_matches(user=cm, tenant=tenant, nik=KNOWN["nik"], exclude_case=case) == (0, [])
    second = make_case(cm, tenant, victim=KNOWN)
    count, numbers = duplicate_matches(user=cm, tenant=tenant, nik=KNOWN["nik"], exclude_case=second)
    assert (count, numbers) == (1, [case.number])


_words = st.lists(st.text(alphabet=string.ascii_letters, min_size=1, max_size=8), min_size=1, max_size=4)


@settings(max_examples=60, deadline=None)
@given(words=_words, seps=st.sampled_from([" ", "  ", " \t"]), punct=st.sampled_from(["", ".", "'", ","]))
def test_name_index_ignores_case_spacing_and_punctuation(words, seps, punct):
    birth = dt.date(2012, 3, 12)
    plain = name_birth_index(" ".join(words), birth)
    variant = "  " + seps.join(w.upper() + punct for w in words) + " "
    assert name_birth_index(variant, birth) == plain
    assert name_birth_index(" ".join(words), dt.date(2012, 3, 13)) != plain


# ---- encryption at rest ----------------------------------------------------------------------


def test_identity_and_chronology_are_not_stored_in_plaintext(cm, tenant):
    victim = PersonInputFactory(
        full_name="Rahmawati Kusumadewi",
        nik="6402015507130004",
        birth_date=dt.date(2013, 7, 15),
        address="Jalan Mawar Berduri 17",
        phone="081234567890",
        school_name="SD Negeri Mawar",
        guardian_name="Sutrisno Hadiwijoyo",
        guardian_phone="081298765432",
    )
    reporter = ReporterInputFactory(full_name="Yohana Pelapor", phone="085711112222")
    chronology = "Kronologi: pelaku mendatangi korban di rumah Jalan Mawar Berduri"
    case = make_case(
        cm, tenant, people=[victim, PerpetratorInputFactory(full_name="Bambang Pelaku")], chronology=chronology
    )
    s.person_add(actor=cm, case=case, data=reporter)
    s.case_add_note(actor=cm, case=case, text="Catatan tentang Rahmawati Kusumadewi")

    secrets_ = [
        "Rahmawati",
        "Kusumadewi",
        "6402015507130004",
        "2013-07-15",
        "Mawar Berduri",
        "081234567890",
        "SD Negeri Mawar",
        "Sutrisno",
        "081298765432",
        "Bambang",
        "Yohana",
        "085711112222",
        "Kronologi",
    ]
    with connection.cursor() as cursor:
        dumps = {}
        for table in ("cases_person", "cases_case", "cases_timelineentry", "cases_rightitem"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
            dumps[table] = repr(cursor.fetchall())
        cursor.execute("SELECT full_name, nik, birth_date, address FROM cases_person WHERE role = 'victim'")
        stored = cursor.fetchone()
        cursor.execute("SELECT chronology FROM cases_case")
        stored_chronology = cursor.fetchone()[0]
    for table, dump in dumps.items():
        leaked = [value for value in secrets_ if value in dump]
        assert not leaked, f"{table} holds plaintext {leaked}"
    assert all(value.startswith("fernet:") for value in stored)
    assert stored_chronology.startswith("fernet:")
    # The application still reads the plaintext back.
    assert Person.objects.get(role=Person.Role.VICTIM).full_name == "Rahmawati Kusumadewi"
    assert Case.objects.get().chronology == chronology
