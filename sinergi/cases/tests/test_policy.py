"""Table-driven permission tests: every role × action × (own / other tenant), and the selectors agree."""

import pytest

from sinergi.accounts.roles import Role
from sinergi.cases import services as s
from sinergi.cases import taxonomy as t
from sinergi.cases.selectors import case_queryset_for_user
from sinergi.core.policy import can
from sinergi.tenants.models import Agency

from .factories import make_agency, make_case, make_referral

pytestmark = pytest.mark.django_db

ACTIONS = [
    "cases.create_case",
    "cases.view_case",
    "cases.view_case_full",
    "cases.change_case",
    "cases.refer_case",
    "cases.close_case",
    "cases.close_case_override",
    "cases.respond_referral",
    "cases.record_service",
    "cases.view_statistics",
    "cases.export_simfoni",
    "cases.download_case_summary",
]
TEAM = {
    "cases.view_case",
    "cases.view_case_full",
    "cases.change_case",
    "cases.refer_case",
    "cases.close_case",
    "cases.download_case_summary",
}

# What each role may do in its own regency, on a case reported by the Satgas volunteer, assigned to the
# case manager and referred to the service provider's agency (one referral pending, one accepted).
EXPECTED_OWN_TENANT: dict[str, set[str]] = {
    Role.SYSTEM_ADMIN: set(),
    Role.OFFICE_HEAD: {
        "cases.create_case",
        *TEAM,
        "cases.close_case_override",
        "cases.view_statistics",
        "cases.export_simfoni",
    },
    Role.CASE_MANAGER: {"cases.create_case", *TEAM, "cases.view_statistics"},
    Role.SERVICE_PROVIDER: {
        "cases.view_case",
        "cases.respond_referral",
        "cases.record_service",
        "cases.download_case_summary",
    },
    Role.SATGAS_VOLUNTEER: {"cases.create_case", "cases.view_case"},
    Role.TASKFORCE_SECRETARIAT: set(),
    Role.OPD_EVIDENCE_OFFICER: set(),
    Role.COMMUNICATIONS_OFFICER: set(),
    Role.ANALYST: {"cases.view_statistics"},
}
assert set(EXPECTED_OWN_TENANT) == set(Role.values)


@pytest.fixture
def world(make_user, tenant, other_tenant):
    """One user per role in each tenant and one case with two referrals to the provider's agency."""
    dinsos = make_agency(tenant, Agency.Kind.DINSOS, short_name="Dinsos")
    own = {role: make_user(role, **({"agency": dinsos} if role == Role.SERVICE_PROVIDER else {})) for role in Role}
    other_dinsos = make_agency(other_tenant, Agency.Kind.DINSOS, short_name="Dinsos")
    other = {
        role: make_user(
            role, tenant=other_tenant, **({"agency": other_dinsos} if role == Role.SERVICE_PROVIDER else {})
        )
        for role in Role
    }
    case = make_case(own[Role.SATGAS_VOLUNTEER], tenant)
    s.case_assign(actor=own[Role.OFFICE_HEAD], case=case, assignee=own[Role.CASE_MANAGER])
    cm = own[Role.CASE_MANAGER]
    pending = make_referral(cm, case, dinsos, t.ServiceType.SOCIAL_REHAB)
    accepted = make_referral(cm, case, dinsos, t.ServiceType.SOCIAL_ASSISTANCE)
    s.referral_respond(actor=own[Role.SERVICE_PROVIDER], referral=accepted, accept=True)
    objects = {
        "cases.create_case": tenant,
        "cases.respond_referral": pending,
        "cases.record_service": accepted,
        "cases.view_statistics": tenant,
        "cases.export_simfoni": tenant,
    }
    return {"own": own, "other": other, "case": case, "objects": objects}


def _decisions(user, world) -> dict[str, bool]:
    return {action: can(user, action, world["objects"].get(action, world["case"])) for action in ACTIONS}


@pytest.mark.parametrize("role", list(Role))
def test_permissions_in_own_tenant(world, role):
    expected = {action: action in EXPECTED_OWN_TENANT[role] for action in ACTIONS}
    assert _decisions(world["own"][role], world) == expected


@pytest.mark.parametrize("role", list(Role))
def test_nothing_is_allowed_on_another_tenants_objects(world, role):
    assert _decisions(world["other"][role], world) == dict.fromkeys(ACTIONS, False)


@pytest.mark.parametrize("role", list(Role))
def test_inactive_users_may_do_nothing(world, role):
    user = world["own"][role]
    user.is_active = False
    assert _decisions(user, world) == dict.fromkeys(ACTIONS, False)


def test_unassigned_case_is_open_to_every_case_manager_until_assigned(make_user, tenant):
    head = make_user(Role.OFFICE_HEAD)
    first, second = make_user(Role.CASE_MANAGER), make_user(Role.CASE_MANAGER)
    case = make_case(head, tenant)
    assert can(first, "cases.change_case", case)
    assert can(second, "cases.change_case", case)
    s.case_assign(actor=head, case=case, assignee=first)
    assert can(first, "cases.change_case", case)
    assert not can(second, "cases.view_case", case)
    assert not can(second, "cases.change_case", case)
    assert can(head, "cases.assign_case", case)
    assert not can(first, "cases.assign_case", case)


def test_closed_case_allows_reopen_but_no_change(make_user, tenant):
    cm = make_user(Role.CASE_MANAGER)
    head = make_user(Role.OFFICE_HEAD)
    case = make_case(cm, tenant, victim={"adult": True})
    s.case_close(actor=cm, case=case, reason=t.ClosureReason.RESOLVED)
    for user in (cm, head):
        assert can(user, "cases.view_case", case)
        assert can(user, "cases.reopen_case", case)
        for action in ("cases.change_case", "cases.refer_case", "cases.close_case", "cases.close_case_override"):
            assert not can(user, action, case), (user.role, action)


def test_declined_referral_takes_the_case_away_from_the_agency(make_user, tenant):
    cm = make_user(Role.CASE_MANAGER)
    agency = make_agency(tenant, Agency.Kind.DISDIK, short_name="Disdik")
    officer = make_user(Role.SERVICE_PROVIDER, agency=agency)
    colleague = make_user(Role.OPD_EVIDENCE_OFFICER, agency=agency)
    case = make_case(cm, tenant)
    referral = make_referral(cm, case, agency, t.ServiceType.SCHOOLING)
    # The agency's service providers see the case; its other roles (evidence officer...) never do.
    assert can(officer, "cases.view_case", case)
    assert not can(colleague, "cases.view_case", case)
    assert not can(officer, "cases.view_case_full", case)
    s.referral_respond(actor=officer, referral=referral, accept=False, reason="Bukan wilayah kami")
    assert not can(officer, "cases.view_case", case)
    assert not can(colleague, "cases.view_case", case)


# ---- the selector agrees with the predicate ---------------------------------------------------


@pytest.fixture
def many_cases(make_user, tenant, other_tenant):
    """Cases in every relation a user can have to them, in both tenants."""
    users = {role: make_user(role) for role in Role}
    users["cm2"] = make_user(Role.CASE_MANAGER)
    dinsos = make_agency(tenant, Agency.Kind.DINSOS, short_name="Dinsos")
    disdik = make_agency(tenant, Agency.Kind.DISDIK, short_name="Disdik")
    users["dinsos"] = make_user(Role.SERVICE_PROVIDER, agency=dinsos)
    users["disdik"] = make_user(Role.SERVICE_PROVIDER, agency=disdik)
    users["satgas2"] = make_user(Role.SATGAS_VOLUNTEER)
    for role in Role:
        users[f"other-{role}"] = make_user(role, tenant=other_tenant)
    cm, cm2, head = users[Role.CASE_MANAGER], users["cm2"], users[Role.OFFICE_HEAD]

    cases = [make_case(cm, tenant), make_case(cm2, tenant), make_case(head, tenant)]
    by_satgas = make_case(users[Role.SATGAS_VOLUNTEER], tenant)
    cases.append(by_satgas)
    referred = make_case(cm, tenant)
    make_referral(cm, referred, dinsos)
    declined = make_case(cm2, tenant)
    s.referral_respond(
        actor=users["disdik"],
        referral=make_referral(cm2, declined, disdik, t.ServiceType.SCHOOLING),
        accept=False,
        reason="x",
    )
    cancelled = make_case(cm, tenant)
    s.referral_cancel(actor=cm, referral=make_referral(cm, cancelled, dinsos), reason="x")
    completed = make_case(cm2, tenant)
    ref = make_referral(cm2, completed, disdik, t.ServiceType.SCHOOLING)
    s.referral_respond(actor=users["disdik"], referral=ref, accept=True)
    s.service_record(
        actor=users["disdik"], referral=ref, delivered_on=completed.reported_on, sessions=1, outcome="completed"
    )
    closed = make_case(cm, tenant, victim={"adult": True})
    s.case_close(actor=cm, case=closed, reason=t.ClosureReason.DUPLICATE)
    cases += [referred, declined, cancelled, completed, closed]
    other_cm = users[f"other-{Role.CASE_MANAGER}"]
    cases += [make_case(other_cm, other_tenant), make_case(users[f"other-{Role.OFFICE_HEAD}"], other_tenant)]
    return users, cases


def test_case_queryset_agrees_with_view_case_for_every_user_and_case(many_cases):
    users, cases = many_cases
    mismatches = []
    for key, user in users.items():
        visible = set(case_queryset_for_user(user=user).values_list("pk", flat=True))
        for case in cases:
            if (case.pk in visible) != can(user, "cases.view_case", case):
                mismatches.append((str(key), case.number, case.pk in visible))
    assert mismatches == []


def test_the_referral_paged_list_agrees_with_the_case_list_for_every_user(many_cases, client_for):
    """Where the policy says "only the cases referred to this agency", the list's ids read from the
    referrals are exactly the visible cases, in the case list's order and with the same count."""
    from sinergi.cases.policy import referred_only_agency
    from sinergi.cases.selectors import case_list_count, case_list_for_user, case_list_page_ids

    users, _cases = many_cases
    dinsos = users["dinsos"].agency
    twice = make_case(users[Role.CASE_MANAGER], dinsos.tenant)  # two services asked of one agency: one row
    make_referral(users[Role.CASE_MANAGER], twice, dinsos, t.ServiceType.SOCIAL_REHAB)
    make_referral(users[Role.CASE_MANAGER], twice, dinsos, t.ServiceType.SHELTER)
    paged_from_referrals = []
    for key, user in users.items():
        ids = case_list_page_ids(user=user)
        if ids is None:
            continue
        paged_from_referrals.append(str(key))
        assert referred_only_agency(user) == user.agency_id
        expected = list(case_list_for_user(user=user).values_list("pk", flat=True))
        assert list(ids) == expected, key
        assert case_list_count(user=user) == len(expected)
        assert list(ids.reverse())[::-1] == expected
    # The API pages the same keys: every page of one, then the total.
    officer = users["dinsos"]
    expected = [str(pk) for pk in case_list_for_user(user=officer).values_list("pk", flat=True)]
    client = client_for(officer)
    got = []
    for number in range(1, len(expected) + 1):
        body = client.get(f"/api/v1/cases/?page_size=1&page={number}").json()
        assert body["count"] == len(expected)
        got += [row["id"] for row in body["results"]]
    assert got == expected
    assert client.get(f"/api/v1/cases/?page_size=1&page={len(expected) + 1}").status_code == 404
    # The service providers (their agency's referrals only), never the case team or a Satgas volunteer.
    assert {"dinsos", "disdik"} <= set(paged_from_referrals)
    assert all(users[k].role == Role.SERVICE_PROVIDER for k in users if str(k) in paged_from_referrals)


def test_a_referral_row_pointing_at_another_tenants_case_never_lists_it(many_cases, client_for):
    """Defence in depth for the referral-paged list: a row the services never write (the referral in this
    tenant, its case in another) must not bring the other tenant's case into the officer's list."""
    import datetime as dt

    from django.utils import timezone

    from sinergi.cases.models import Referral

    users, cases = many_cases
    officer = users["dinsos"]
    foreign = next(c for c in cases if c.tenant_id != officer.tenant_id)
    Referral.objects.create(
        tenant_id=officer.tenant_id,
        case=foreign,
        agency=officer.agency,
        service_type=t.ServiceType.SOCIAL_REHAB,
        due_on=timezone.localdate() + dt.timedelta(days=7),
        requested_by=users[Role.CASE_MANAGER],
        requested_at=timezone.now(),
    )
    page = client_for(officer).get("/cases/").content.decode()
    assert foreign.number not in page
    assert str(foreign.pk) not in page


def test_users_who_may_open_a_case_agree_with_view_case_for_every_user_and_case(many_cases):
    """The other direction of the same rule (the case plan's owner choices): per case, the users."""
    from sinergi.accounts.models import User
    from sinergi.cases.policy import users_who_may_open_q

    users, cases = many_cases
    mismatches = []
    for case in cases:
        may_open = set(User.objects.filter(users_who_may_open_q(case)).values_list("pk", flat=True))
        for key, user in users.items():
            if (user.pk in may_open) != can(user, "cases.view_case", case):
                mismatches.append((str(key), case.number, user.pk in may_open))
    assert mismatches == []
    assert any(User.objects.filter(users_who_may_open_q(case)).count() > 1 for case in cases)


def test_visible_cases_per_persona(many_cases):
    users, cases = many_cases

    def visible(key):
        return set(case_queryset_for_user(user=users[key]).values_list("pk", flat=True))

    own_tenant = {c.pk for c in cases if c.tenant_id == users[Role.OFFICE_HEAD].tenant_id}
    assert visible(Role.OFFICE_HEAD) == own_tenant
    assert len(visible("dinsos")) == 1  # the pending referral only (cancelled ones do not count)
    assert len(visible("disdik")) == 1  # the completed referral (the declined one does not count)
    assert len(visible(Role.SATGAS_VOLUNTEER)) == 1
    assert visible("satgas2") == set()
    for role in (Role.ANALYST, Role.SYSTEM_ADMIN, Role.COMMUNICATIONS_OFFICER, Role.TASKFORCE_SECRETARIAT):
        assert visible(role) == set()
    assert visible(f"other-{Role.OFFICE_HEAD}") == {c.pk for c in cases} - own_tenant


def test_inactive_tenant_sees_nothing(many_cases):
    users, cases = many_cases
    head = users[Role.OFFICE_HEAD]
    head.tenant.is_active = False
    head.tenant.save()
    head.refresh_from_db()
    assert not can(head, "cases.view_case", cases[0])
    assert not case_queryset_for_user(user=head).exists()
