"""The dashboard's per-tenant case counters: kept by the services, equal to a count of the cases, and
answering only from what each person may open."""

import threading
from unittest import mock

import pytest
from django.db import IntegrityError, connection, connections
from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from sinergi.accounts.roles import Role
from sinergi.cases import case_counts
from sinergi.cases import services as s
from sinergi.cases import taxonomy as t
from sinergi.cases.models import Case, CaseStageCount
from sinergi.cases.selectors import (
    CaseFilters,
    case_counts_for_dashboard,
    case_list_count,
    case_list_for_user,
    case_queryset_for_user,
)

from .factories import make_case, make_referral

pytestmark = pytest.mark.django_db


def _stored() -> dict:
    return {(c.tenant_id, c.assigned_to_id, c.stage): c.n for c in CaseStageCount.objects.filter(n__gt=0)}


def _recounted() -> dict:
    rows = Case.objects.order_by().values("tenant_id", "assigned_to_id", "stage").annotate(n=Count("pk"))
    return {(r["tenant_id"], r["assigned_to_id"], r["stage"]): r["n"] for r in rows}


def _direct_counts(user) -> dict:
    """What the dashboard must say, counted from the cases the user may open (no counters)."""
    qs = case_queryset_for_user(user=user)
    return {
        "open": qs.exclude(stage=t.Stage.CLOSED).count(),
        "new": qs.filter(stage=t.Stage.RECEIVED).count(),
        "mine": qs.filter(assigned_to_id=user.pk).exclude(stage=t.Stage.CLOSED).count(),
    }


def test_counters_follow_create_stage_assign_close_reopen(cm, make_user, tenant, other_tenant):
    head = make_user(Role.OFFICE_HEAD)
    other_cm = make_user(Role.CASE_MANAGER)
    foreign_head = make_user(Role.OFFICE_HEAD, tenant=other_tenant)
    mine = make_case(cm, tenant)  # assigned to cm at intake
    unassigned = make_case(head, tenant)
    make_case(foreign_head, other_tenant)
    assert _stored() == _recounted()
    assert _stored()[(tenant.pk, None, t.Stage.RECEIVED)] == 1

    s.case_change_stage(actor=cm, case=mine, to_stage=t.Stage.ASSESSMENT)
    s.case_triage(actor=cm, case=unassigned, answers={})  # a case manager's triage takes the case
    assert Case.objects.get(pk=unassigned.pk).assigned_to_id == cm.pk
    assert _stored() == _recounted()
    s.case_assign(actor=head, case=unassigned, assignee=other_cm)
    assert _stored() == _recounted()
    s.case_close(actor=head, case=Case.objects.get(pk=mine.pk), reason=t.ClosureReason.NOT_A_CASE)
    assert _stored() == _recounted()
    assert _stored()[(tenant.pk, cm.pk, t.Stage.CLOSED)] == 1
    s.case_reopen(actor=head, case=Case.objects.get(pk=mine.pk), reason="Laporan baru dari sekolah")
    assert _stored() == _recounted()
    # A stale instance (assignee changed meanwhile) does not skew the counters: the stored key is re-read.
    stale = Case.objects.get(pk=unassigned.pk)
    s.case_assign(actor=head, case=Case.objects.get(pk=unassigned.pk), assignee=cm)
    s.case_assign(actor=head, case=stale, assignee=other_cm)
    assert _stored() == _recounted()


def test_rebuild_repairs_and_matches(cm, tenant):
    make_case(cm, tenant)
    make_case(cm, tenant)
    CaseStageCount.objects.update(n=99)
    case_counts.rebuild(tenant_id=tenant.pk)
    assert _stored() == _recounted()


def test_dashboard_counts_equal_the_visible_cases_per_person(cm, make_user, tenant, disdik):
    """Need-to-know: a count is information too. Each persona's counters equal a count over exactly the
    cases it may open (including a case manager whose agency receives a referral of a colleague's case)."""
    head = make_user(Role.OFFICE_HEAD)
    colleague = make_user(Role.CASE_MANAGER)
    uptd_cm = make_user(Role.CASE_MANAGER, agency=disdik)
    officer = make_user(Role.SERVICE_PROVIDER, agency=disdik)
    satgas = make_user(Role.SATGAS_VOLUNTEER)
    own = make_case(cm, tenant)
    colleagues = make_case(colleague, tenant)
    make_case(colleague, tenant)
    make_case(head, tenant)  # unassigned
    make_case(satgas, tenant, channel=t.Channel.SATGAS)
    make_referral(colleague, colleagues, disdik, t.ServiceType.SCHOOLING)
    s.case_close(actor=head, case=own, reason=t.ClosureReason.NOT_A_CASE, override_reason="Bukan kasus")
    for user in (head, cm, colleague, uptd_cm, officer, satgas):
        counts = case_counts_for_dashboard(user=user)
        assert {k: counts[k] for k in ("open", "new", "mine")} == _direct_counts(user), user.role
    # The referred case reaches the UPTD case manager through the referral only, not through the counters.
    assert case_counts_for_dashboard(user=uptd_cm)["open"] == 3  # the unassigned two + the referred one
    assert case_counts_for_dashboard(user=cm)["open"] == 2  # not the colleague's cases
    assert case_counts_for_dashboard(user=officer)["open"] == 1


def test_a_concurrently_created_row_is_incremented_not_duplicated(cm, tenant):
    """Two transactions creating the same counter row: the loser's insert fails and it increments."""
    key = (cm.pk, t.Stage.PLANNING)
    real_update = QuerySet.update
    raced = []

    def racing_update(self, **kwargs):
        if not raced:  # the other transaction commits its new row between our UPDATE and our INSERT
            raced.append(True)
            CaseStageCount.objects.create(tenant_id=tenant.pk, assigned_to_id=cm.pk, stage=t.Stage.PLANNING, n=1)
            return 0
        return real_update(self, **kwargs)

    with mock.patch.object(QuerySet, "update", racing_update):
        case_counts._bump(tenant_id=tenant.pk, key=key, delta=1)
    assert raced
    row = CaseStageCount.objects.get(tenant=tenant, assigned_to=cm, stage=t.Stage.PLANNING)
    assert row.n == 2


def test_a_count_never_goes_below_zero(cm, tenant):
    with pytest.raises(IntegrityError):
        case_counts._bump(tenant_id=tenant.pk, key=(cm.pk, t.Stage.MONITORING), delta=-1)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent transactions need PostgreSQL")
def test_concurrent_moves_lose_no_update(cm, tenant):
    """Threads with their own connections and transactions move cases at once; no increment is lost."""
    from django.db import transaction

    barrier = threading.Barrier(4)
    errors = []

    def worker():
        try:
            barrier.wait()
            for _ in range(10):
                with transaction.atomic():
                    case_counts._bump(tenant_id=tenant.pk, key=(None, t.Stage.OUTREACH), delta=1)
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert (
        CaseStageCount.objects.filter(Q(assigned_to__isnull=True), tenant=tenant, stage=t.Stage.OUTREACH).get().n == 40
    )


def test_the_list_count_by_parts_equals_the_list_for_every_persona(
    cm, make_user, tenant, other_tenant, disdik, client_for
):
    """The list's count comes from the counters and one look-up per visibility branch: it must equal a
    count of the list itself (the cases each persona may open), including a case reached two ways."""
    head = make_user(Role.OFFICE_HEAD)
    colleague = make_user(Role.CASE_MANAGER)
    uptd_cm = make_user(Role.CASE_MANAGER, agency=disdik)
    officer = make_user(Role.SERVICE_PROVIDER, agency=disdik)
    satgas = make_user(Role.SATGAS_VOLUNTEER)
    make_case(cm, tenant)
    referred = make_case(colleague, tenant)
    unassigned = make_case(head, tenant)
    make_case(satgas, tenant, channel=t.Channel.SATGAS)
    make_case(make_user(Role.OFFICE_HEAD, tenant=other_tenant), other_tenant)
    make_referral(colleague, referred, disdik, t.ServiceType.SCHOOLING)
    make_referral(head, unassigned, disdik, t.ServiceType.SCHOOLING)  # uptd_cm: unassigned and referred
    s.case_change_stage(actor=colleague, case=referred, to_stage=t.Stage.OUTREACH, note="Dikunjungi")
    for user in (head, cm, colleague, uptd_cm, officer, satgas):
        for stage in ("", t.Stage.RECEIVED, t.Stage.OUTREACH, t.Stage.CLOSED):
            filters = CaseFilters(stage=stage)
            expected = case_list_for_user(user=user, filters=filters).count()
            assert case_list_count(user=user, filters=filters) == expected, (user.role, stage)
    assert case_list_count(user=uptd_cm) == 3  # the two unassigned cases and the referred one, each once
    # Any other filter: the list counts its own cases.
    assert case_list_count(user=head, filters=CaseFilters(category=t.Category.SEXUAL)) is None
    page = client_for(uptd_cm).get(reverse("cases:list")).content.decode()
    assert "3 kasus" in page or "3 cases" in page
