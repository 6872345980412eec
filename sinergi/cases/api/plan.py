"""The case plan through the API: goals, tasks with an owner, follow-ups (case team, under the case policy)."""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sinergi.accounts.models import User
from sinergi.core import policy
from sinergi.core.api_support import error_responses, optional_text, validated_input
from sinergi.tenants.models import Agency

from .. import plan_selectors, services
from .. import taxonomy as t
from ..models import FollowUp, PlanGoal, PlanTask
from .common import _case_for


def _goal_out(goal: PlanGoal) -> dict:
    return {"id": str(goal.pk), "text": goal.text, "created_at": goal.created_at.isoformat()}


def _task_out(task: PlanTask) -> dict:
    return {
        "id": str(task.pk),
        "title": task.title,
        "goal": str(task.goal_id) if task.goal_id else None,
        "owner_agency": str(task.owner_agency_id) if task.owner_agency_id else None,
        "owner_user": str(task.owner_user_id) if task.owner_user_id else None,
        "due_on": task.due_on.isoformat(),
        "status": task.status,
    }


def _follow_up_out(item: FollowUp) -> dict:
    return {
        "id": str(item.pk),
        "kind": item.kind,
        "starts_at": item.starts_at.isoformat(),
        "owner": str(item.owner_id),
        "note": item.note,
        "reminded_at": item.reminded_at.isoformat() if item.reminded_at else None,
        "is_cancelled": item.is_cancelled,
        "cancel_reason": item.cancel_reason,
        "sequence": item.sequence,
    }


class PlanGoalOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    text = serializers.CharField()
    created_at = serializers.DateTimeField()


class PlanTaskOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    title = serializers.CharField()
    goal = serializers.UUIDField(allow_null=True)
    owner_agency = serializers.UUIDField(allow_null=True)
    owner_user = serializers.UUIDField(allow_null=True)
    due_on = serializers.DateField()
    status = serializers.ChoiceField(t.PlanTaskStatus.choices)


class FollowUpOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.ChoiceField(t.FollowUpKind.choices)
    starts_at = serializers.DateTimeField()
    owner = serializers.UUIDField()
    note = serializers.CharField(allow_blank=True)
    reminded_at = serializers.DateTimeField(allow_null=True)
    is_cancelled = serializers.BooleanField()
    cancel_reason = serializers.CharField(allow_blank=True)
    sequence = serializers.IntegerField(help_text="Counts each change (the ICS SEQUENCE).")


class CasePlanOutputSerializer(serializers.Serializer):
    goals = PlanGoalOutputSerializer(many=True)
    tasks = PlanTaskOutputSerializer(many=True)
    follow_ups = FollowUpOutputSerializer(many=True)


def _tenant_user(case, pk: UUID, field: str) -> User:
    """A user of the case's tenant named in the input (400 otherwise; the service checks the rest)."""
    user = User.objects.filter(pk=pk, tenant_id=case.tenant_id).first()
    if user is None:
        raise ValidationError({field: services.plan.ERR_OWNER_TENANT})
    return user


def _plan_case(request: Request, pk: UUID):
    case = _case_for(request, pk)
    # The plan is case-team data: to a referred agency it does not exist.
    policy.require_visible(request.user, "cases.view_case_full", case)
    return case


class CasePlanApi(APIView):
    @extend_schema(
        operation_id="cases_plan_get",
        summary="The case plan: goals, tasks and follow-ups (case team)",
        responses={200: CasePlanOutputSerializer, **error_responses(404)},
    )
    def get(self, request: Request, pk: UUID) -> Response:
        case = _plan_case(request, pk)
        plan = plan_selectors.plan_for_case(user=request.user, case=case) or {}
        return Response(
            {
                "goals": [_goal_out(g) for g in plan.get("goals", [])],
                "tasks": [_task_out(x) for x in plan.get("tasks", [])],
                "follow_ups": [_follow_up_out(f) for f in plan.get("follow_ups", [])],
            }
        )


class CasePlanGoalsApi(APIView):
    class InputSerializer(serializers.Serializer):
        text = serializers.CharField(max_length=2000)

        class Meta:
            ref_name = "PlanGoalCreate"

    @extend_schema(
        operation_id="cases_plan_goal_add",
        summary="Add a goal to the case plan (from the intervention-plan stage)",
        request=InputSerializer,
        responses={201: PlanGoalOutputSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        case = _plan_case(request, pk)
        d = validated_input(self.InputSerializer, request.data)
        goal = services.plan_goal_add(actor=request.user, case=case, text=d["text"])
        return Response(_goal_out(goal), status=status.HTTP_201_CREATED)


class CasePlanTasksApi(APIView):
    class InputSerializer(serializers.Serializer):
        title = serializers.CharField(max_length=500)
        due_on = serializers.DateField()
        owner_agency = serializers.UUIDField(required=False, allow_null=True, default=None)
        owner_user = serializers.UUIDField(required=False, allow_null=True, default=None)
        goal = serializers.UUIDField(required=False, allow_null=True, default=None)

        class Meta:
            ref_name = "PlanTaskCreate"

    @extend_schema(
        operation_id="cases_plan_task_add",
        summary="Add a plan task owned by an agency or a person",
        request=InputSerializer,
        responses={201: PlanTaskOutputSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        case = _plan_case(request, pk)
        d = validated_input(self.InputSerializer, request.data)
        agency = user = goal = None
        if d["owner_agency"]:
            agency = Agency.objects.filter(pk=d["owner_agency"], tenant_id=case.tenant_id).first()
            if agency is None:
                raise ValidationError({"owner_agency": services.plan.ERR_OWNER_TENANT})
        if d["owner_user"]:
            user = _tenant_user(case, d["owner_user"], "owner_user")
        if d["goal"]:
            goal = PlanGoal.objects.filter(pk=d["goal"], case=case).first()
            if goal is None:
                raise ValidationError({"goal": "Choose a goal of this case."})
        task = services.plan_task_add(
            actor=request.user,
            case=case,
            title=d["title"],
            due_on=d["due_on"],
            owner_agency=agency,
            owner_user=user,
            goal=goal,
        )
        return Response(_task_out(task), status=status.HTTP_201_CREATED)


class CasePlanTaskApi(APIView):
    class InputSerializer(serializers.Serializer):
        status = serializers.ChoiceField(t.PlanTaskStatus.choices)

        class Meta:
            ref_name = "PlanTaskStatus"

    @extend_schema(
        operation_id="cases_plan_task_status",
        summary="Change the status of a plan task",
        request=InputSerializer,
        responses={200: PlanTaskOutputSerializer, **error_responses(400, 403, 404)},
    )
    def patch(self, request: Request, pk: UUID, task_pk: UUID) -> Response:
        case = _plan_case(request, pk)
        task = plan_selectors.plan_task_get(case=case, pk=task_pk)
        if task is None:
            raise Http404
        d = validated_input(self.InputSerializer, request.data)
        task = services.plan_task_set_status(actor=request.user, task=task, status=d["status"])
        return Response(_task_out(task))


class CaseFollowUpsApi(APIView):
    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(t.FollowUpKind.choices)
        starts_at = serializers.DateTimeField(help_text="With an offset, or read in the tenant's zone.")
        owner = serializers.UUIDField()
        note = optional_text(2000)

        class Meta:
            ref_name = "FollowUpCreate"

    @extend_schema(
        operation_id="cases_follow_up_schedule",
        summary="Schedule a follow-up (home visit, monitoring, counselling, court hearing); the owner is reminded",
        request=InputSerializer,
        responses={201: FollowUpOutputSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        case = _plan_case(request, pk)
        d = validated_input(self.InputSerializer, request.data)
        owner = _tenant_user(case, d["owner"], "owner")
        item = services.follow_up_schedule(
            actor=request.user, case=case, kind=d["kind"], starts_at=d["starts_at"], owner=owner, note=d["note"]
        )
        return Response(_follow_up_out(item), status=status.HTTP_201_CREATED)


def _follow_up_for(request: Request, pk: UUID, follow_up_pk: UUID):
    case = _plan_case(request, pk)
    item = plan_selectors.follow_up_get(case=case, pk=follow_up_pk)
    if item is None:
        raise Http404
    return case, item


class CaseFollowUpApi(APIView):
    class InputSerializer(serializers.Serializer):
        starts_at = serializers.DateTimeField(help_text="With an offset, or read in the tenant's zone.")
        owner = serializers.UUIDField(required=False, allow_null=True, default=None)

        class Meta:
            ref_name = "FollowUpReschedule"

    @extend_schema(
        operation_id="cases_follow_up_reschedule",
        summary="Move a follow-up to another time or owner; the reminder goes again for the new time",
        request=InputSerializer,
        responses={200: FollowUpOutputSerializer, **error_responses(400, 403, 404)},
    )
    def patch(self, request: Request, pk: UUID, follow_up_pk: UUID) -> Response:
        case, item = _follow_up_for(request, pk, follow_up_pk)
        d = validated_input(self.InputSerializer, request.data)
        owner = None
        if d["owner"]:
            owner = _tenant_user(case, d["owner"], "owner")
        item = services.follow_up_reschedule(actor=request.user, follow_up=item, starts_at=d["starts_at"], owner=owner)
        return Response(_follow_up_out(item))


class CaseFollowUpCancelApi(APIView):
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=500)

        class Meta:
            ref_name = "FollowUpCancel"

    @extend_schema(
        operation_id="cases_follow_up_cancel",
        summary="Cancel a follow-up with a reason (no reminder; the calendar copy shows it cancelled)",
        request=InputSerializer,
        responses={200: FollowUpOutputSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, pk: UUID, follow_up_pk: UUID) -> Response:
        _case, item = _follow_up_for(request, pk, follow_up_pk)
        d = validated_input(self.InputSerializer, request.data)
        item = services.follow_up_cancel(actor=request.user, follow_up=item, reason=d["reason"])
        return Response(_follow_up_out(item))
