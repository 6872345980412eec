"""The secretariat's aggregates (agreement matrix, UANG completeness) and the personal calendar feed."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sinergi.core import policy

from .. import selectors, services
from .common import _errors, _valid


class MatrixRowSerializer(serializers.Serializer):
    agency_id = serializers.UUIDField(allow_null=True)
    agency = serializers.CharField(allow_null=True)
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="Agreements per status.")
    due = serializers.IntegerField()
    done_on_time = serializers.IntegerField()
    overdue = serializers.IntegerField()
    closure_rate = serializers.FloatField(allow_null=True, help_text="Done on time / due.")

    class Meta:
        ref_name = "TaskforceMatrixRow"


class MatrixApi(APIView):
    class FilterSerializer(serializers.Serializer):
        body = serializers.UUIDField(required=False)
        year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)

        class Meta:
            ref_name = "TaskforceMatrixFilter"

    @extend_schema(
        operation_id="taskforces_matrix",
        summary="Agency × status, closure rate (aggregates)",
        parameters=[FilterSerializer],
        responses={200: MatrixRowSerializer(many=True), **_errors(400, 403)},
    )
    def get(self, request: Request) -> Response:
        d = _valid(self.FilterSerializer, request.query_params)
        policy.require(request.user, "taskforces.view_statistics", request.user.tenant)
        body = selectors.body_get_for_user(user=request.user, pk=d["body"]) if d.get("body") else None
        rows = selectors.agreement_matrix(user=request.user, body=body, year=d.get("year"))
        return Response(
            [
                {
                    "agency_id": str(r.agency.pk) if r.agency else None,
                    "agency": r.agency.short_name if r.agency else None,
                    "counts": r.counts,
                    "due": r.due,
                    "done_on_time": r.done_on_time,
                    "overdue": r.overdue,
                    "closure_rate": r.closure_rate,
                }
                for r in rows
            ]
        )


class UangSummarySerializer(serializers.Serializer):
    body_id = serializers.UUIDField()
    body = serializers.CharField()
    meetings = serializers.IntegerField()
    complete = serializers.IntegerField()
    parts = serializers.DictField(child=serializers.IntegerField())

    class Meta:
        ref_name = "TaskforceUangSummary"


class UangApi(APIView):
    class FilterSerializer(serializers.Serializer):
        year = serializers.IntegerField(min_value=2000, max_value=2100)

        class Meta:
            ref_name = "TaskforceUangFilter"

    @extend_schema(
        operation_id="taskforces_uang",
        summary="UANG completeness per body for a year (aggregates)",
        parameters=[FilterSerializer],
        responses={200: UangSummarySerializer(many=True), **_errors(400, 403)},
    )
    def get(self, request: Request) -> Response:
        d = _valid(self.FilterSerializer, request.query_params)
        summary = selectors.uang_summary(user=request.user, year=d["year"])
        return Response(
            [
                {"body_id": str(b.pk), "body": b.name, "meetings": s.meetings, "complete": s.complete, "parts": s.parts}
                for b, s in summary.items()
            ]
        )


class CalendarFeedApi(APIView):
    class OutputSerializer(serializers.Serializer):
        url = serializers.CharField(help_text="Shown once; anyone with it reads your calendar until revoked.")

        class Meta:
            ref_name = "TaskforceCalendarFeed"

    @extend_schema(
        operation_id="taskforces_calendar_feed_create",
        summary="A new personal ICS feed URL (revokes the previous one)",
        request=None,
        responses={201: OutputSerializer, **_errors(403)},
    )
    def post(self, request: Request) -> Response:
        token = services.calendar_feed_create(actor=request.user)
        url = request.build_absolute_uri(reverse("taskforces:calendar_feed", args=[token]))
        return Response({"url": url}, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="taskforces_calendar_feed_revoke", summary="Revoke my ICS feed URL", responses={204: None}
    )
    def delete(self, request: Request) -> Response:
        services.calendar_feed_revoke(actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
