"""API of the office's data map, mounted at /api/v1/maps/ (the page's charts and tables read from here).

Every endpoint goes through sinergi.maps.policy (inside the selectors); `?format=csv|xlsx` downloads the
same table. Only the asker's own tenant is ever read.
"""

import json

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sinergi.cases.statistics import period_for
from sinergi.core import policy
from sinergi.core.api_support import error_responses, validated_query
from sinergi.documents.api import IgnoreAcceptNegotiation
from sinergi.regions.selectors import boundaries_geojson_bytes

from . import downloads, office, population
from .coverage import satgas_coverage
from .performance import service_performance

_FORMAT = serializers.ChoiceField(downloads.FORMATS, required=False, default="json")
_FILE = OpenApiResponse(OpenApiTypes.BINARY, description="With `format=csv` or `format=xlsx`: the same table.")


class PeriodQuery(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=9999, required=False, allow_null=True, default=None)
    date_from = serializers.DateField(required=False, allow_null=True, default=None)
    date_to = serializers.DateField(required=False, allow_null=True, default=None)
    format = _FORMAT

    class Meta:
        ref_name = "MapsPeriodQuery"


class MapQuerySerializer(PeriodQuery):
    level = serializers.ChoiceField(office.LEVELS, required=False, default="kecamatan")
    category = serializers.CharField(required=False, allow_blank=True, default="")
    form = serializers.CharField(required=False, allow_blank=True, default="")
    age_band = serializers.CharField(required=False, allow_blank=True, default="")
    sex = serializers.CharField(required=False, allow_blank=True, default="")

    class Meta:
        ref_name = "MapsOfficeQuery"


def map_query_from(request: Request) -> tuple[office.MapQuery, str]:
    d = validated_query(MapQuerySerializer, request)
    fmt = d.pop("format")
    return office.map_query(**d), fmt


def _default_year(d: dict, request: Request) -> dict:
    from sinergi.core.clock import tenant_today

    if d.get("year") is None and not (d.get("date_from") or d.get("date_to")):
        d["year"] = tenant_today(request.user.tenant).year
    return d


class _Base(APIView):
    content_negotiation_class = IgnoreAcceptNegotiation


class OfficeMapApi(_Base):
    @extend_schema(
        operation_id="maps_office",
        summary="Cases and victims per kecamatan or kelurahan (exact, or protected below kecamatan for analysts)",
        parameters=[MapQuerySerializer],
        responses={200: OpenApiTypes.OBJECT, (200, "text/csv"): _FILE, **error_responses(400, 403)},
    )
    def get(self, request: Request) -> Response | HttpResponse:
        tenant = request.user.tenant
        policy.require(request.user, "maps.view_office_map", tenant)
        d = _default_year(validated_query(MapQuerySerializer, request), request)
        fmt = d.pop("format")
        q = office.map_query(**d)
        data = office.office_map(user=request.user, tenant=tenant, q=q)
        if fmt != "json":
            name = f"peta-{tenant.code_compact}-{q.level}-{q.period.slug}"
            return downloads.table_response(downloads.map_rows(data), fmt=fmt, filename=name)
        return Response(data)


class OfficeRegionApi(_Base):
    @extend_schema(
        operation_id="maps_office_region",
        summary="One kecamatan or kelurahan: totals, trend per month and breakdowns",
        parameters=[MapQuerySerializer],
        responses={200: OpenApiTypes.OBJECT, (200, "text/csv"): _FILE, **error_responses(400, 403, 404)},
    )
    def get(self, request: Request, code: str) -> Response | HttpResponse:
        tenant = request.user.tenant
        policy.require(request.user, "maps.view_office_map", tenant)
        d = _default_year(validated_query(MapQuerySerializer, request), request)
        fmt = d.pop("format")
        q = office.map_query(**d)
        data = office.region_detail(user=request.user, tenant=tenant, q=q, code=code)
        if fmt != "json":
            name = f"wilayah-{code.replace('.', '')}-{q.period.slug}"
            return downloads.table_response(downloads.region_rows(data), fmt=fmt, filename=name)
        return Response(data)


class BoundariesApi(_Base):
    @extend_schema(
        operation_id="maps_boundaries",
        summary="GeoJSON boundaries of my regency's kecamatan or kelurahan/desa (vendored, no tile server)",
        responses={(200, "application/geo+json"): OpenApiTypes.OBJECT, **error_responses(403, 404)},
    )
    def get(self, request: Request, level: str) -> HttpResponse:
        tenant = request.user.tenant
        policy.require(request.user, "maps.view_office_map", tenant)
        file_level = {"kecamatan": "kecamatan", "kelurahan": "desa_kelurahan"}.get(level)
        payload = boundaries_geojson_bytes(level=file_level, regency_code=tenant.regency_id) if file_level else None
        if payload is None:
            payload = json.dumps({"type": "FeatureCollection", "features": []}).encode()
        response = HttpResponse(payload, content_type="application/geo+json")
        response["Cache-Control"] = "private, max-age=3600"
        return response


class PerformanceApi(_Base):
    @extend_schema(
        operation_id="maps_performance",
        summary="Service performance per agency and service, with the monthly trend",
        parameters=[PeriodQuery],
        responses={200: OpenApiTypes.OBJECT, (200, "text/csv"): _FILE, **error_responses(400, 403)},
    )
    def get(self, request: Request) -> Response | HttpResponse:
        tenant = request.user.tenant
        policy.require(request.user, "maps.view_service_performance", tenant)
        d = _default_year(validated_query(PeriodQuery, request), request)
        fmt = d.pop("format")
        period = period_for(**d)
        data = service_performance(user=request.user, tenant=tenant, period=period)
        if fmt != "json":
            rows = downloads.performance_rows(data)
            if request.query_params.get("table") == "trend":
                rows = downloads.performance_trend_rows(data)
            return downloads.table_response(rows, fmt=fmt, filename=f"kinerja-layanan-{period.slug}")
        return Response(data)


class CoverageApi(_Base):
    class Query(serializers.Serializer):
        format = _FORMAT

        class Meta:
            ref_name = "MapsCoverageQuery"

    @extend_schema(
        operation_id="maps_satgas_coverage",
        summary="Satgas PPA coverage per kelurahan/desa",
        parameters=[Query],
        responses={200: OpenApiTypes.OBJECT, (200, "text/csv"): _FILE, **error_responses(400, 403)},
    )
    def get(self, request: Request) -> Response | HttpResponse:
        tenant = request.user.tenant
        fmt = validated_query(self.Query, request)["format"]
        data = satgas_coverage(user=request.user, tenant=tenant)
        if fmt != "json":
            return downloads.table_response(
                downloads.coverage_rows(data), fmt=fmt, filename=f"cakupan-satgas-{tenant.code_compact}"
            )
        return Response(data)


class ChildPopulationApi(APIView):
    parser_classes = [MultiPartParser]

    class ImportSerializer(serializers.Serializer):
        file = serializers.FileField(help_text="CSV: tahun, kode_wilayah, jumlah_anak (header row first).")

        class Meta:
            ref_name = "ChildPopulationImport"

    @extend_schema(
        operation_id="maps_child_population",
        summary="Imported child population: years and regions",
        responses={200: OpenApiTypes.OBJECT, **error_responses(403)},
    )
    def get(self, request: Request) -> Response:
        tenant = request.user.tenant
        policy.require(request.user, "maps.view_office_map", tenant)
        return Response({"years": population.population_years(tenant=tenant)})

    @extend_schema(
        operation_id="maps_child_population_import",
        summary="Import child population per kecamatan/kelurahan and year (all rows or none)",
        request={"multipart/form-data": ImportSerializer},
        responses={201: OpenApiTypes.OBJECT, **error_responses(400, 403)},
    )
    def post(self, request: Request) -> Response:
        tenant = request.user.tenant
        policy.require(request.user, "maps.import_child_population", tenant)
        upload = request.FILES.get("file")
        if upload is None:
            return Response({"errors": [{"line": 0, "message": str(population.ERR_FILE)}]}, status=400)
        try:
            n = population.child_population_import(
                actor=request.user, tenant=tenant, raw=upload.read(population.MAX_BYTES + 1)
            )
        except population.PopulationImportError as exc:
            return Response({"errors": [{"line": e.line, "message": e.message} for e in exc.row_errors]}, status=400)
        return Response({"rows": n}, status=201)
