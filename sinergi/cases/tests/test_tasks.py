"""The worker's periodic escalation of overdue first responses and overdue referrals (frozen clock)."""

import datetime as dt

import pytest
from django.core import mail
from freezegun import freeze_time

from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent
from sinergi.cases import services as s
from sinergi.cases import tasks
from sinergi.cases import taxonomy as t
from sinergi.cases.models import TimelineEntry
from sinergi.notifications.models import Notification
from sinergi.tenants.models import Agency

from .factories import make_agency, make_case, make_referral

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)  # 08:00 WIB
VICTIM_NAME = "Melati Anggraini"


@pytest.fixture
def bystanders(make_user, other_tenant):
    """People who must never be notified: another case manager, an analyst, another regency's head."""
    return [
        make_user(Role.CASE_MANAGER),
        make_user(Role.ANALYST),
        make_user(Role.OFFICE_HEAD, tenant=other_tenant),
    ]


def run_worker(capture) -> None:
    """Run the periodic task as the huey consumer would (huey is immediate in tests)."""
    with capture(execute=True):
        tasks.escalate_overdue()


def recipients(kind: str) -> set:
    return set(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def test_overdue_first_response_is_escalated_once(cm, head, bystanders, tenant, django_capture_on_commit_callbacks):
    with freeze_time(T0):
        case = make_case(cm, tenant, victim={"full_name": VICTIM_NAME})
    assert case.has_child_victim

    with freeze_time(T0 + dt.timedelta(hours=23, minutes=59)):
        run_worker(django_capture_on_commit_callbacks)
    assert not Notification.objects.exists()
    assert mail.outbox == []

    with freeze_time(T0 + dt.timedelta(hours=25)):
        run_worker(django_capture_on_commit_callbacks)
    assert recipients("first_response_overdue") == {head.pk, cm.pk}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([head.email, cm.email])
    assert all(case.number in m.subject for m in mail.outbox)
    assert not any(VICTIM_NAME in m.subject + m.body for m in mail.outbox)
    entry = case.timeline.get(kind=TimelineEntry.Kind.ESCALATED)
    assert entry.created_at == T0 + dt.timedelta(hours=25)
    case.refresh_from_db()
    assert case.first_response_escalated_at == T0 + dt.timedelta(hours=25)
    assert AuditEvent.objects.filter(action="case.escalated_first_response", object_id=str(case.pk)).count() == 1

    # The next runs (5 minutes later, a day later) do not repeat it.
    for later in (dt.timedelta(hours=25, minutes=5), dt.timedelta(days=2)):
        with freeze_time(T0 + later):
            run_worker(django_capture_on_commit_callbacks)
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 2
    assert case.timeline.filter(kind=TimelineEntry.Kind.ESCALATED).count() == 1


def test_unassigned_case_escalates_to_the_office_heads_only(
    cm, head, make_user, tenant, django_capture_on_commit_callbacks
):
    second_head = make_user(Role.OFFICE_HEAD)
    with freeze_time(T0):
        make_case(head, tenant)
    with freeze_time(T0 + dt.timedelta(hours=25)):
        run_worker(django_capture_on_commit_callbacks)
    assert recipients("first_response_overdue") == {head.pk, second_head.pk}


def test_low_risk_adult_escalates_only_after_72_hours(cm, head, tenant, django_capture_on_commit_callbacks):
    with freeze_time(T0):
        make_case(cm, tenant, category=t.Category.VIOLENCE_WOMAN, victim={"adult": True})
    with freeze_time(T0 + dt.timedelta(hours=25)):
        run_worker(django_capture_on_commit_callbacks)
    assert not Notification.objects.exists()
    with freeze_time(T0 + dt.timedelta(hours=73)):
        run_worker(django_capture_on_commit_callbacks)
    assert recipients("first_response_overdue") == {head.pk, cm.pk}


def test_answered_or_closed_cases_are_not_escalated(cm, head, tenant, django_capture_on_commit_callbacks):
    with freeze_time(T0):
        answered = make_case(cm, tenant)
        closed = make_case(cm, tenant, victim={"adult": True}, triage={"immediate_danger": True})
    with freeze_time(T0 + dt.timedelta(hours=2)):
        s.case_change_stage(actor=cm, case=answered, to_stage=t.Stage.OUTREACH)
        s.case_close(actor=cm, case=closed, reason=t.ClosureReason.NOT_A_CASE)
    with freeze_time(T0 + dt.timedelta(days=3)):
        run_worker(django_capture_on_commit_callbacks)
    assert not Notification.objects.exists()
    assert not TimelineEntry.objects.filter(kind=TimelineEntry.Kind.ESCALATED).exists()


def test_overdue_referral_escalates_to_supervisors_and_the_agency_once(
    cm, head, make_user, bystanders, tenant, django_capture_on_commit_callbacks
):
    dinsos = make_agency(tenant, Agency.Kind.DINSOS, short_name="Dinsos")
    disdik = make_agency(tenant, Agency.Kind.DISDIK, short_name="Disdik")
    dinsos_officers = [make_user(Role.SERVICE_PROVIDER, agency=dinsos) for _ in range(2)]
    inactive = make_user(Role.SERVICE_PROVIDER, agency=dinsos, is_active=False)
    disdik_officer = make_user(Role.SERVICE_PROVIDER, agency=disdik)
    with freeze_time(T0):
        case = make_case(cm, tenant, victim={"full_name": VICTIM_NAME})
        s.case_change_stage(actor=cm, case=case, to_stage=t.Stage.OUTREACH)  # first response given
        referral = make_referral(cm, case, dinsos, t.ServiceType.SOCIAL_REHAB)
        on_time = make_referral(cm, case, disdik, t.ServiceType.SCHOOLING, due_on=dt.date(2026, 3, 20))
    Notification.objects.all().delete()  # the "new referral" notices are not what this test is about
    mail.outbox.clear()
    assert referral.due_on == dt.date(2026, 3, 9)

    with freeze_time(dt.datetime(2026, 3, 9, 16, 0, tzinfo=dt.UTC)):  # 23:00 WIB on the due date
        run_worker(django_capture_on_commit_callbacks)
    assert not Notification.objects.exists()

    with freeze_time(dt.datetime(2026, 3, 9, 17, 30, tzinfo=dt.UTC)):  # 00:30 WIB the day after
        run_worker(django_capture_on_commit_callbacks)
    expected = {head.pk, cm.pk, *(u.pk for u in dinsos_officers)}
    assert recipients("referral_overdue") == expected
    assert inactive.pk not in recipients("referral_overdue")
    assert disdik_officer.pk not in recipients("referral_overdue")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([head.email, cm.email, *(u.email for u in dinsos_officers)])
    assert not any(VICTIM_NAME in m.subject + m.body for m in mail.outbox)
    entry = case.timeline.get(kind=TimelineEntry.Kind.ESCALATED)
    assert entry.referral == referral
    referral.refresh_from_db()
    on_time.refresh_from_db()
    assert referral.escalated_at is not None
    assert on_time.escalated_at is None

    with freeze_time(dt.datetime(2026, 3, 12, 1, 0, tzinfo=dt.UTC)):
        run_worker(django_capture_on_commit_callbacks)
    assert Notification.objects.count() == len(expected)
    assert AuditEvent.objects.filter(action="referral.escalated").count() == 1


def test_completed_or_declined_referrals_are_not_escalated(
    cm, head, make_user, tenant, django_capture_on_commit_callbacks
):
    dinsos = make_agency(tenant, Agency.Kind.DINSOS, short_name="Dinsos")
    officer = make_user(Role.SERVICE_PROVIDER, agency=dinsos)
    with freeze_time(T0):
        case = make_case(cm, tenant)
        s.case_change_stage(actor=cm, case=case, to_stage=t.Stage.OUTREACH)
        declined = make_referral(cm, case, dinsos, t.ServiceType.SOCIAL_ASSISTANCE)
        done = make_referral(cm, case, dinsos, t.ServiceType.SOCIAL_REHAB)
        s.referral_respond(actor=officer, referral=declined, accept=False, reason="Bukan kewenangan")
        s.referral_respond(actor=officer, referral=done, accept=True)
        s.service_record(actor=officer, referral=done, delivered_on=T0.date(), sessions=1, outcome="completed")
    Notification.objects.all().delete()
    with freeze_time(T0 + dt.timedelta(days=30)):
        run_worker(django_capture_on_commit_callbacks)
    assert not Notification.objects.filter(kind="referral_overdue").exists()


def test_accepted_referral_still_escalates_when_overdue(
    cm, head, make_user, tenant, django_capture_on_commit_callbacks
):
    dinsos = make_agency(tenant, Agency.Kind.DINSOS, short_name="Dinsos")
    officer = make_user(Role.SERVICE_PROVIDER, agency=dinsos)
    with freeze_time(T0):
        case = make_case(cm, tenant)
        s.case_change_stage(actor=cm, case=case, to_stage=t.Stage.OUTREACH)
        referral = make_referral(cm, case, dinsos)
        s.referral_respond(actor=officer, referral=referral, accept=True)
    with freeze_time(T0 + dt.timedelta(days=8)):
        counts = s.escalate_overdue()
    assert counts == {"first_response": 0, "referral": 1}
    assert recipients("referral_overdue") == {head.pk, cm.pk, officer.pk}
