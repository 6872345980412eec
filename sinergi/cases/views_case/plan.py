"""The case plan on the case page: goals, tasks, follow-ups (POST actions, same pattern as actions.py)."""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from sinergi.core import policy

from .. import plan_selectors, services
from ..forms_plan import (
    FollowUpCancelForm,
    FollowUpChangeForm,
    FollowUpForm,
    PlanGoalForm,
    PlanTaskForm,
    PlanTaskStatusForm,
)
from .actions import _open_form, _run
from .page import _case_for, is_plan_stage


def _plan_case(request: HttpRequest, pk: UUID):
    case = _case_for(request, pk)
    policy.require_visible(request.user, "cases.view_case_full", case)
    return case


def _open_plan_form(request: HttpRequest, case, key: str, *, partial: str = "plan") -> HttpResponse:
    """GET of a plan action URL: its form on demand (as the other case actions, see actions._open_form)."""
    policy.require(request.user, "cases.change_case", case)
    if not is_plan_stage(case):
        raise PermissionDenied
    return _open_form(request, case, key, partial=partial)


@login_required
@require_http_methods(["GET", "POST"])
def plan_goal_add(request: HttpRequest, pk: UUID) -> HttpResponse:
    case = _plan_case(request, pk)
    if request.method == "GET":
        return _open_plan_form(request, case, "plan_goal")
    return _run(
        request,
        case,
        "plan_goal",
        PlanGoalForm(request.POST),
        lambda d: services.plan_goal_add(actor=request.user, case=case, text=d["text"]),
        _("Goal added."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_task_add(request: HttpRequest, pk: UUID) -> HttpResponse:
    case = _plan_case(request, pk)
    if request.method == "GET":
        return _open_plan_form(request, case, "plan_task")
    return _run(
        request,
        case,
        "plan_task",
        PlanTaskForm(request.POST, case=case),
        lambda d: services.plan_task_add(
            actor=request.user,
            case=case,
            title=d["title"],
            due_on=d["due_on"],
            owner_agency=d["owner_agency"],
            owner_user=d["owner_user"],
            goal=d["goal"],
        ),
        _("Task added."),
    )


@login_required
@require_POST
def plan_task_status(request: HttpRequest, pk: UUID, task_pk: UUID) -> HttpResponse:
    case = _plan_case(request, pk)
    task = plan_selectors.plan_task_get(case=case, pk=task_pk)
    if task is None:
        raise Http404
    return _run(
        request,
        case,
        "plan_task_status",
        PlanTaskStatusForm(request.POST),
        lambda d: services.plan_task_set_status(actor=request.user, task=task, status=d["status"]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_schedule(request: HttpRequest, pk: UUID) -> HttpResponse:
    case = _plan_case(request, pk)
    if request.method == "GET":
        return _open_plan_form(request, case, "follow_up")
    return _run(
        request,
        case,
        "follow_up",
        FollowUpForm(request.POST, case=case),
        lambda d: services.follow_up_schedule(
            actor=request.user, case=case, kind=d["kind"], starts_at=d["starts_at"], owner=d["owner"], note=d["note"]
        ),
        _("Follow-up scheduled."),
    )


def _follow_up_for(request: HttpRequest, pk: UUID, follow_up_pk: UUID):
    case = _plan_case(request, pk)
    follow_up = plan_selectors.follow_up_get(case=case, pk=follow_up_pk)
    if follow_up is None:
        raise Http404
    return case, follow_up


def _open_follow_up_form(request: HttpRequest, case, follow_up, key: str) -> HttpResponse:
    """GET of a follow-up's move or cancel URL. A cancelled follow-up has left the case page: a 404."""
    if follow_up.is_cancelled:
        raise Http404
    return _open_plan_form(request, case, f"{key}:{follow_up.pk}", partial="follow_up")


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_reschedule(request: HttpRequest, pk: UUID, follow_up_pk: UUID) -> HttpResponse:
    case, follow_up = _follow_up_for(request, pk, follow_up_pk)
    if request.method == "GET":
        return _open_follow_up_form(request, case, follow_up, "follow_up_change")
    return _run(
        request,
        case,
        f"follow_up_change:{follow_up.pk}",
        FollowUpChangeForm(request.POST, follow_up=follow_up),
        lambda d: services.follow_up_reschedule(
            actor=request.user, follow_up=follow_up, starts_at=d["starts_at"], owner=d["owner"]
        ),
        _("Follow-up moved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_cancel(request: HttpRequest, pk: UUID, follow_up_pk: UUID) -> HttpResponse:
    case, follow_up = _follow_up_for(request, pk, follow_up_pk)
    if request.method == "GET":
        return _open_follow_up_form(request, case, follow_up, "follow_up_cancel")
    return _run(
        request,
        case,
        f"follow_up_cancel:{follow_up.pk}",
        FollowUpCancelForm(request.POST, follow_up=follow_up),
        lambda d: services.follow_up_cancel(actor=request.user, follow_up=follow_up, reason=d["reason"]),
        _("Follow-up cancelled."),
    )
