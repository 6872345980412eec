"""Permission rules of the KLA workspace. Visibility (404) and actions (403) are decided here only.

- Secretariat (KLA_SECRETARIAT_ROLES: task-force secretariat and office head of the DP3A): the whole
  workspace of its tenant: assignments, reviews, self-assessment, deadlines, regulations, package, RAD.
- OPD evidence officer (KLA_OPD_ROLES, with an agency): the indicators assigned to its own agency, and
  only its own agency's evidence items and their reviews; it adds and re-uploads them (until accepted).
- Everyone else, and anyone of another tenant: nothing (404).

`visible_evidence_q` / `visible_indicators_q` are the querysets for the same predicates (tested to agree).
"""

import rules
from django.db.models import Exists, OuterRef, Q

from sinergi.accounts.roles import KLA_OPD_ROLES, KLA_SECRETARIAT_ROLES
from sinergi.core.policy import in_same_tenant, is_tenant_user

from .models import Assignment, ReviewStatus


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.tenant_id and user.is_active)


@rules.predicate
def is_secretariat(user) -> bool:
    return user.role in KLA_SECRETARIAT_ROLES


@rules.predicate
def is_opd_officer(user) -> bool:
    return user.agency_id is not None and user.role in KLA_OPD_ROLES


def visible_evidence_q(user) -> Q:
    """The evidence items `user` may see, as a filter on EvidenceItem."""
    if not _active(user):
        return Q(pk__in=[])
    tenant = Q(tenant_id=user.tenant_id)
    if is_secretariat.test(user):
        return tenant
    if is_opd_officer.test(user):
        return tenant & Q(agency_id=user.agency_id)
    return Q(pk__in=[])


def visible_indicators_q(user) -> Q:
    """The indicators `user` may open, as a filter on Indicator (the OPD: those assigned to its agency)."""
    if not _active(user):
        return Q(pk__in=[])
    if is_secretariat.test(user):
        return Q()
    if is_opd_officer.test(user):
        assigned = Assignment.objects.filter(
            indicator_id=OuterRef("pk"), tenant_id=user.tenant_id, agency_id=user.agency_id
        )
        return Q(Exists(assigned))
    return Q(pk__in=[])


@rules.predicate
def can_see_indicator(user, indicator) -> bool:
    if indicator is None:
        return False
    if is_secretariat.test(user):
        return True
    return (
        is_opd_officer.test(user)
        and Assignment.objects.filter(indicator=indicator, tenant_id=user.tenant_id, agency_id=user.agency_id).exists()
    )


@rules.predicate
def can_see_item(user, item) -> bool:
    if item is None or item.tenant_id != user.tenant_id:
        return False
    if is_secretariat.test(user):
        return True
    return is_opd_officer.test(user) and item.agency_id == user.agency_id


@rules.predicate
def can_change_item(user, item) -> bool:
    """The item's own OPD re-uploads or edits it until it is accepted; the secretariat always may."""
    if not can_see_item.test(user, item):
        return False
    if is_secretariat.test(user):
        return True
    return item.status != ReviewStatus.ACCEPTED


secretariat_here = is_tenant_user & is_secretariat & in_same_tenant
member_here = is_tenant_user & (is_secretariat | is_opd_officer) & in_same_tenant

# obj = tenant
rules.add_perm("kla.view_workspace", member_here)
rules.add_perm("kla.manage_workspace", secretariat_here)
# obj = indicator (national data; the tenant is the user's)
rules.add_perm("kla.view_indicator", is_tenant_user & can_see_indicator)
rules.add_perm("kla.add_evidence", is_tenant_user & can_see_indicator)
# obj = evidence item
rules.add_perm("kla.view_evidenceitem", is_tenant_user & can_see_item)
rules.add_perm("kla.change_evidenceitem", is_tenant_user & can_change_item)
rules.add_perm("kla.review_evidenceitem", is_tenant_user & is_secretariat & can_see_item)
rules.add_perm("kla.view_evidenceitem_documents", is_tenant_user & can_see_item)
rules.add_perm("kla.manage_evidenceitem_documents", is_tenant_user & can_change_item)
# obj = regulation (the library is shared by the tenant's KLA members; the secretariat keeps it)
rules.add_perm("kla.view_regulation", member_here)
rules.add_perm("kla.manage_regulation", secretariat_here)
rules.add_perm("kla.view_regulation_documents", member_here)
rules.add_perm("kla.manage_regulation_documents", secretariat_here)
