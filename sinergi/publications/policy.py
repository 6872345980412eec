"""Publications permissions: the PPRA checker, the tenant's rule additions, media partners and their
newsroom tokens. The object is the tenant (or a partner, which belongs to one)."""

import rules

from sinergi.accounts.policy import is_otp_verified
from sinergi.accounts.roles import Role
from sinergi.core.policy import has_role, in_same_tenant, is_tenant_user

# Who writes or reviews texts about children: communications officers (Diskominfo, DP3A humas,
# schools) and the protection office's case team and head.
is_checker_user = has_role(Role.COMMUNICATIONS_OFFICER, Role.OFFICE_HEAD, Role.CASE_MANAGER, Role.SYSTEM_ADMIN)
is_publications_admin = has_role(Role.OFFICE_HEAD, Role.SYSTEM_ADMIN)

rules.add_perm("publications.use_checker", is_tenant_user & in_same_tenant & is_checker_user)
rules.add_perm("publications.change_rules", is_tenant_user & in_same_tenant & is_publications_admin)
rules.add_perm("publications.view_mediapartner", is_tenant_user & in_same_tenant & is_checker_user)
rules.add_perm("publications.manage_mediapartner", is_tenant_user & in_same_tenant & is_publications_admin)

# Reviewers: the protection office (its head and case managers) and the system administrator.
is_reviewer = has_role(Role.OFFICE_HEAD, Role.CASE_MANAGER, Role.SYSTEM_ADMIN)

# The register cross-check answers "is this a child in our case register?": an existence oracle, so only
# for reviewers whose session passed a second factor (never a newsroom token: see authentication.py).
rules.add_perm("publications.register_cross_check", is_tenant_user & in_same_tenant & is_reviewer & is_otp_verified)


@rules.predicate
def is_draft_author(user, draft) -> bool:
    return draft is not None and draft.created_by_id == user.pk


@rules.predicate
def draft_is_open(user, draft) -> bool:
    """Submitted or returned: still being worked on (an approved draft is final)."""
    return draft is not None and draft.status != "approved"


@rules.predicate
def draft_is_submitted(user, draft) -> bool:
    return draft is not None and draft.status == "submitted"


def visible_drafts_q(user):
    """The drafts `user` may open, as a Q over Draft (the same rule as publications.view_draft)."""
    from django.db.models import Q

    if not (user.is_authenticated and user.tenant_id) or not is_checker_user.test(user):
        return Q(pk__in=[])
    if is_reviewer.test(user):
        return Q(tenant_id=user.tenant_id)
    return Q(tenant_id=user.tenant_id, created_by_id=user.pk)


rules.add_perm("publications.add_draft", is_tenant_user & in_same_tenant & is_checker_user)
rules.add_perm(
    "publications.view_draft", is_tenant_user & in_same_tenant & is_checker_user & (is_reviewer | is_draft_author)
)
rules.add_perm(
    "publications.comment_draft",
    is_tenant_user & in_same_tenant & draft_is_open & is_checker_user & (is_reviewer | is_draft_author),
)
rules.add_perm("publications.revise_draft", is_tenant_user & in_same_tenant & draft_is_open & is_draft_author)
# Four eyes: nobody approves their own text.
rules.add_perm(
    "publications.review_draft", is_tenant_user & in_same_tenant & draft_is_submitted & is_reviewer & ~is_draft_author
)
# The reviewer's flags on a story (LPSK protection, perpetrator at large, missing child found): only the
# protection office knows them; an approved draft is final.
rules.add_perm("publications.flag_draft", is_tenant_user & in_same_tenant & draft_is_open & is_reviewer)
