"""Statistics and the SIMFONI-PPA export."""

from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sinergi.core import policy
from sinergi.core.api_support import (
    error_responses,
    validated_query,
)
from sinergi.documents.api import (
    IgnoreAcceptNegotiation,
)
from sinergi.jobs.api import JobSerializer, job_accepted

from .common import DEFAULT_THROTTLES, ExportThrottle


class StatisticsApi(APIView):
    class FilterSerializer(serializers.Serializer):
        year = serializers.IntegerField(min_value=2000, max_value=9999)
        month = serializers.IntegerField(min_value=1, max_value=12, required=False, allow_null=True, default=None)

        class Meta:
            ref_name = "StatisticsPeriod"

    class OutputSerializer(serializers.Serializer):
        class TableSerializer(serializers.Serializer):
            class RowSerializer(serializers.Serializer):
                key = serializers.CharField(allow_blank=True)
                label = serializers.CharField()
                count = serializers.IntegerField()
                percent = serializers.FloatField()

                class Meta:
                    ref_name = "StatisticsRow"

            slug = serializers.CharField()
            title = serializers.CharField()
            unit = serializers.CharField()
            base = serializers.IntegerField()
            rows = RowSerializer(many=True)

            class Meta:
                ref_name = "StatisticsTable"

        period = serializers.DictField(child=serializers.DateField(), help_text="`from` and `to`, both included.")
        totals = serializers.DictField(child=serializers.IntegerField())
        tables = TableSerializer(many=True)
        by_month = TableSerializer(allow_null=True, help_text="Cases per month, for a whole year only.")

        class Meta:
            ref_name = "Statistics"

    @extend_schema(
        operation_id="cases_statistics",
        summary="Monthly (or yearly) aggregates of my regency/city",
        parameters=[FilterSerializer],
        responses={200: OutputSerializer, **error_responses(400, 403)},
    )
    def get(self, request: Request) -> Response:
        from ..statistics import monthly_statistics

        d = validated_query(self.FilterSerializer, request)
        stats = monthly_statistics(user=request.user, tenant=request.user.tenant, year=d["year"], month=d["month"])

        def table(tbl: Any) -> dict | None:
            if tbl is None:
                return None
            rows = [{"key": r.key, "label": r.label, "count": r.count, "percent": r.percent} for r in tbl.rows]
            return {"slug": tbl.slug, "title": tbl.title, "unit": tbl.unit, "base": tbl.base, "rows": rows}

        body = {
            "period": stats.period.as_dict(),
            "totals": stats.totals,
            "tables": [table(tbl) for tbl in stats.tables],
            "by_month": table(stats.by_month),
        }
        return Response(body)


class SimfoniExportApi(APIView):
    content_negotiation_class = IgnoreAcceptNegotiation
    throttle_classes = [*DEFAULT_THROTTLES, ExportThrottle]

    class FilterSerializer(serializers.Serializer):
        format = serializers.ChoiceField([("csv", "CSV"), ("xlsx", "XLSX")], required=False, default="csv")
        year = serializers.IntegerField(min_value=2000, max_value=9999, required=False, allow_null=True, default=None)
        month = serializers.IntegerField(min_value=1, max_value=12, required=False, allow_null=True, default=None)
        date_from = serializers.DateField(required=False, allow_null=True, default=None)
        date_to = serializers.DateField(required=False, allow_null=True, default=None)

        class Meta:
            ref_name = "SimfoniExportQuery"

    @extend_schema(
        operation_id="cases_export_simfoni",
        summary="One row per victim in the SIMFONI-PPA categories (audited)",
        parameters=[FilterSerializer],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="CSV export."),
            202: OpenApiResponse(
                JobSerializer,
                description="XLSX: a background job was started; follow `url` (also in `Location`) for its progress.",
            ),
            **error_responses(400, 403, 429),
        },
    )
    def get(self, request: Request) -> HttpResponse | Response:
        from .. import exports
        from ..statistics import period_for

        tenant = request.user.tenant
        policy.require(request.user, "cases.export_simfoni", tenant)
        d = validated_query(self.FilterSerializer, request)
        period = period_for(year=d["year"], month=d["month"], date_from=d["date_from"], date_to=d["date_to"])
        if d["format"] == "xlsx":
            from sinergi.jobs.services import job_start

            from ..jobs import SIMFONI_XLSX, period_params

            return job_accepted(job_start(actor=request.user, kind=SIMFONI_XLSX, params=period_params(period)))
        export = exports.simfoni_export(actor=request.user, tenant=tenant, period=period, fmt="csv")
        filename = f"simfoni-ppa-{tenant.code_compact}-{export.period.slug}.{export.fmt}"
        response = StreamingHttpResponse(exports.csv_lines(export.rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response
