"""Reads of the case plan: goals, tasks and follow-ups of one case (case team only), the open tasks the
closing confirmation lists, and the user's own follow-ups and tasks for the ICS feed."""

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse

from sinergi.core import policy
from sinergi.core.calendar import FeedEvent, register_source

from . import taxonomy as t
from .models import Case, FollowUp, PlanGoal, PlanTask
from .policy import visible_cases_q


def open_plan_tasks(*, case: Case) -> QuerySet[PlanTask]:
    """Plan tasks of the case still open or in progress (closing a case lists them for confirmation)."""
    return (
        PlanTask.objects.filter(case=case, status__in=t.OPEN_PLAN_TASK_STATUSES)
        .select_related("owner_agency", "owner_user")
        .order_by("due_on", "created_at")
    )


def plan_for_case(*, user: Any, case: Case) -> dict[str, list] | None:
    """The plan of a case the user may see in full (None otherwise: the plan is case-team data)."""
    if not policy.can(user, "cases.view_case_full", case):
        return None
    goals = PlanGoal.objects.filter(case=case)
    tasks = PlanTask.objects.filter(case=case).select_related("owner_agency", "owner_user", "goal")
    follow_ups = FollowUp.objects.filter(case=case, is_cancelled=False).select_related("owner", "case")
    # Most cases have no plan yet: one query asks which parts exist, and only those are read.
    present = (
        Case.objects.filter(pk=case.pk)
        .values_list(
            Exists(goals.filter(case_id=OuterRef("pk"))),
            Exists(tasks.filter(case_id=OuterRef("pk"))),
            Exists(follow_ups.filter(case_id=OuterRef("pk"))),
        )
        .first()
    ) or (False, False, False)
    return {
        "goals": list(goals) if present[0] else [],
        "tasks": list(tasks) if present[1] else [],
        "follow_ups": list(follow_ups) if present[2] else [],
    }


def follow_up_get(*, case: Case, pk: Any) -> FollowUp | None:
    return FollowUp.objects.filter(case=case, pk=pk).select_related("case", "owner").first()


def plan_task_get(*, case: Case, pk: Any) -> PlanTask | None:
    return PlanTask.objects.filter(case=case, pk=pk).select_related("case").first()


@register_source
def case_plan_events(*, user: Any, since: dt.datetime):
    """The user's own follow-ups and plan tasks, on cases the user may still open. Case number only.
    A cancelled follow-up stays in the feed as cancelled, so calendar apps drop their copy."""
    visible = visible_cases_q(user)
    if visible is None:
        return
    cases = Case.objects.filter(visible).exclude(stage=t.Stage.CLOSED)
    follow_ups = FollowUp.objects.filter(owner=user, starts_at__gte=since, case__in=cases).select_related("case")
    for item in follow_ups:
        yield FeedEvent(
            uid=f"follow-up-{item.pk}@sinergi",
            summary=f"{item.get_kind_display()} · {item.case.number}",
            start=item.starts_at,
            end=item.starts_at + dt.timedelta(hours=1),
            url=reverse("cases:detail", args=[item.case_id]),
            sequence=item.sequence,
            cancelled=item.is_cancelled,
        )
    tasks = PlanTask.objects.filter(
        owner_user=user, status__in=t.OPEN_PLAN_TASK_STATUSES, due_on__gte=since.date(), case__in=cases
    ).select_related("case")
    for task in tasks:
        yield FeedEvent(
            uid=f"plan-task-{task.pk}@sinergi",
            summary=f"Tenggat rencana kasus {task.case.number}",
            start=task.due_on,
            end=task.due_on + dt.timedelta(days=1),
            url=reverse("cases:detail", args=[task.case_id]),
        )


def open_plan_task_labels(user: Any, case: Case) -> list[str]:
    """One label per open plan task, for the closing confirmation (sinergi.cases.open_items)."""
    if not policy.can(user, "cases.view_case_full", case):
        return []
    return [f"{task.title} ({task.get_status_display()})" for task in open_plan_tasks(case=case)]
