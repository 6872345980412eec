"""The register cross-check (issue 17): names in a text that match a child of the tenant's case register
are flagged "matches a protected child", without saying which case.

The match goes through the cases app's name blind index (`registered_child_names`): no list of protected
names is ever built. Because the answer tells whether a name is a child in the register, it is only for
reviewers with a verified second factor (`publications.register_cross_check`), counted against the same
per-account identity look-up limit as the case team's identity search (sinergi.cases.limits), audited,
and never offered to a newsroom token (the newsroom endpoint has no way to ask for it).
"""

from collections.abc import Callable

from django.http import HttpRequest
from django_ratelimit.exceptions import Ratelimited

from sinergi.audit.services import record
from sinergi.cases.limits import identity_lookup_allowed
from sinergi.cases.selectors import registered_child_names
from sinergi.core import policy

from .events import PublicationsEvent

# A text naming more people than this is cut for the cross-check (a long list is a probe, not a story).
MAX_NAMES = 60


def register_matcher_for(request: HttpRequest) -> Callable[[list[str]], set[str]]:
    """The engine's `register_matcher` for this request's user: 403 without the permission, 429 over the
    limit; each run is one audited identity look-up (the event holds counts, never a name)."""
    user = request.user
    tenant = user.tenant
    policy.require(user, "publications.register_cross_check", tenant)
    if not identity_lookup_allowed(request):
        raise Ratelimited

    def matcher(names: list[str]) -> set[str]:
        asked = list(dict.fromkeys(names))[:MAX_NAMES]
        found = registered_child_names(tenant=tenant, names=asked)
        record(
            actor=user,
            action=PublicationsEvent.REGISTER_CHECKED,
            tenant=tenant,
            extra={"names": len(asked), "flagged": len(found)},
        )
        return found

    return matcher
