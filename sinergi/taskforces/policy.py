"""Permission rules for the task forces. Visibility (404) and actions (403) are decided here only.

- Task-force secretariat: manages bodies, meetings, minutes and agreements of its tenant.
- Office head: sees every body, meeting and agreement of the tenant.
- Agency staff (TASKFORCE_AGENCY_ROLES): see the meetings their agency is invited to or has an agreement
  in, and only the agreements their agency owns or supports; they update (progress, evidence, extension
  requests) the agreements their agency owns, and nothing else.
- Analysts: aggregates only (the matrix, closure rates, UANG completeness).
- Everyone else, and anyone of another tenant: nothing (404).
"""

import rules
from django.db.models import Exists, OuterRef, Q

from sinergi.accounts.roles import TASKFORCE_AGENCY_ROLES, Role
from sinergi.core.policy import has_role, in_same_tenant, is_tenant_user

from .models import CLOSED_STATUSES, Agreement, MeetingStatus

is_secretariat = has_role(Role.TASKFORCE_SECRETARIAT)
is_office_head = has_role(Role.OFFICE_HEAD)
is_overseer = has_role(Role.TASKFORCE_SECRETARIAT, Role.OFFICE_HEAD)
can_see_statistics = has_role(Role.TASKFORCE_SECRETARIAT, Role.OFFICE_HEAD, Role.ANALYST)


@rules.predicate
def is_agency_staff(user) -> bool:
    return user.agency_id is not None and user.role in TASKFORCE_AGENCY_ROLES


def _sees_all(user) -> bool:
    return user.role in (Role.TASKFORCE_SECRETARIAT, Role.OFFICE_HEAD)


def _agency_agreements_q(agency_id, prefix: str = "") -> Q:
    return Q(**{f"{prefix}owner_id": agency_id}) | Q(**{f"{prefix}supporters": agency_id})


def visible_agreements_q(user) -> Q:
    """The agreements `user` may see, as a filter on Agreement (lists and single objects agree)."""
    if not getattr(user, "is_authenticated", False) or not user.tenant_id or not user.is_active:
        return Q(pk__in=[])
    tenant = Q(tenant_id=user.tenant_id)
    if _sees_all(user):
        return tenant
    if is_agency_staff.test(user):
        # Exists, not a join on supporters: a join would repeat an agreement once per supporter.
        supported = Agreement.supporters.through.objects.filter(agreement_id=OuterRef("pk"), agency_id=user.agency_id)
        return tenant & (Q(owner_id=user.agency_id) | Exists(supported))
    return Q(pk__in=[])


def visible_meetings_q(user) -> Q:
    """The meetings `user` may see, as a filter on Meeting."""
    if not getattr(user, "is_authenticated", False) or not user.tenant_id or not user.is_active:
        return Q(pk__in=[])
    tenant = Q(tenant_id=user.tenant_id)
    if _sees_all(user):
        return tenant
    if is_agency_staff.test(user):
        from .models import Invitation

        invited = Invitation.objects.filter(meeting_id=OuterRef("pk"), member__agency_id=user.agency_id)
        agreements = Agreement.objects.filter(meeting_id=OuterRef("pk")).filter(visible_agreements_q(user))
        return tenant & (Exists(invited) | Exists(agreements))
    return Q(pk__in=[])


@rules.predicate
def can_see_meeting(user, meeting) -> bool:
    if meeting is None or meeting.tenant_id != user.tenant_id:
        return False
    if _sees_all(user):
        return True
    return type(meeting).objects.filter(visible_meetings_q(user), pk=meeting.pk).exists()


@rules.predicate
def can_see_agreement(user, agreement) -> bool:
    if agreement is None or agreement.tenant_id != user.tenant_id:
        return False
    if _sees_all(user):
        return True
    if not is_agency_staff.test(user):
        return False
    return agreement.owner_id == user.agency_id or agreement.supporters.filter(pk=user.agency_id).exists()


@rules.predicate
def is_owner_staff(user, agreement) -> bool:
    """Staff of the agency that owns the agreement."""
    return (
        agreement is not None
        and agreement.tenant_id == user.tenant_id
        and is_agency_staff.test(user)
        and agreement.owner_id == user.agency_id
    )


@rules.predicate
def is_open_agreement(user, agreement) -> bool:
    return agreement is not None and agreement.status not in CLOSED_STATUSES


@rules.predicate
def is_not_cancelled(user, meeting) -> bool:
    return meeting is not None and meeting.status != MeetingStatus.CANCELLED


secretariat_here = is_tenant_user & is_secretariat & in_same_tenant
overseer_here = is_tenant_user & is_overseer & in_same_tenant

rules.add_perm("taskforces.view_taskforces", is_tenant_user & (is_overseer | is_agency_staff))
rules.add_perm("taskforces.manage_taskforces", secretariat_here)
rules.add_perm("taskforces.view_statistics", is_tenant_user & can_see_statistics & in_same_tenant)
rules.add_perm("taskforces.view_body", overseer_here)
rules.add_perm("taskforces.manage_body", secretariat_here)
rules.add_perm("taskforces.view_meeting", is_tenant_user & can_see_meeting)
rules.add_perm("taskforces.manage_meeting", secretariat_here & is_not_cancelled)
rules.add_perm("taskforces.view_meeting_documents", is_tenant_user & can_see_meeting)
rules.add_perm("taskforces.manage_meeting_documents", secretariat_here & is_not_cancelled)
rules.add_perm("taskforces.view_agreement", is_tenant_user & can_see_agreement)
rules.add_perm("taskforces.follow_agreement", is_tenant_user & can_see_agreement)
rules.add_perm("taskforces.manage_agreement", secretariat_here)
rules.add_perm("taskforces.update_agreement", is_tenant_user & (secretariat_here | is_owner_staff) & is_open_agreement)
rules.add_perm("taskforces.request_extension", is_tenant_user & is_owner_staff & is_open_agreement)
rules.add_perm("taskforces.view_agreement_documents", is_tenant_user & can_see_agreement)
rules.add_perm(
    "taskforces.manage_agreement_documents", is_tenant_user & (secretariat_here | is_owner_staff) & is_open_agreement
)
rules.add_perm("taskforces.view_body_documents", overseer_here)
rules.add_perm("taskforces.manage_body_documents", secretariat_here)
# The office's Word templates (obj = the tenant for uploads, a LetterTemplate for its document).
rules.add_perm("taskforces.manage_templates", secretariat_here)
rules.add_perm("taskforces.view_lettertemplate_documents", secretariat_here)
rules.add_perm("taskforces.manage_lettertemplate_documents", secretariat_here)
