"""The one definition of "overdue" and of when a first response is due, for the list filter, the dashboard, the pages, the API and the worker.

- A first response is overdue when it has not been recorded, its due time has passed and the case is open.
- A referral is overdue when it is still open (pending or accepted) and its due date is before today.
  "Today" is the tenant's: in a request `timezone.localdate()` (the middleware activates the tenant's
  zone); the worker, which serves every tenant, passes each tenant's `clock.tenant_today`.
"""

import datetime as dt

from django.db.models import Q

from . import taxonomy as t


def first_response_hours(*, tenant, has_child: bool, risk: str) -> int:
    """Hours allowed for the first response: the tenant's window for the case's risk level.

    Critical (immediate danger) has its own, shortest window; a child victim is never given more time
    than high risk (UU 35/2014 art. 59A: fast handling of child victims)."""
    if risk == t.RiskLevel.CRITICAL:
        return tenant.first_response_hours_critical
    if risk == t.RiskLevel.HIGH or has_child:
        return tenant.first_response_hours
    return tenant.first_response_hours_low_risk


def first_response_due_at(*, tenant, start: dt.datetime, has_child: bool, risk: str) -> dt.datetime:
    """When the first response of a case registered at `start` is due."""
    return start + dt.timedelta(hours=first_response_hours(tenant=tenant, has_child=has_child, risk=risk))


def first_response_overdue_q(*, now: dt.datetime) -> Q:
    """Cases whose first response is overdue at `now`."""
    return Q(first_responded_at__isnull=True, first_response_due_at__lt=now) & ~Q(stage=t.Stage.CLOSED)


def first_response_is_overdue(
    *, due_at: dt.datetime, responded_at: dt.datetime | None, stage: str, now: dt.datetime
) -> bool:
    """The same rule as `first_response_overdue_q`, for one case already in memory."""
    return responded_at is None and due_at < now and stage != t.Stage.CLOSED


def referral_overdue_q(*, today: dt.date, prefix: str = "") -> Q:
    """Referrals overdue on `today`; `prefix` names the relation from another model (e.g. "referrals__")."""
    return Q(**{f"{prefix}status__in": t.OPEN_REFERRAL_STATUSES, f"{prefix}due_on__lt": today})


def referral_is_overdue(referral, *, today: dt.date) -> bool:
    """The same rule as `referral_overdue_q`, for one referral already in memory."""
    return referral.status in t.OPEN_REFERRAL_STATUSES and referral.due_on < today
