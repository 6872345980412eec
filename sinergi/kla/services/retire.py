"""Retiring (soft-deleting) regulation-library items, deadlines and RAD KLA activities: the row stays,
hidden from lists, new links and reminders, and the audit trail keeps what it said. The same permission
as adding them; the selectors have already given 404 for what the actor may not see."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.audit import services as audit
from sinergi.core import policy

from ..events import Event as E
from ..models import Deadline, RadActivity, Regulation
from .workspace import ERR_RETIRED


def _retire(row, *, actor: User) -> None:
    if row.retired_at is not None:
        raise ValidationError(ERR_RETIRED, code="retired")
    if row.tenant_id != actor.tenant_id:  # the selectors scope by tenant; a caller that did not is refused
        raise PermissionDenied
    row.retired_at = timezone.now()
    row.save(update_fields=["retired_at"])


@transaction.atomic
def regulation_retire(*, actor: User, regulation: Regulation) -> Regulation:
    """Retire a library item: evidence already linked to it keeps the link; it can no longer be linked."""
    policy.require(actor, "kla.manage_regulation", actor.tenant)
    _retire(regulation, actor=actor)
    audit.record(
        actor=actor,
        action=E.REGULATION_RETIRED,
        obj=regulation,
        extra={"kind": regulation.kind, "number": regulation.number, "title": regulation.title},
    )
    return regulation


@transaction.atomic
def deadline_retire(*, actor: User, deadline: Deadline) -> Deadline:
    """Retire a deadline: no more reminders or escalations for it; setting the same kind again revives it."""
    policy.require(actor, "kla.manage_workspace", actor.tenant)
    _retire(deadline, actor=actor)
    audit.record(
        actor=actor,
        action=E.DEADLINE_RETIRED,
        obj=actor.tenant,
        extra={"kind": deadline.kind, "due_on": deadline.due_on.isoformat(), "year": deadline.year.year},
    )
    return deadline


@transaction.atomic
def activity_retire(*, actor: User, activity: RadActivity) -> RadActivity:
    policy.require(actor, "kla.manage_workspace", actor.tenant)
    _retire(activity, actor=actor)
    audit.record(
        actor=actor,
        action=E.ACTIVITY_RETIRED,
        obj=activity,
        extra={"indicator": activity.indicator.code, "title": activity.title, "budget": activity.budget},
    )
    return activity
