"""Deadline reminders and escalations from the worker: at-least-once, idempotent, marked per item.

Each (deadline, OPD, stage) gets one DeadlineNotice row, inserted in its own transaction before the
notification is created in the same transaction: a second worker, or a rerun after a killed worker,
finds the mark and sends nothing. An OPD is "behind" when one of its assigned indicators lacks accepted
evidence of a required type (scoring owns that rule).
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override

from sinergi.accounts.models import User
from sinergi.accounts.roles import KLA_OPD_ROLES, KLA_SECRETARIAT_ROLES
from sinergi.core import clock

from .. import overdue, scoring
from ..models import Deadline, DeadlineNotice


def _behind_agencies(deadline: Deadline) -> dict:
    score = scoring.year_score(tenant=deadline.tenant, year=deadline.year)
    behind: dict = {}
    for ind in score.indicators:
        if ind.completeness < 100:
            for ag_id, name in ind.agencies:
                behind.setdefault(ag_id, [name, 0])[1] += 1
    return behind


def deadline_notices_send(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Remind the OPDs behind a deadline within overdue.REMIND_DAYS_BEFORE days; escalate (OPD and secretariat)
    once it has passed in the tenant's zone. Returns counts of notices sent."""
    from sinergi.notifications.services import notify

    now = now or timezone.now()
    sent = {"reminder": 0, "escalation": 0}
    for deadline in Deadline.objects.filter(
        overdue.horizon_q(clock.latest_today(now)), retired_at__isnull=True
    ).select_related("tenant", "year"):
        today = clock.tenant_today(deadline.tenant, now)
        if overdue.is_passed(deadline.due_on, today):
            stage = DeadlineNotice.Stage.ESCALATION
        elif overdue.needs_reminder(deadline.due_on, today):
            stage = DeadlineNotice.Stage.REMINDER
        else:
            continue
        for ag_id, (name, missing) in _behind_agencies(deadline).items():
            try:
                with transaction.atomic():
                    DeadlineNotice.objects.create(deadline=deadline, agency_id=ag_id, stage=stage)
                    recipients = list(
                        User.objects.filter(
                            tenant=deadline.tenant, agency_id=ag_id, role__in=KLA_OPD_ROLES, is_active=True
                        )
                    )
                    if stage == DeadlineNotice.Stage.ESCALATION:
                        recipients += list(
                            User.objects.filter(tenant=deadline.tenant, role__in=KLA_SECRETARIAT_ROLES, is_active=True)
                        )
                    with override("id"):
                        title = (
                            gettext("KLA %(kind)s deadline passed: %(agency)s has %(n)d incomplete indicators")
                            if stage == DeadlineNotice.Stage.ESCALATION
                            else gettext("KLA %(kind)s deadline on %(day)s: %(agency)s has %(n)d incomplete indicators")
                        ) % {
                            "kind": deadline.get_kind_display(),
                            "agency": name,
                            "n": missing,
                            "day": clock.format_long_date(deadline.due_on),
                        }
                    notify(
                        recipients=recipients,
                        kind="kla_deadline_escalation"
                        if stage == DeadlineNotice.Stage.ESCALATION
                        else "kla_deadline_reminder",
                        title=title[:200],
                        url=reverse("kla:home"),
                    )
            except IntegrityError:
                continue  # already sent by an earlier run
            sent[stage] += 1
    return sent
