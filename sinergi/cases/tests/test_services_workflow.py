"""Stages, rights derivation, closure, reopening, referrals (mediation) and diversion."""

import datetime as dt
from collections import deque

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent
from sinergi.cases import services as s
from sinergi.cases import taxonomy as t
from sinergi.cases.models import Case, Diversion, Person, Referral, RightItem, TimelineEntry
from sinergi.tenants.models import Agency

from .factories import PersonInputFactory, complete_referral, make_agency, make_case, make_referral, victim_of

pytestmark = pytest.mark.django_db

OPEN_STAGES = [st for st in t.STAGE_ORDER if st != t.Stage.CLOSED]


def rights(case: Case, victim: Person | None = None) -> dict[str, str]:
    victim = victim or victim_of(case)
    return dict(RightItem.objects.filter(case=case, victim=victim).values_list("right", "status"))


def path_to(stage: str) -> list[str]:
    """Shortest sequence of allowed transitions from `received` to `stage`."""
    queue = deque([("received", [])])
    seen = {"received"}
    while queue:
        current, path = queue.popleft()
        if current == stage:
            return path
        for nxt in t.STAGE_TRANSITIONS[current]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append((nxt, [*path, nxt]))
    raise AssertionError(f"{stage} unreachable")


def resolve_all_rights(actor, case):
    for item in RightItem.objects.filter(case=case, status__in=t.UNRESOLVED_RIGHT_STATUSES):
        s.right_set(actor=actor, item=item, status=t.RightStatus.FULFILLED, reason="Sudah dipenuhi")


# ---- stage transitions -----------------------------------------------------------------------


@pytest.mark.parametrize("from_stage", OPEN_STAGES)
@pytest.mark.parametrize("to_stage", t.STAGE_ORDER)
def test_stage_transition_matrix(cm, tenant, from_stage, to_stage):
    case = make_case(cm, tenant)
    for step in path_to(from_stage):
        s.case_change_stage(actor=cm, case=case, to_stage=step)
    assert case.stage == from_stage
    if to_stage in t.STAGE_TRANSITIONS[from_stage]:
        s.case_change_stage(actor=cm, case=case, to_stage=to_stage)
        case.refresh_from_db()
        assert case.stage == to_stage
        event = AuditEvent.objects.filter(action="case.stage_changed", object_id=str(case.pk)).first()
        assert event.extra == {"from": from_stage, "to": to_stage}
    else:
        with pytest.raises(ValidationError):
            s.case_change_stage(actor=cm, case=case, to_stage=to_stage)
        case.refresh_from_db()
        assert case.stage == from_stage


def test_stage_change_is_the_first_response_and_fulfils_fast_response(cm, tenant):
    case = make_case(cm, tenant)
    assert case.first_responded_at is None
    assert rights(case)[t.Right.FAST_RESPONSE] == t.RightStatus.PLANNED
    s.case_change_stage(actor=cm, case=case, to_stage=t.Stage.OUTREACH, note="Kunjungan rumah")
    case.refresh_from_db()
    assert case.first_responded_at is not None
    assert rights(case)[t.Right.FAST_RESPONSE] == t.RightStatus.FULFILLED
    assert case.timeline.filter(kind=TimelineEntry.Kind.STAGE).count() == 1


def test_stage_change_refused_for_a_case_manager_not_on_the_case(cm, make_user, tenant):
    case = make_case(cm, tenant)
    colleague = make_user(Role.CASE_MANAGER)
    with pytest.raises(PermissionDenied):
        s.case_change_stage(actor=colleague, case=case, to_stage=t.Stage.OUTREACH)


def test_closed_case_cannot_change_stage(cm, tenant):
    case = make_case(cm, tenant)
    resolve_all_rights(cm, case)
    s.case_close(actor=cm, case=case, reason=t.ClosureReason.RESOLVED)
    with pytest.raises(PermissionDenied):
        s.case_change_stage(actor=cm, case=case, to_stage=t.Stage.SERVICES)


# ---- rights derivation -----------------------------------------------------------------------


def test_right_follows_the_referral_from_planned_to_fulfilled(cm, tenant, dinsos, dinsos_officer):
    case = make_case(cm, tenant)
    assert rights(case)[t.Right.SOCIAL_REHAB] == t.RightStatus.NOT_NEEDED
    referral = make_referral(cm, case, dinsos, t.ServiceType.SOCIAL_REHAB)
    assert rights(case)[t.Right.SOCIAL_REHAB] == t.RightStatus.PLANNED
    s.referral_respond(actor=dinsos_officer, referral=referral, accept=True)
    assert rights(case)[t.Right.SOCIAL_REHAB] == t.RightStatus.IN_PROGRESS
    s.service_record(
        actor=dinsos_officer, referral=referral, delivered_on=timezone.localdate(), sessions=1, outcome="ongoing"
    )
    assert rights(case)[t.Right.SOCIAL_REHAB] == t.RightStatus.IN_PROGRESS
    s.service_record(
        actor=dinsos_officer, referral=referral, delivered_on=timezone.localdate(), sessions=2, outcome="completed"
    )
    referral.refresh_from_db()
    assert referral.status == t.ReferralStatus.COMPLETED
    assert rights(case)[t.Right.SOCIAL_REHAB] == t.RightStatus.FULFILLED
    # Unrelated rights are untouched.
    assert rights(case)[t.Right.EDUCATION] == t.RightStatus.NOT_NEEDED


def test_declined_or_cancelled_referral_does_not_count(cm, tenant, disdik, disdik_officer):
    case = make_case(cm, tenant)
    referral = make_referral(cm, case, disdik, t.ServiceType.SCHOOLING)
    assert rights(case)[t.Right.EDUCATION] == t.RightStatus.PLANNED
    with pytest.raises(ValidationError):
        s.referral_respond(actor=disdik_officer, referral=referral, accept=False, reason="  ")
    s.referral_respond(actor=disdik_officer, referral=referral, accept=False, reason="Kuota penuh")
    assert rights(case)[t.Right.EDUCATION] == t.RightStatus.NOT_NEEDED

    second = make_referral(cm, case, disdik, t.ServiceType.SCHOOLING)
    assert rights(case)[t.Right.EDUCATION] == t.RightStatus.PLANNED
    s.referral_cancel(actor=cm, referral=second, reason="Keluarga pindah")
    assert rights(case)[t.Right.EDUCATION] == t.RightStatus.NOT_NEEDED


def test_completed_referral_wins_over_an_open_one_for_the_same_right(cm, tenant, dinsos, dinsos_officer, make_user):
    case = make_case(cm, tenant)
    psych = make_agency(tenant, Agency.Kind.NGO, short_name="LSM")
    make_referral(cm, case, psych, t.ServiceType.SHELTER)
    done = make_referral(cm, case, dinsos, t.ServiceType.SHELTER)
    complete_referral(dinsos_officer, done)
    assert rights(case)[t.Right.PROTECTION] == t.RightStatus.FULFILLED


def test_referral_for_one_victim_moves_only_that_victims_right(cm, tenant, dinsos):
    case = make_case(cm, tenant, people=[PersonInputFactory(full_name="Ani"), PersonInputFactory(full_name="Budi")])
    victims = list(case.people.filter(role=Person.Role.VICTIM))
    ani = next(v for v in victims if v.full_name == "Ani")
    budi = next(v for v in victims if v.full_name == "Budi")
    make_referral(cm, case, dinsos, t.ServiceType.SOCIAL_REHAB, victim=ani)
    assert rights(case, ani)[t.Right.SOCIAL_REHAB] == t.RightStatus.PLANNED
    assert rights(case, budi)[t.Right.SOCIAL_REHAB] == t.RightStatus.NOT_NEEDED
    # Without a victim, the referral serves every victim of the case.
    make_referral(cm, case, dinsos, t.ServiceType.SOCIAL_ASSISTANCE)
    assert rights(case, budi)[t.Right.SOCIAL_ASSISTANCE] == t.RightStatus.PLANNED


def test_sexual_violence_and_trafficking_cases_start_with_more_needed_rights(cm, tenant):
    sexual = rights(make_case(cm, tenant, category=t.Category.SEXUAL, forms=["sexual"]))
    assert sexual[t.Right.RESTITUTION] == t.RightStatus.PLANNED
    assert sexual[t.Right.PSYCHOLOGICAL_REHAB] == t.RightStatus.PLANNED
    assert sexual[t.Right.REINTEGRATION] == t.RightStatus.NOT_NEEDED
    tppo = rights(make_case(cm, tenant, category=t.Category.TPPO, forms=["trafficking"]))
    assert tppo[t.Right.REINTEGRATION] == t.RightStatus.PLANNED
    adult = make_case(cm, tenant, victim={"adult": True})
    assert not RightItem.objects.filter(case=adult).exists()


def test_manual_right_sticks_until_reset_to_auto(cm, tenant, disdik, disdik_officer):
    case = make_case(cm, tenant)
    item = RightItem.objects.get(case=case, right=t.Right.EDUCATION)
    with pytest.raises(ValidationError):
        s.right_set(actor=cm, item=item, status=t.RightStatus.FULFILLED, reason="")
    s.right_set(actor=cm, item=item, status=t.RightStatus.FULFILLED, reason="Anak sudah sekolah di tempat lain")
    item.refresh_from_db()
    assert (item.status, item.is_manual, item.updated_by) == (t.RightStatus.FULFILLED, True, cm)

    referral = make_referral(cm, case, disdik, t.ServiceType.SCHOOLING)
    s.referral_respond(actor=disdik_officer, referral=referral, accept=True)
    assert rights(case)[t.Right.EDUCATION] == t.RightStatus.FULFILLED  # the manual value sticks

    s.right_set(actor=cm, item=item, status="auto", reason="Ikuti rujukan")
    item.refresh_from_db()
    assert (item.status, item.is_manual) == (t.RightStatus.IN_PROGRESS, False)
    with pytest.raises(ValidationError):
        s.right_set(actor=cm, item=item, status="bogus", reason="x")


def test_right_set_refused_for_an_agency_officer(cm, tenant, dinsos, dinsos_officer):
    case = make_case(cm, tenant)
    make_referral(cm, case, dinsos)
    item = RightItem.objects.get(case=case, right=t.Right.SOCIAL_REHAB)
    with pytest.raises(PermissionDenied):
        s.right_set(actor=dinsos_officer, item=item, status=t.RightStatus.FULFILLED, reason="x")


# ---- closure ---------------------------------------------------------------------------------


def test_acceptance_flow_satgas_report_to_closure(
    make_user, tenant, cm, dinsos, disdik, dinsos_officer, disdik_officer
):
    """The issue's journey: Satgas reports, the case manager refers to Dinsos and Disdik, both deliver,
    the rights are fulfilled, and the case manager closes the case without an override."""
    satgas = make_user(Role.SATGAS_VOLUNTEER)
    case = make_case(satgas, tenant, channel=t.Channel.SATGAS)
    s.case_triage(actor=cm, case=case, answers={"repeated_violence": True})  # takes the unassigned case
    s.case_change_stage(actor=cm, case=case, to_stage=t.Stage.ASSESSMENT)
    rehab = make_referral(cm, case, dinsos, t.ServiceType.SOCIAL_REHAB)
    school = make_referral(cm, case, disdik, t.ServiceType.SCHOOLING)
    with pytest.raises(ValidationError):
        s.case_close(actor=cm, case=case, reason=t.ClosureReason.RESOLVED)
    complete_referral(dinsos_officer, rehab, sessions=4)
    complete_referral(disdik_officer, school)
    assert {k: v for k, v in rights(case).items() if v != t.RightStatus.NOT_NEEDED} == {
        t.Right.FAST_RESPONSE: t.RightStatus.FULFILLED,
        t.Right.SOCIAL_REHAB: t.RightStatus.FULFILLED,
        t.Right.EDUCATION: t.RightStatus.FULFILLED,
    }
    s.case_close(actor=cm, case=case, reason=t.ClosureReason.RESOLVED)
    case.refresh_from_db()
    assert (case.stage, case.assigned_to, case.closure_override_reason) == (t.Stage.CLOSED, cm, "")
    kinds = list(case.timeline.order_by("created_at").values_list("kind", flat=True))
    assert (kinds[0], kinds[-1]) == (TimelineEntry.Kind.CREATED, TimelineEntry.Kind.CLOSED)


def test_case_manager_cannot_close_with_unresolved_rights_even_with_a_reason(cm, tenant):
    case = make_case(cm, tenant)
    for override in ("", "Keluarga pindah ke luar daerah"):
        with pytest.raises(ValidationError) as exc:
            s.case_close(actor=cm, case=case, reason=t.ClosureReason.RESOLVED, override_reason=override)
        assert "override_reason" in exc.value.message_dict
    case.refresh_from_db()
    assert case.stage == t.Stage.RECEIVED
    assert not AuditEvent.objects.filter(action="case.closed").exists()


def test_office_head_needs_a_reason_to_close_with_unresolved_rights(cm, head, tenant):
    case = make_case(cm, tenant)
    with pytest.raises(ValidationError):
        s.case_close(actor=head, case=case, reason=t.ClosureReason.VICTIM_WITHDREW, override_reason="   ")
    s.case_close(
        actor=head, case=case, reason=t.ClosureReason.VICTIM_WITHDREW, override_reason="Keluarga menolak layanan"
    )
    case.refresh_from_db()
    assert case.stage == t.Stage.CLOSED
    assert case.closed_at is not None
    assert (case.closure_override_reason, case.closure_override_by) == ("Keluarga menolak layanan", head)
    event = AuditEvent.objects.get(action="case.closed", object_id=str(case.pk))
    assert event.extra == {"reason": "victim_withdrew", "override": True}
    assert "closure_override_reason" in event.fields
    assert event.actor == head


def test_case_manager_closes_once_every_right_is_resolved(cm, tenant, dinsos, dinsos_officer):
    case = make_case(cm, tenant)
    s.case_record_first_response(actor=cm, case=case)
    complete_referral(dinsos_officer, make_referral(cm, case, dinsos))
    s.case_close(actor=cm, case=case, reason=t.ClosureReason.RESOLVED, note="Selesai")
    case.refresh_from_db()
    assert case.stage == t.Stage.CLOSED
    assert case.closure_override_reason == ""
    assert AuditEvent.objects.get(action="case.closed").extra == {"reason": "resolved", "override": False}
    assert case.timeline.filter(kind=TimelineEntry.Kind.CLOSED).exists()


def test_close_requires_a_known_reason_and_an_open_case(cm, tenant):
    case = make_case(cm, tenant, victim={"adult": True})  # adults have no rights checklist
    with pytest.raises(ValidationError):
        s.case_close(actor=cm, case=case, reason="because")
    s.case_close(actor=cm, case=case, reason=t.ClosureReason.DUPLICATE)
    with pytest.raises(PermissionDenied):
        s.case_close(actor=cm, case=case, reason=t.ClosureReason.DUPLICATE)
    with pytest.raises(PermissionDenied):
        s.case_add_note(actor=cm, case=case, text="Catatan")


def test_open_referral_keeps_its_right_unresolved_at_closure(cm, head, tenant, dinsos):
    case = make_case(cm, tenant)
    s.case_record_first_response(actor=cm, case=case)
    make_referral(cm, case, dinsos)
    with pytest.raises(ValidationError):
        s.case_close(actor=cm, case=case, reason=t.ClosureReason.RESOLVED)


# ---- reopen ----------------------------------------------------------------------------------


def test_reopen_goes_back_to_assessment(cm, tenant):
    case = make_case(cm, tenant, victim={"adult": True})
    with pytest.raises(PermissionDenied):
        s.case_reopen(actor=cm, case=case, reason="Belum ditutup")
    s.case_close(actor=cm, case=case, reason=t.ClosureReason.RESOLVED)
    with pytest.raises(ValidationError):
        s.case_reopen(actor=cm, case=case, reason=" ")
    s.case_reopen(actor=cm, case=case, reason="Kekerasan berulang")
    case.refresh_from_db()
    assert (case.stage, case.reopened_count, case.closed_at, case.closure_reason) == (t.REOPEN_STAGE, 1, None, "")
    assert case.timeline.filter(kind=TimelineEntry.Kind.REOPENED).exists()
    assert AuditEvent.objects.filter(action="case.reopened", object_id=str(case.pk)).exists()
    # The reopened case follows the normal flow again, and can be closed again.
    s.case_change_stage(actor=cm, case=case, to_stage=t.Stage.PLANNING)
    s.case_close(actor=cm, case=case, reason=t.ClosureReason.RESOLVED)
    s.case_reopen(actor=cm, case=case, reason="Lagi")
    case.refresh_from_db()
    assert case.reopened_count == 2


def test_reopen_refused_for_outsiders(cm, make_user, tenant, other_tenant):
    case = make_case(cm, tenant, victim={"adult": True})
    s.case_close(actor=cm, case=case, reason=t.ClosureReason.RESOLVED)
    for outsider in (
        make_user(Role.CASE_MANAGER),  # not assigned
        make_user(Role.ANALYST),
        make_user(Role.OFFICE_HEAD, tenant=other_tenant),
    ):
        with pytest.raises(PermissionDenied):
            s.case_reopen(actor=outsider, case=case, reason="x")


# ---- referrals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "forms"),
    [
        (t.Category.SEXUAL, ["sexual"]),
        (t.Category.SEXUAL, ["physical"]),
        (t.Category.VIOLENCE_CHILD, ["physical", "sexual"]),
        (t.Category.DOMESTIC, ["sexual"]),
    ],
)
def test_mediation_refused_for_sexual_violence(cm, tenant, dinsos, category, forms):
    case = make_case(cm, tenant, category=category, forms=forms)
    with pytest.raises(ValidationError) as exc:
        make_referral(cm, case, dinsos, t.ServiceType.MEDIATION)
    assert "service_type" in exc.value.message_dict
    assert not Referral.objects.exists()


def test_mediation_refused_after_the_incident_is_corrected_to_sexual(cm, tenant, dinsos):
    case = make_case(cm, tenant, category=t.Category.DOMESTIC, forms=["psychological"], victim={"adult": True})
    s.case_update_incident(
        actor=cm,
        case=case,
        category=t.Category.DOMESTIC,
        forms=["psychological", "sexual"],
        chronology=case.chronology,
        incident_on=case.incident_on,
        incident_place=case.incident_place,
        district_code=case.district_id or "",
        village_code="",
        is_lpsk_protected=False,
    )
    with pytest.raises(ValidationError):
        make_referral(cm, case, dinsos, t.ServiceType.MEDIATION)


def test_mediation_allowed_without_sexual_violence(cm, tenant, dinsos):
    case = make_case(cm, tenant, category=t.Category.DOMESTIC, forms=["psychological"], victim={"adult": True})
    uptd = make_agency(tenant, Agency.Kind.UPTD_PPA, short_name="UPTD")
    referral = make_referral(cm, case, uptd, t.ServiceType.MEDIATION)
    assert referral.status == t.ReferralStatus.PENDING


def test_referral_validation(cm, tenant, other_tenant, dinsos):
    case = make_case(cm, tenant)
    other_case = make_case(cm, tenant)
    foreign = make_agency(other_tenant, short_name="Dinsos Paser")
    with pytest.raises(ValidationError):
        make_referral(cm, case, foreign)
    with pytest.raises(ValidationError):
        make_referral(cm, case, dinsos, "haircut")
    with pytest.raises(ValidationError):
        make_referral(cm, case, dinsos, victim=victim_of(other_case))
    with pytest.raises(ValidationError):
        make_referral(cm, case, dinsos, due_on=timezone.localdate() - dt.timedelta(days=1))
    referral = make_referral(cm, case, dinsos)
    assert referral.due_on == timezone.localdate() + dt.timedelta(days=tenant.referral_due_days)


def test_only_the_referred_agency_responds_and_only_once(cm, tenant, dinsos, dinsos_officer, disdik_officer):
    case = make_case(cm, tenant)
    referral = make_referral(cm, case, dinsos)
    for actor in (disdik_officer, cm):
        with pytest.raises(PermissionDenied):
            s.referral_respond(actor=actor, referral=referral, accept=True)
    with pytest.raises(PermissionDenied):
        s.service_record(
            actor=dinsos_officer, referral=referral, delivered_on=timezone.localdate(), sessions=1, outcome="ongoing"
        )
    s.referral_respond(actor=dinsos_officer, referral=referral, accept=True)
    with pytest.raises(PermissionDenied):
        s.referral_respond(actor=dinsos_officer, referral=referral, accept=False, reason="x")


def test_service_record_validation(cm, tenant, dinsos, dinsos_officer):
    case = make_case(cm, tenant)
    referral = make_referral(cm, case, dinsos)
    s.referral_respond(actor=dinsos_officer, referral=referral, accept=True)
    today = timezone.localdate()
    for kwargs in (
        {"delivered_on": today + dt.timedelta(days=1), "sessions": 1, "outcome": "ongoing"},
        {"delivered_on": today, "sessions": 0, "outcome": "ongoing"},
        {"delivered_on": today, "sessions": 1, "outcome": "magic"},
    ):
        with pytest.raises(ValidationError):
            s.service_record(actor=dinsos_officer, referral=referral, **kwargs)


# ---- diversion (ABH) -------------------------------------------------------------------------


def test_diversion_recorded_per_level_for_abh_cases(cm, tenant):
    case = make_case(cm, tenant, category=t.Category.ABH, forms=["other"])
    s.diversion_record(actor=cm, case=case, level="investigation", outcome="pending")
    s.diversion_record(
        actor=cm,
        case=case,
        level="investigation",
        outcome="agreed",
        decided_on=timezone.localdate(),
        is_bapas_involved=True,
    )
    s.diversion_record(actor=cm, case=case, level="prosecution", outcome="not_eligible")
    assert dict(Diversion.objects.filter(case=case).values_list("level", "outcome")) == {
        "investigation": "agreed",
        "prosecution": "not_eligible",
    }
    assert AuditEvent.objects.filter(action="case.diversion_recorded").count() == 3


@pytest.mark.parametrize("category", [c for c in t.Category.values if c != t.Category.ABH])
def test_diversion_refused_outside_abh_cases(cm, tenant, category):
    case = make_case(cm, tenant, category=category)
    with pytest.raises(ValidationError):
        s.diversion_record(actor=cm, case=case, level="investigation", outcome="pending")
    assert not Diversion.objects.exists()


def test_diversion_rejects_unknown_level(cm, tenant):
    case = make_case(cm, tenant, category=t.Category.ABH)
    with pytest.raises(ValidationError):
        s.diversion_record(actor=cm, case=case, level="parliament", outcome="pending")


# ---- assignment ------------------------------------------------------------------------------


def test_office_head_reassigns_to_a_case_manager_of_the_tenant(cm, head, make_user, tenant, other_tenant):
    case = make_case(cm, tenant)
    colleague = make_user(Role.CASE_MANAGER)
    with pytest.raises(PermissionDenied):
        s.case_assign(actor=cm, case=case, assignee=colleague)
    for wrong in (make_user(Role.ANALYST), make_user(Role.CASE_MANAGER, tenant=other_tenant)):
        with pytest.raises(ValidationError):
            s.case_assign(actor=head, case=case, assignee=wrong)
    s.case_assign(actor=head, case=case, assignee=colleague)
    case.refresh_from_db()
    assert case.assigned_to == colleague
    assert colleague.notifications.filter(kind="case_assigned").exists()
    # The previous case manager lost the case.
    with pytest.raises(PermissionDenied):
        s.case_add_note(actor=cm, case=case, text="x")
