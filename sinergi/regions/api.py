"""Read-only API over the Kemendagri code list (public reference data, still behind authentication)."""

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sinergi.core.api import StandardPagination

from . import selectors
from .models import Village

CODE_HELP = "Dotted Kemendagri code (Kepmendagri 300.2.2-2138/2025)."
PROVINCE_CODE_RE = r"^[0-9]{2}$"
REGENCY_CODE_RE = r"^[0-9]{2}\.[0-9]{2}$"
DISTRICT_CODE_RE = r"^[0-9]{2}\.[0-9]{2}\.[0-9]{2}$"


def _code_path_parameter(example: str) -> OpenApiParameter:
    return OpenApiParameter("code", str, OpenApiParameter.PATH, description=f"{CODE_HELP} Example: {example}")


@extend_schema_serializer(component_name="RegionRef")
class RegionRefSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=CODE_HELP)
    name = serializers.CharField()


class _ListApi(APIView):
    """A paginated list: subclasses parse filters and pick the selector."""

    pagination_class = StandardPagination

    def paginated(self, request: Request, queryset: QuerySet, serializer_class: type) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(serializer_class(page, many=True).data)


class _SearchFilter(serializers.Serializer):
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="Case-insensitive part of the name."
    )


# ---- Provinces ---------------------------------------------------------------------------------


class ProvinceListApi(_ListApi):
    """Provinces, optionally filtered by name."""

    class FilterSerializer(_SearchFilter):
        pass

    @extend_schema_serializer(component_name="RegionProvince")
    class OutputSerializer(serializers.Serializer):
        code = serializers.CharField(help_text=CODE_HELP)
        name = serializers.CharField()

    @extend_schema(tags=["regions"], parameters=[FilterSerializer], responses=OutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        return self.paginated(request, selectors.province_list(**filters.validated_data), self.OutputSerializer)


class ProvinceDetailApi(APIView):
    """One province by code."""

    @extend_schema(
        tags=["regions"], parameters=[_code_path_parameter("64")], responses=ProvinceListApi.OutputSerializer
    )
    def get(self, request: Request, code: str) -> Response:
        province = selectors.province_get(code=code)
        if province is None:
            raise Http404
        return Response(ProvinceListApi.OutputSerializer(province).data)


# ---- Regencies (kabupaten/kota) ----------------------------------------------------------------


class RegencyListApi(_ListApi):
    """Kabupaten/kota, filtered by province and/or name."""

    class FilterSerializer(_SearchFilter):
        province = serializers.RegexField(PROVINCE_CODE_RE, required=False, help_text="Province code, e.g. 64.")

    @extend_schema_serializer(component_name="RegionRegency")
    class OutputSerializer(serializers.Serializer):
        code = serializers.CharField(help_text=CODE_HELP)
        name = serializers.CharField()
        is_kota = serializers.BooleanField()
        province = RegionRefSerializer()

    @extend_schema(tags=["regions"], parameters=[FilterSerializer], responses=OutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        queryset = selectors.regency_list(province_code=data.get("province"), q=data.get("q"))
        return self.paginated(request, queryset, self.OutputSerializer)


class RegencyDetailApi(APIView):
    """One kabupaten/kota by code."""

    @extend_schema(
        tags=["regions"], parameters=[_code_path_parameter("64.02")], responses=RegencyListApi.OutputSerializer
    )
    def get(self, request: Request, code: str) -> Response:
        regency = selectors.regency_get(code=code)
        if regency is None:
            raise Http404
        return Response(RegencyListApi.OutputSerializer(regency).data)


# ---- Districts (kecamatan) ---------------------------------------------------------------------


class DistrictListApi(_ListApi):
    """Kecamatan, filtered by kabupaten/kota and/or name."""

    class FilterSerializer(_SearchFilter):
        regency = serializers.RegexField(REGENCY_CODE_RE, required=False, help_text="Regency code, e.g. 64.02.")

    @extend_schema_serializer(component_name="RegionDistrict")
    class OutputSerializer(serializers.Serializer):
        code = serializers.CharField(help_text=CODE_HELP)
        name = serializers.CharField()
        regency = RegionRefSerializer()
        province = RegionRefSerializer(source="regency.province")

    @extend_schema(tags=["regions"], parameters=[FilterSerializer], responses=OutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        queryset = selectors.district_list(regency_code=data.get("regency"), q=data.get("q")).select_related(
            "regency__province"
        )
        return self.paginated(request, queryset, self.OutputSerializer)


class DistrictDetailApi(APIView):
    """One kecamatan by code."""

    @extend_schema(
        tags=["regions"], parameters=[_code_path_parameter("64.02.01")], responses=DistrictListApi.OutputSerializer
    )
    def get(self, request: Request, code: str) -> Response:
        district = selectors.district_get(code=code)
        if district is None:
            raise Http404
        return Response(DistrictListApi.OutputSerializer(district).data)


# ---- Villages (desa/kelurahan) -----------------------------------------------------------------


class VillageListApi(_ListApi):
    """Desa/kelurahan, filtered by kecamatan, kabupaten/kota, kind and/or name."""

    class FilterSerializer(_SearchFilter):
        district = serializers.RegexField(DISTRICT_CODE_RE, required=False, help_text="Kecamatan code, e.g. 64.02.01.")
        regency = serializers.RegexField(REGENCY_CODE_RE, required=False, help_text="Regency code, e.g. 64.02.")
        kind = serializers.ChoiceField(choices=Village.Kind.choices, required=False)

    @extend_schema_serializer(component_name="RegionVillage")
    class OutputSerializer(serializers.Serializer):
        code = serializers.CharField(help_text=CODE_HELP)
        name = serializers.CharField()
        kind = serializers.ChoiceField(choices=Village.Kind.choices)
        label = serializers.CharField(source="prefixed_name", help_text="Name with Kel./Desa prefix.")
        district = RegionRefSerializer()
        regency = RegionRefSerializer(source="district.regency")
        province = RegionRefSerializer(source="district.regency.province")

    @extend_schema(tags=["regions"], parameters=[FilterSerializer], responses=OutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        queryset = selectors.village_list(
            district_code=data.get("district"), regency_code=data.get("regency"), kind=data.get("kind"), q=data.get("q")
        ).select_related("district__regency__province")
        return self.paginated(request, queryset, self.OutputSerializer)


class VillageDetailApi(APIView):
    """One desa/kelurahan by code."""

    @extend_schema(
        tags=["regions"],
        parameters=[_code_path_parameter("64.02.01.2001")],
        responses=VillageListApi.OutputSerializer,
    )
    def get(self, request: Request, code: str) -> Response:
        village = selectors.village_get(code=code)
        if village is None:
            raise Http404
        return Response(VillageListApi.OutputSerializer(village).data)
