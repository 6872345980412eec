"""The case plan (rencana intervensi): goals, tasks with an owner and a due date, follow-up appointments
and the owners' reminders (sent once per appointment, by the worker)."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import User
from sinergi.audit.services import record as audit
from sinergi.core import clock, policy
from sinergi.tenants.models import Agency

from .. import dates
from .. import taxonomy as t
from ..models import Case, FollowUp, PlanGoal, PlanTask, TimelineEntry
from .common import ERR_DUE, ERR_DUE_TOO_FAR, _timeline

ERR_PLAN_STAGE = _("The case plan is written from the intervention-plan stage on.")
ERR_ONE_OWNER = _("Choose either an agency or a person as the owner.")
ERR_OWNER_TENANT = _("The owner must belong to this regency/city.")
ERR_OWNER_CANNOT_OPEN = _("This person cannot open the case: choose someone of the case team or a referred agency.")
ERR_TEXT = _("This field is required.")
ERR_FOLLOW_UP_PAST = _("A follow-up is scheduled in the future.")
ERR_STATUS = _("Unknown status.")
ERR_KIND = _("Unknown kind of follow-up.")
ERR_FOLLOW_UP_CANCELLED = _("This follow-up was cancelled.")
ERR_FOLLOW_UP_UNCHANGED = _("Choose another time or another owner.")
ERR_CANCEL_REASON = _("Say why the follow-up is cancelled (3 to 500 characters).")

REMIND_AHEAD = dt.timedelta(hours=24)


def _check_plan(actor: Any, case: Case) -> None:
    policy.require(actor, "cases.change_case", case)
    if case.stage not in t.PLAN_STAGES:
        raise ValidationError(ERR_PLAN_STAGE)


def _check_user(user: User | None, case: Case, field: str) -> None:
    if user is None:
        return
    if user.tenant_id != case.tenant_id or not user.is_active:
        raise ValidationError({field: ERR_OWNER_TENANT})
    if not policy.can(user, "cases.view_case", case):
        raise ValidationError({field: ERR_OWNER_CANNOT_OPEN})


@transaction.atomic
def plan_goal_add(*, actor: Any, case: Case, text: str) -> PlanGoal:
    """Add a goal to the case plan."""
    _check_plan(actor, case)
    if not text.strip():
        raise ValidationError({"text": ERR_TEXT})
    goal = PlanGoal.objects.create(tenant_id=case.tenant_id, case=case, text=text.strip(), created_by=actor)
    _timeline(case=case, kind=TimelineEntry.Kind.PLAN, actor=actor, summary=str(_("Plan goal added")))
    audit(actor=actor, action="case.plan_goal_added", obj=case, tenant=case.tenant, fields=["text"])
    return goal


@transaction.atomic
def plan_task_add(
    *,
    actor: Any,
    case: Case,
    title: str,
    due_on: dt.date,
    owner_agency: Agency | None = None,
    owner_user: User | None = None,
    goal: PlanGoal | None = None,
) -> PlanTask:
    """Add a task owned by one agency or one person, due on a date."""
    _check_plan(actor, case)
    if not title.strip():
        raise ValidationError({"title": ERR_TEXT})
    if (owner_agency is None) == (owner_user is None):
        raise ValidationError({"owner_agency": ERR_ONE_OWNER})
    if owner_agency is not None and (owner_agency.tenant_id != case.tenant_id or not owner_agency.is_active):
        raise ValidationError({"owner_agency": ERR_OWNER_TENANT})
    _check_user(owner_user, case, "owner_user")
    if goal is not None and goal.case_id != case.pk:
        raise ValidationError({"goal": _("Choose a goal of this case.")})
    today = dates.today(case.tenant)
    if due_on < today:
        raise ValidationError({"due_on": ERR_DUE})
    if due_on > today + dt.timedelta(days=dates.MAX_DUE_DAYS):
        raise ValidationError({"due_on": ERR_DUE_TOO_FAR})
    task = PlanTask.objects.create(
        tenant_id=case.tenant_id,
        case=case,
        goal=goal,
        title=title.strip(),
        owner_agency=owner_agency,
        owner_user=owner_user,
        due_on=due_on,
        created_by=actor,
    )
    _timeline(case=case, kind=TimelineEntry.Kind.PLAN, actor=actor, summary=str(_("Plan task added")))
    audit(
        actor=actor,
        action="case.plan_task_added",
        obj=case,
        tenant=case.tenant,
        extra={"task": str(task.pk), "due_on": due_on.isoformat()},
    )
    return task


@transaction.atomic
def plan_task_set_status(*, actor: Any, task: PlanTask, status: str) -> PlanTask:
    """Move a plan task to open, in progress, done or cancelled."""
    case = task.case
    policy.require(actor, "cases.change_case", case)
    if status not in t.PlanTaskStatus.values:
        raise ValidationError({"status": ERR_STATUS})
    task = PlanTask.objects.select_for_update().get(pk=task.pk)
    if task.status != status:
        task.status = status
        task.save(update_fields=["status", "updated_at"])
        _timeline(
            case=case,
            kind=TimelineEntry.Kind.PLAN,
            actor=actor,
            summary=str(_("Plan task: %(status)s") % {"status": task.get_status_display()}),
        )
        audit(actor=actor, action="case.plan_task_status", obj=case, tenant=case.tenant, extra={"status": status})
    return task


def _check_follow_up_time(case: Case, starts_at: dt.datetime) -> None:
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": ERR_FOLLOW_UP_PAST})
    if starts_at.date() > dates.today(case.tenant) + dt.timedelta(days=dates.MAX_DUE_DAYS):
        raise ValidationError({"starts_at": ERR_DUE_TOO_FAR})


def _when(case: Case, value: dt.datetime) -> str:
    with clock.override_tenant(case.tenant):
        return clock.format_when(value)


@transaction.atomic
def follow_up_schedule(
    *, actor: Any, case: Case, kind: str, starts_at: dt.datetime, owner: User, note: str = ""
) -> FollowUp:
    """Schedule a follow-up appointment; its owner is reminded the day before (worker)."""
    _check_plan(actor, case)
    if kind not in t.FollowUpKind.values:
        raise ValidationError({"kind": ERR_KIND})
    _check_user(owner, case, "owner")
    _check_follow_up_time(case, starts_at)
    follow_up = FollowUp.objects.create(
        tenant_id=case.tenant_id,
        case=case,
        kind=kind,
        starts_at=starts_at,
        owner=owner,
        note=note.strip(),
        created_by=actor,
    )
    _timeline(
        case=case,
        kind=TimelineEntry.Kind.FOLLOW_UP,
        actor=actor,
        summary=f"{follow_up.get_kind_display()} · {_when(case, starts_at)}",
    )
    audit(
        actor=actor,
        action="case.follow_up_scheduled",
        obj=case,
        tenant=case.tenant,
        extra={"kind": kind, "starts_at": starts_at.isoformat(), "owner": str(owner.pk)},
    )
    return follow_up


def _notify_change(follow_up: FollowUp, recipients: list[User], actor: Any, title: str) -> None:
    from sinergi.notifications.services import notify

    # Only people who may still open the case hear of it (a previous owner whose referral ended does not).
    others = [
        u
        for u in dict.fromkeys(recipients)
        if u.pk != getattr(actor, "pk", None) and policy.can(u, "cases.view_case", follow_up.case)
    ]
    if others:
        notify(
            recipients=others,
            kind="follow_up_changed",
            title=title,
            url=reverse("cases:detail", args=[follow_up.case_id]),
        )


def _locked_follow_up(actor: Any, follow_up: FollowUp) -> tuple[FollowUp, Case]:
    case = follow_up.case
    _check_plan(actor, case)
    locked = FollowUp.objects.select_for_update().select_related("owner").get(pk=follow_up.pk)
    if locked.is_cancelled:
        raise ValidationError(ERR_FOLLOW_UP_CANCELLED)
    return locked, case


@transaction.atomic
def follow_up_reschedule(
    *, actor: Any, follow_up: FollowUp, starts_at: dt.datetime, owner: User | None = None
) -> FollowUp:
    """Move a follow-up to another time and/or owner. The reminder is sent again for the new time, the
    calendar copy is replaced (SEQUENCE), and the owners who did not make the change are told."""
    locked, case = _locked_follow_up(actor, follow_up)
    owner = owner or locked.owner
    _check_user(owner, case, "owner")
    if starts_at == locked.starts_at and owner.pk == locked.owner_id:
        raise ValidationError({"starts_at": ERR_FOLLOW_UP_UNCHANGED})
    _check_follow_up_time(case, starts_at)
    previous_owner, previous_start = locked.owner, locked.starts_at
    locked.starts_at = starts_at
    locked.owner = owner
    locked.sequence += 1
    locked.reminded_at = None
    locked.save(update_fields=["starts_at", "owner", "sequence", "reminded_at"])
    summary = f"{locked.get_kind_display()} · {_when(case, previous_start)} → {_when(case, starts_at)}"
    _timeline(case=case, kind=TimelineEntry.Kind.FOLLOW_UP, actor=actor, summary=summary)
    audit(
        actor=actor,
        action="case.follow_up_rescheduled",
        obj=case,
        tenant=case.tenant,
        extra={
            "follow_up": str(locked.pk),
            "from": previous_start.isoformat(),
            "to": starts_at.isoformat(),
            "owner": str(owner.pk),
            "previous_owner": str(previous_owner.pk),
        },
    )
    _notify_change(locked, [owner, previous_owner], actor, f"{summary} ({case.number})")
    return locked


@transaction.atomic
def follow_up_cancel(*, actor: Any, follow_up: FollowUp, reason: str) -> FollowUp:
    """Cancel a follow-up with a reason: no reminder goes out, the calendar copy shows it cancelled."""
    locked, case = _locked_follow_up(actor, follow_up)
    reason = " ".join(reason.split())
    if not 3 <= len(reason) <= 500:
        raise ValidationError({"reason": ERR_CANCEL_REASON})
    locked.is_cancelled = True
    locked.cancelled_at = timezone.now()
    locked.cancel_reason = reason
    locked.sequence += 1
    locked.save(update_fields=["is_cancelled", "cancelled_at", "cancel_reason", "sequence"])
    summary = str(
        _("%(kind)s %(when)s cancelled") % {"kind": locked.get_kind_display(), "when": _when(case, locked.starts_at)}
    )
    _timeline(case=case, kind=TimelineEntry.Kind.FOLLOW_UP, actor=actor, summary=summary)
    audit(
        actor=actor,
        action="case.follow_up_cancelled",
        obj=case,
        tenant=case.tenant,
        extra={"follow_up": str(locked.pk)},
        fields=["cancel_reason"],
    )
    _notify_change(locked, [locked.owner], actor, f"{summary} ({case.number})")
    return locked


def follow_up_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind each owner of an appointment in the next 24 hours: once per appointment, even when two
    workers run at the same time or one is killed midway (a conditional UPDATE marks the row first,
    in the same transaction as the notification)."""
    from sinergi.notifications.services import notify

    now = now or timezone.now()
    due = FollowUp.objects.filter(
        reminded_at__isnull=True, is_cancelled=False, starts_at__gt=now, starts_at__lte=now + REMIND_AHEAD
    ).exclude(case__stage=t.Stage.CLOSED)
    sent = 0
    for follow_up in due.select_related("case__tenant", "owner").iterator(chunk_size=200):
        with transaction.atomic():
            # The row as it was read: a follow-up moved, given to someone else or cancelled meanwhile
            # (its sequence counted up) is left to the next run, which reads it afresh.
            claimed = FollowUp.objects.filter(
                pk=follow_up.pk, reminded_at__isnull=True, is_cancelled=False, sequence=follow_up.sequence
            ).update(reminded_at=now)
            if not claimed:
                continue
            if not policy.can(follow_up.owner, "cases.view_case", follow_up.case):
                continue  # the owner's access ended (e.g. a declined referral): marked, not told
            when = _when(follow_up.case, follow_up.starts_at)
            notify(
                recipients=[follow_up.owner],
                kind="follow_up_reminder",
                title=str(
                    _("%(kind)s %(when)s (%(number)s)")
                    % {"kind": follow_up.get_kind_display(), "when": when, "number": follow_up.case.number}
                ),
                url=reverse("cases:detail", args=[follow_up.case_id]),
            )
            sent += 1
    return sent
