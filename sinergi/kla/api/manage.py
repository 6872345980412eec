"""Edit and retire (soft-delete) regulation-library items, deadlines and RAD KLA activities over the API.
The same services and permissions as the pages; anything not visible is a 404, retired rows included."""

from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sinergi.core import policy
from sinergi.core.api_support import error_responses, validated_input
from sinergi.core.parsers import JSONParser

from .. import selectors
from ..services import retire
from ..services import workspace as services
from . import ActivityApi, RegulationApi


class RegulationDetailApi(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(operation_id="kla_regulations_get", summary="One regulation", responses={200: dict, 404: None})
    def get(self, request: Request, pk: UUID) -> Response:
        return Response(RegulationApi._out(selectors.regulation_get_for_user(user=request.user, pk=pk)))

    @extend_schema(
        operation_id="kla_regulations_update",
        summary="Edit a regulation (secretariat); without a file the stored one stays",
        request=RegulationApi.InputSerializer,
        responses={200: dict, **error_responses(400, 403, 404)},
    )
    def put(self, request: Request, pk: UUID) -> Response:
        reg = selectors.regulation_get_for_user(user=request.user, pk=pk)
        d = validated_input(RegulationApi.InputSerializer, request.data)
        reg = services.regulation_save(actor=request.user, regulation=reg, uploaded_file=d.pop("file"), **d)
        return Response(RegulationApi._out(reg))

    @extend_schema(
        operation_id="kla_regulations_retire",
        summary="Retire a regulation (kept in history; evidence already linked keeps it)",
        responses={204: None, **error_responses(403, 404)},
    )
    def delete(self, request: Request, pk: UUID) -> Response:
        reg = selectors.regulation_get_for_user(user=request.user, pk=pk)
        retire.regulation_retire(actor=request.user, regulation=reg)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DeadlineDetailApi(APIView):
    @extend_schema(
        operation_id="kla_deadlines_retire",
        summary="Retire a deadline (no more reminders; setting the kind again revives it)",
        responses={204: None, **error_responses(403, 404)},
    )
    def delete(self, request: Request, pk: UUID) -> Response:
        deadline = selectors.deadline_get_for_user(user=request.user, pk=pk)
        retire.deadline_retire(actor=request.user, deadline=deadline)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ActivityDetailApi(APIView):
    @extend_schema(operation_id="kla_activities_get", summary="One RAD KLA activity", responses={200: dict, 404: None})
    def get(self, request: Request, pk: UUID) -> Response:
        return Response(ActivityApi._out(selectors.activity_get_for_user(user=request.user, pk=pk)))

    @extend_schema(
        operation_id="kla_activities_update",
        summary="Edit a RAD KLA activity (secretariat)",
        request=ActivityApi.InputSerializer,
        responses={200: dict, **error_responses(400, 403, 404)},
    )
    def put(self, request: Request, pk: UUID) -> Response:
        user = request.user
        activity = selectors.activity_get_for_user(user=user, pk=pk)
        policy.require(user, "kla.manage_workspace", user.tenant)
        d = validated_input(ActivityApi.InputSerializer, request.data)
        return Response(ActivityApi._out(ActivityApi.save(user, d, activity)))

    @extend_schema(
        operation_id="kla_activities_retire",
        summary="Retire a RAD KLA activity (kept in history)",
        responses={204: None, **error_responses(403, 404)},
    )
    def delete(self, request: Request, pk: UUID) -> Response:
        activity = selectors.activity_get_for_user(user=request.user, pk=pk)
        retire.activity_retire(actor=request.user, activity=activity)
        return Response(status=status.HTTP_204_NO_CONTENT)
