"""Reads: filtered lists, 404 on invisible objects, need-to-know projections, inboxes and counters."""

import datetime as dt
import json
import uuid

import pytest
from django.http import Http404
from freezegun import freeze_time

from sinergi.accounts.roles import Role
from sinergi.cases import fieldsets
from sinergi.cases import services as s
from sinergi.cases import taxonomy as t
from sinergi.cases.selectors import (
    CaseFilters,
    case_counts_for_dashboard,
    case_get_for_user,
    case_list_for_user,
    case_projection,
    fields_for,
    mask,
    referral_get_for_user,
    referral_inbox_for_user,
    referrals_for_case,
)
from sinergi.tenants.models import Agency

from .factories import PerpetratorInputFactory, PersonInputFactory, make_agency, make_case, make_referral, victim_of

pytestmark = pytest.mark.django_db

VICTIM = {
    "full_name": "Intan Permatasari",
    "nik": "6402014102120003",
    "birth_date": dt.date(2012, 2, 1),
    "school_name": "SD Negeri Intan",
    "address": "Jalan Delima 4",
}
CHRONOLOGY = "Peristiwa terjadi di belakang rumah pada malam hari"


@pytest.fixture
def school_officer(make_user, disdik):
    return make_user(Role.SERVICE_PROVIDER, agency=disdik)


@pytest.fixture
def referred_case(cm, tenant, disdik):
    case = make_case(
        cm,
        tenant,
        victim=VICTIM,
        chronology=CHRONOLOGY,
        category=t.Category.SEXUAL,
        forms=["sexual"],
        people=[PersonInputFactory(**VICTIM), PerpetratorInputFactory(full_name="Joko Pelaku")],
    )
    make_referral(cm, case, disdik, t.ServiceType.SCHOOLING)
    return case


# ---- case list filters -----------------------------------------------------------------------


def numbers(qs) -> set[str]:
    return set(qs.values_list("number", flat=True))


def test_list_filters(cm, make_user, tenant, disdik, school_officer):
    head = make_user(Role.OFFICE_HEAD)
    with freeze_time("2026-01-10 02:00:00+00:00"):
        old = make_case(cm, tenant, category=t.Category.NEGLECT, district_code="64.02.02")
    with freeze_time("2026-03-01 02:00:00+00:00"):
        high = make_case(cm, tenant, triage={"child_sexual_violence": True})
        unassigned = make_case(head, tenant)
        referred = make_case(cm, tenant)
        make_referral(cm, referred, disdik, t.ServiceType.SCHOOLING)
        s.case_change_stage(actor=cm, case=referred, to_stage=t.Stage.OUTREACH)

    def listed(user=cm, **kw):
        return numbers(case_list_for_user(user=user, filters=CaseFilters(**kw)))

    everything = {old.number, high.number, unassigned.number, referred.number}
    assert listed() == everything
    assert listed(stage="outreach") == {referred.number}
    assert listed(risk="high") == {high.number}
    assert listed(category="neglect") == {old.number}
    assert listed(district="64.02.02") == {old.number}
    assert listed(mine=True) == everything - {unassigned.number}
    assert listed(reported_from=dt.date(2026, 2, 1)) == everything - {old.number}
    assert listed(reported_to=dt.date(2026, 1, 31)) == {old.number}
    assert listed(number=old.number[-5:]) == {old.number}
    assert listed(user=school_officer, referred_to_my_agency=True) == {referred.number}
    assert listed(user=school_officer) == {referred.number}
    with freeze_time("2026-03-03 02:00:00+00:00"):  # 48 h later: every unanswered child case is overdue
        assert listed(overdue=True) == everything - {referred.number}


def test_overdue_filter_includes_overdue_referrals(cm, tenant, disdik):
    with freeze_time("2026-03-01 02:00:00+00:00"):
        case = make_case(cm, tenant)
        s.case_record_first_response(actor=cm, case=case)
        make_referral(cm, case, disdik, t.ServiceType.SCHOOLING)
    with freeze_time("2026-03-05 02:00:00+00:00"):
        assert not case_list_for_user(user=cm, filters=CaseFilters(overdue=True)).exists()
    with freeze_time("2026-03-09 02:00:00+00:00"):
        assert numbers(case_list_for_user(user=cm, filters=CaseFilters(overdue=True))) == {case.number}


def test_identity_search_is_exact_and_for_the_case_team_only(cm, referred_case, school_officer, make_user):
    def search(user, **kw):
        return numbers(case_list_for_user(user=user, filters=CaseFilters(**kw)))

    assert search(cm, identity_nik="6402-0141-0212-0003") == {referred_case.number}
    assert search(cm, identity_name="intan  PERMATASARI", identity_birth_date=dt.date(2012, 2, 1)) == {
        referred_case.number
    }
    assert search(cm, identity_name="Intan", identity_birth_date=dt.date(2012, 2, 1)) == set()  # no partial match
    # An agency that sees the case still cannot find it by identity (no probing of who is a victim).
    assert search(school_officer) == {referred_case.number}
    assert search(school_officer, identity_nik=VICTIM["nik"]) == set()
    satgas = make_user(Role.SATGAS_VOLUNTEER)
    assert search(satgas, identity_nik=VICTIM["nik"]) == set()


def test_case_get_for_user_is_404_for_outsiders_and_bad_ids(cm, referred_case, make_user, other_tenant):
    assert case_get_for_user(user=cm, pk=referred_case.pk) == referred_case
    for outsider in (
        make_user(Role.CASE_MANAGER),
        make_user(Role.ANALYST),
        make_user(Role.SERVICE_PROVIDER),  # an agency without a referral
        make_user(Role.OFFICE_HEAD, tenant=other_tenant),
    ):
        with pytest.raises(Http404):
            case_get_for_user(user=outsider, pk=referred_case.pk)
    for bad in (uuid.uuid4(), "not-a-uuid", ""):
        with pytest.raises(Http404):
            case_get_for_user(user=cm, pk=bad)
        with pytest.raises(Http404):
            referral_get_for_user(user=cm, pk=bad)


# ---- need-to-know projection -----------------------------------------------------------------


def test_case_team_receives_every_field_masked_until_revealed(cm, referred_case):
    victim = victim_of(referred_case)
    projection = case_projection(user=cm, case=referred_case)
    assert set(projection["fields"]) == fieldsets.ALL_FIELDS
    assert projection["chronology"] == CHRONOLOGY
    assert projection["victims"][0]["full_name"] == "I••• P•••"
    assert projection["victims"][0]["nik"] == "64••••••••••••03"
    assert projection["perpetrators"][0]["full_name"] == "J••• P•••"
    revealed = case_projection(user=cm, case=referred_case, revealed={str(victim.pk): frozenset({"full_name"})})
    assert revealed["victims"][0]["full_name"] == VICTIM["full_name"]
    assert revealed["victims"][0]["nik"] == "64••••••••••••03"
    assert revealed["victims"][0]["revealed"] == ["full_name"]


def test_schooling_agency_receives_only_its_field_set(referred_case, school_officer):
    fields = fields_for(user=school_officer, case=referred_case)
    assert fields == fieldsets.SERVICE_FIELDSETS[t.ServiceType.SCHOOLING]
    projection = case_projection(
        user=school_officer,
        case=referred_case,
        # Even a forged "revealed" entry cannot unlock a field outside the set.
        revealed={str(victim_of(referred_case).pk): frozenset({"full_name", "nik", "address"})},
    )
    dumped = json.dumps(projection, ensure_ascii=False)
    for absent in (CHRONOLOGY, "chronology", "forms", "category", "Joko", "6402014102120003", "Jalan Delima"):
        assert absent not in dumped
    assert projection["perpetrators"] == []
    assert projection["reporters"] == []
    victim = projection["victims"][0]
    assert victim["full_name"] == VICTIM["full_name"]  # revealed and inside the set
    assert "nik" not in victim
    assert "address" not in victim
    assert victim["school_name"] == "S••• N••• I•••"
    assert "assigned_to" not in projection


def test_fields_grow_with_each_referred_service(cm, referred_case, disdik, school_officer):
    Agency.objects.filter(pk=disdik.pk).update(kind=Agency.Kind.OTHER)  # "other" may provide any service
    disdik.refresh_from_db()
    make_referral(cm, referred_case, disdik, t.ServiceType.PSYCHOLOGICAL)
    fields = fields_for(user=school_officer, case=referred_case)
    assert "case.chronology" in fields
    assert fields == fieldsets.fields_for_services([t.ServiceType.SCHOOLING, t.ServiceType.PSYCHOLOGICAL])


def test_satgas_reporter_sees_the_stage_only(make_user, tenant):
    satgas = make_user(Role.SATGAS_VOLUNTEER)
    case = make_case(satgas, tenant, victim=VICTIM, chronology=CHRONOLOGY)
    projection = case_projection(user=satgas, case=case)
    assert projection["fields"] == []
    assert projection["victims"] == projection["perpetrators"] == projection["reporters"] == []
    assert set(projection) == {"id", "number", "stage", "reported_on", "fields", "victims", "perpetrators", "reporters"}


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("", ""),
        ("Siti Aminah", "S••• A•••"),
        ("6402011203120001", "64••••••••••••01"),
        ("0812 3456 7890", "08••••••••••90"),
    ],
)
def test_mask(value, masked):
    assert mask(value) == masked


# ---- referrals -------------------------------------------------------------------------------


def test_agency_sees_only_its_own_referrals(cm, referred_case, school_officer, tenant):
    dinsos = make_agency(tenant, Agency.Kind.DINSOS, short_name="Dinsos")
    other = make_referral(cm, referred_case, dinsos, t.ServiceType.SOCIAL_REHAB)
    assert referrals_for_case(user=cm, case=referred_case).count() == 2
    mine = list(referrals_for_case(user=school_officer, case=referred_case))
    assert [r.service_type for r in mine] == [t.ServiceType.SCHOOLING]
    with pytest.raises(Http404):
        referral_get_for_user(user=school_officer, pk=other.pk)
    assert referral_get_for_user(user=cm, pk=other.pk) == other


def test_referral_inbox_lists_open_referrals_oldest_due_first(
    cm, tenant, disdik, school_officer, make_user, other_tenant
):
    first = make_case(cm, tenant)
    second = make_case(cm, tenant)
    late = make_referral(cm, first, disdik, t.ServiceType.SCHOOLING, due_on=dt.date.today() + dt.timedelta(days=9))
    soon = make_referral(cm, second, disdik, t.ServiceType.SCHOOLING, due_on=dt.date.today() + dt.timedelta(days=1))
    done = make_referral(cm, second, disdik, t.ServiceType.SCHOOLING)
    s.referral_respond(actor=school_officer, referral=done, accept=False, reason="x")
    assert list(referral_inbox_for_user(user=school_officer)) == [soon, late]
    # Only what the referral page would show: never a declined or cancelled referral.
    assert list(referral_inbox_for_user(user=school_officer, status="all")) == [soon, late]
    assert not referral_inbox_for_user(user=school_officer, status="declined").exists()
    assert not referral_inbox_for_user(user=school_officer, status="cancelled").exists()
    assert not referral_inbox_for_user(user=make_user(Role.ANALYST, agency=None)).exists()
    foreign = make_user(Role.SERVICE_PROVIDER, tenant=other_tenant)
    assert not referral_inbox_for_user(user=foreign).exists()
    with pytest.raises(Http404):
        referral_get_for_user(user=foreign, pk=soon.pk)


def test_dashboard_counts(cm, make_user, tenant, disdik, school_officer):
    head = make_user(Role.OFFICE_HEAD)
    with freeze_time("2026-03-01 02:00:00+00:00"):
        mine = make_case(cm, tenant)
        make_case(head, tenant)
        make_referral(cm, mine, disdik, t.ServiceType.SCHOOLING)
    with freeze_time("2026-03-03 02:00:00+00:00"):
        assert case_counts_for_dashboard(user=cm) == {
            "open": 2,
            "new": 2,
            "overdue_first_response": 2,
            "mine": 1,
        }
        assert case_counts_for_dashboard(user=school_officer)["open"] == 1
        assert referral_inbox_for_user(user=school_officer, status="pending").count() == 1
        assert referral_inbox_for_user(user=cm, status="pending").count() == 0
