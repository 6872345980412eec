"""The one owner of the KLA deadline rules (cases: sinergi/cases/overdue.py; agreements: taskforces/overdue.py).

A deadline is due for a reminder REMIND_DAYS_BEFORE days ahead and for an escalation once it has passed in
the tenant's zone; the OPDs behind on a passed collection deadline are the overdue OPDs of the dashboard.
"""

import datetime as dt

from django.db.models import Q

REMIND_DAYS_BEFORE = 14


def horizon_q(latest_today: dt.date) -> Q:
    """Deadlines that may need a notice by `latest_today` (the latest date of any tenant zone now)."""
    return Q(due_on__lte=latest_today + dt.timedelta(days=REMIND_DAYS_BEFORE))


def is_passed(due_on: dt.date, today: dt.date) -> bool:
    return today > due_on


def needs_reminder(due_on: dt.date, today: dt.date) -> bool:
    return not is_passed(due_on, today) and (due_on - today).days <= REMIND_DAYS_BEFORE
