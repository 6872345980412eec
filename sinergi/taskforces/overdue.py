"""The one owner of an agreement's deadline rules (the case deadlines are sinergi/cases/overdue.py).

An agreement is overdue once its due date has passed in the tenant's zone and it is neither done nor
dropped; it is "due" for the closure rate (done on time / due) when its date has passed or it is done.
"""

import datetime as dt

from django.db.models import Q

from .models import CLOSED_STATUSES, AgreementStatus

# Owners are reminded this many days before the due date.
REMIND_DAYS_BEFORE = 7


def overdue_q(today: dt.date) -> Q:
    """Agreements past their due date on `today` (the tenant's date) and still open."""
    return Q(due_on__lt=today) & ~Q(status__in=CLOSED_STATUSES)


def due_q(today: dt.date) -> Q:
    """Agreements that count as due for the closure rate: past their date, or done with a date."""
    return Q(due_on__lt=today) | Q(status=AgreementStatus.DONE, due_on__isnull=False)


def reminder_horizon_q(latest_today: dt.date) -> Q:
    """Open agreements that may need a reminder or an escalation by `latest_today` (the latest date of
    any tenant zone right now)."""
    return Q(due_on__isnull=False, due_on__lte=latest_today + dt.timedelta(days=REMIND_DAYS_BEFORE)) & ~Q(
        status__in=CLOSED_STATUSES
    )


def deadline_state(due_on: dt.date, today: dt.date) -> str | None:
    """ "overdue", "due_soon" (within the reminder window) or None, for one open agreement."""
    if due_on < today:
        return "overdue"
    if due_on <= today + dt.timedelta(days=REMIND_DAYS_BEFORE):
        return "due_soon"
    return None
