from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from sinergi.core import policy
from sinergi.core.api import StandardPagination

from . import selectors
from .models import Agency


class AgencyOutputSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district_id", allow_null=True)
    village = serializers.CharField(source="village_id", allow_null=True)

    class Meta:
        model = Agency
        fields = ["id", "kind", "name", "short_name", "district", "village", "email", "phone", "is_active"]


class TenantOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    code = serializers.CharField()
    name = serializers.CharField()
    office_name = serializers.CharField()
    office_short_name = serializers.CharField()
    service_unit_name = serializers.CharField()
    first_response_hours = serializers.IntegerField()
    referral_due_days = serializers.IntegerField()


class CurrentTenantApi(APIView):
    @extend_schema(responses=TenantOutputSerializer, summary="The caller's tenant (kabupaten/kota)")
    def get(self, request):
        tenant = request.user.tenant
        policy.require_visible(request.user, "tenants.view_tenant", tenant)
        return Response(TenantOutputSerializer(tenant).data)


class AgencyListApi(APIView):
    pagination_class = StandardPagination  # documents the paginated body in the OpenAPI schema

    @extend_schema(
        responses=AgencyOutputSerializer(many=True),
        parameters=[
            OpenApiParameter("kind", str, enum=Agency.Kind.values, required=False),
            OpenApiParameter("q", str, required=False),
        ],
        summary="Agencies of the caller's tenant",
    )
    def get(self, request):
        policy.require(request.user, "tenants.view_tenant", request.user.tenant)
        kind = request.query_params.get("kind", "")
        qs = selectors.agency_list_for_user(
            user=request.user,
            kind=kind if kind in Agency.Kind.values else "",
            q=request.query_params.get("q", "")[:100],
        )
        paginator = StandardPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(AgencyOutputSerializer(page, many=True).data)


class AgencyDetailApi(APIView):
    @extend_schema(responses=AgencyOutputSerializer, summary="One agency (404 outside the caller's tenant)")
    def get(self, request, pk):
        agency = selectors.agency_get_for_user(user=request.user, pk=pk)
        policy.require_visible(request.user, "tenants.view_agency", agency)
        return Response(AgencyOutputSerializer(agency).data)
