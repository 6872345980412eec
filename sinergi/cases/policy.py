"""Permission rules for case handling. Visibility (404) and actions (403) are decided here only.

Who sees a case:
- office head: every case of the tenant;
- case manager: cases assigned to them and unassigned new cases (the triage queue);
- service provider (any user of a referred agency): cases with a pending/accepted/completed referral to
  their agency, limited to the fields of the referred services (fieldsets.py);
- Satgas volunteer: the reports they made, stage only;
- everyone else (analyst, secretariat, evidence, communications, system admin): no case, aggregates only
  where their role allows.
"""

from datetime import timedelta

import rules
from django.db.models import Q
from django.utils import timezone

from sinergi.accounts.roles import AGENCY_READER_ROLES, Role
from sinergi.core.policy import has_role, in_same_tenant, is_tenant_user

from .taxonomy import VISIBLE_REFERRAL_STATUSES, ReferralStatus, Stage

is_office_head = has_role(Role.OFFICE_HEAD)
is_case_manager = has_role(Role.CASE_MANAGER)
is_satgas = has_role(Role.SATGAS_VOLUNTEER)
is_case_worker = has_role(Role.CASE_MANAGER, Role.OFFICE_HEAD)
can_see_statistics = has_role(Role.OFFICE_HEAD, Role.CASE_MANAGER, Role.ANALYST)


@rules.predicate
def has_agency(user) -> bool:
    return user.agency_id is not None


@rules.predicate
def is_agency_reader(user) -> bool:
    """A role that may act on referrals addressed to its agency (service providers, UPTD staff)."""
    return user.agency_id is not None and user.role in AGENCY_READER_ROLES


@rules.predicate
def is_case_team(user, case) -> bool:
    """Office head of the tenant, or the assigned case manager (any case manager while unassigned)."""
    if case is None or case.tenant_id != user.tenant_id:
        return False
    if user.role == Role.OFFICE_HEAD:
        return True
    return user.role == Role.CASE_MANAGER and (case.assigned_to_id in (None, user.pk))


@rules.predicate
def is_reporter_of(user, case) -> bool:
    return case is not None and case.tenant_id == user.tenant_id and case.created_by_id == user.pk


@rules.predicate
def is_referred_agency_member(user, case) -> bool:
    if case is None or case.tenant_id != user.tenant_id or not is_agency_reader.test(user):
        return False
    from .models import Referral

    return Referral.objects.filter(
        case_id=case.pk, agency_id=user.agency_id, status__in=VISIBLE_REFERRAL_STATUSES
    ).exists()


def users_who_may_open_q(case) -> Q:
    """The same rules as `cases.view_case` seen from the case: a filter on users (those who may open it).
    The case plan offers only these as owners, so nobody is reminded of a case they cannot open."""
    from .models import Referral

    case_managers = Q(role=Role.CASE_MANAGER)
    if case.assigned_to_id is not None:
        case_managers &= Q(pk=case.assigned_to_id)
    referred = Referral.objects.filter(case_id=case.pk, status__in=VISIBLE_REFERRAL_STATUSES).values("agency_id")
    return Q(tenant_id=case.tenant_id, tenant__is_active=True, is_active=True) & (
        Q(role=Role.OFFICE_HEAD)
        | case_managers
        | Q(agency_id__in=referred, role__in=AGENCY_READER_ROLES)
        | Q(role=Role.SATGAS_VOLUNTEER, pk=case.created_by_id)
    )


@rules.predicate
def is_open_case(user, case) -> bool:
    return case is not None and case.stage != Stage.CLOSED


@rules.predicate
def is_closed_case(user, case) -> bool:
    return case is not None and case.stage == Stage.CLOSED


@rules.predicate
def is_referral_agency_member(user, referral) -> bool:
    return (
        referral is not None
        and referral.tenant_id == user.tenant_id
        and is_agency_reader.test(user)
        and referral.agency_id == user.agency_id
        and referral.status in VISIBLE_REFERRAL_STATUSES
    )


def is_grant_current(*, tenant, status: str, completed_at, case_closed_at, now=None) -> bool:
    """Whether a referral still gives its agency the need-to-know fields of its service: until the tenant's
    grace period has passed since the referral was completed, or since the case was closed (an accepted
    referral left open on a closed case must not keep access for ever). The one owner of this rule."""
    cutoff = (now or timezone.now()) - timedelta(days=tenant.referral_access_grace_days)
    if status == ReferralStatus.COMPLETED and completed_at is not None and completed_at < cutoff:
        return False
    return not (case_closed_at is not None and case_closed_at < cutoff)


@rules.predicate
def is_referral_current(user, referral) -> bool:
    return referral is not None and is_grant_current(
        tenant=referral.case.tenant,
        status=referral.status,
        completed_at=referral.completed_at,
        case_closed_at=referral.case.closed_at,
    )


@rules.predicate
def is_referral_case_team(user, referral) -> bool:
    return referral is not None and is_case_team.test(user, referral.case)


@rules.predicate
def is_referral_pending(user, referral) -> bool:
    return referral is not None and referral.status == ReferralStatus.PENDING


@rules.predicate
def is_referral_accepted(user, referral) -> bool:
    return referral is not None and referral.status == ReferralStatus.ACCEPTED


@rules.predicate
def is_referral_open(user, referral) -> bool:
    return referral is not None and referral.status in (ReferralStatus.PENDING, ReferralStatus.ACCEPTED)


# Intake: case managers, office heads and Satgas volunteers create cases in their own tenant.
rules.add_perm("cases.create_case", is_tenant_user & in_same_tenant & (is_case_worker | is_satgas))
# The short mobile intake of a Satgas PPA volunteer (channel "satgas") and their own report list.
rules.add_perm("cases.create_satgas_report", is_tenant_user & in_same_tenant & is_satgas)
rules.add_perm("cases.view_case_list", is_tenant_user & (is_case_worker | is_satgas | is_agency_reader))
rules.add_perm(
    "cases.view_case",
    is_tenant_user & (is_case_team | is_referred_agency_member | (is_satgas & is_reporter_of)),
)
rules.add_perm("cases.view_case_full", is_tenant_user & is_case_team)
rules.add_perm("cases.check_duplicates", is_tenant_user & in_same_tenant & is_case_worker)
rules.add_perm("cases.change_case", is_tenant_user & is_case_team & is_open_case)
rules.add_perm("cases.assign_case", is_tenant_user & is_office_head & in_same_tenant)
rules.add_perm("cases.refer_case", is_tenant_user & is_case_team & is_open_case)
rules.add_perm("cases.close_case", is_tenant_user & is_case_team & is_open_case)
# Closing while a needed right is unresolved requires the office head's recorded reason.
rules.add_perm("cases.refer_without_consent", is_tenant_user & is_office_head & in_same_tenant & is_open_case)
rules.add_perm("cases.close_case_override", is_tenant_user & is_office_head & in_same_tenant & is_open_case)
rules.add_perm("cases.reopen_case", is_tenant_user & is_case_team & is_closed_case)
rules.add_perm("cases.view_case_documents", is_tenant_user & is_case_team)
rules.add_perm("cases.manage_case_documents", is_tenant_user & is_case_team & is_open_case)
rules.add_perm("cases.download_case_summary", is_tenant_user & (is_case_team | is_referred_agency_member))

rules.add_perm("cases.view_referral", is_tenant_user & (is_referral_agency_member | is_referral_case_team))
rules.add_perm("cases.respond_referral", is_tenant_user & is_referral_agency_member & is_referral_pending)
rules.add_perm("cases.record_service", is_tenant_user & is_referral_agency_member & is_referral_accepted)
rules.add_perm("cases.cancel_referral", is_tenant_user & is_referral_case_team)
# The surat rujukan is written by the referring case team, for a referral still open.
rules.add_perm("cases.print_referral_letter", is_tenant_user & is_referral_case_team & is_referral_open)
# After the agency's access has ended it keeps its own service records, not the case team's files or note.
rules.add_perm(
    "cases.view_referral_documents",
    is_tenant_user & ((is_referral_agency_member & is_referral_current) | is_referral_case_team),
)
rules.add_perm(
    "cases.manage_referral_documents",
    is_tenant_user & ((is_referral_agency_member & is_referral_current) | is_referral_case_team),
)
rules.add_perm(
    "cases.view_referral_note",
    is_tenant_user & ((is_referral_agency_member & is_referral_current) | is_referral_case_team),
)
rules.add_perm("cases.view_referral_inbox", is_tenant_user & is_agency_reader)

# Tenant-wide reads: the object is the tenant whose figures are read (never another regency's).
rules.add_perm("cases.view_statistics", is_tenant_user & in_same_tenant & can_see_statistics)
# Row-level data of every case of the tenant (incl. cases the asker may not open): the office head only.
rules.add_perm("cases.export_simfoni", is_tenant_user & in_same_tenant & is_office_head)


def _visible_parts(user) -> tuple[Q, tuple | None, Q] | None:
    """visible_cases_q in parts: (tenant filter, assignees, other branches); None: nothing visible.

    `assignees` is None for every case of the tenant, else the assignee ids (None: unassigned) whose cases
    are visible; `other branches` are the visible cases reached otherwise (own reports, referrals).
    """
    if not (user.is_authenticated and user.is_active and user.tenant_id and user.tenant.is_active):
        return None
    base = Q(tenant_id=user.tenant_id)
    if user.role == Role.OFFICE_HEAD:
        return base, None, Q(pk__in=[])
    assignees: tuple = (user.pk, None) if user.role == Role.CASE_MANAGER else ()
    others = Q(created_by_id=user.pk) if user.role == Role.SATGAS_VOLUNTEER else Q(pk__in=[])
    if user.agency_id and user.role in AGENCY_READER_ROLES:
        from .models import Referral

        referred = Referral.objects.filter(
            tenant_id=user.tenant_id, agency_id=user.agency_id, status__in=VISIBLE_REFERRAL_STATUSES
        ).values("case_id")
        others |= Q(pk__in=referred)
    return base, assignees, others


def referred_only_agency(user) -> object | None:
    """The agency id when the cases `user` may open are exactly the cases referred to that agency (a
    visible referral), with no other branch (assignee, own reports); None otherwise. Lets a list page
    those cases from the referrals (Referral.case_reported_on ...) instead of the tenant's cases."""
    parts = _visible_parts(user)
    if parts is None or user.role == Role.SATGAS_VOLUNTEER:
        return None
    _base, assignees, _others = parts
    if assignees != () or not (user.agency_id and user.role in AGENCY_READER_ROLES):
        return None
    return user.agency_id


def _assignees_q(assignees: tuple) -> Q:
    q = Q(pk__in=[])
    for assignee in assignees:
        q |= Q(assigned_to__isnull=True) if assignee is None else Q(assigned_to_id=assignee)
    return q


def visible_cases_q(user) -> Q | None:
    """The same rules as `cases.view_case`, as a queryset filter (None: nothing visible)."""
    parts = _visible_parts(user)
    if parts is None:
        return None
    base, assignees, others = parts
    if assignees is None:
        return base
    return base & (_assignees_q(assignees) | others)


def visible_cases_parts(user) -> tuple[Q, tuple | None, Q] | None:
    """visible_cases_q as (tenant filter, assignees, other branches), for counting each part through its own
    index: the visible cases are `tenant & (assignee in assignees | others)`; assignees None: all of them."""
    return _visible_parts(user)


def visible_cases_split(user) -> tuple[tuple | None, Q] | None:
    """visible_cases_q as (assignees, rest): the visible cases are those of the tenant whose assignee is in
    `assignees` (None: all of them; the dashboard counters answer for these), plus the cases matching
    `rest` (disjoint from the first part; counted from the cases). None: nothing visible."""
    parts = _visible_parts(user)
    if parts is None:
        return None
    base, assignees, others = parts
    if assignees is None:
        return None, Q(pk__in=[])
    return assignees, base & others & ~_assignees_q(assignees)
