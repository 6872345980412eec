from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from sinergi.core import policy
from sinergi.core.api import StandardPagination
from sinergi.core.clock import TIMEZONE_CHOICES

from . import selectors, services
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


class TenantSettingsApi(APIView):
    """The tenant's own settings (system admin, office head); every change audited."""

    class SettingsSerializer(serializers.Serializer):
        office_name = serializers.CharField(max_length=200, required=False)
        office_short_name = serializers.CharField(max_length=40, required=False)
        service_unit_name = serializers.CharField(max_length=200, required=False)
        letterhead_parent = serializers.CharField(max_length=200, required=False, allow_blank=True)
        office_address = serializers.CharField(max_length=2000, required=False, allow_blank=True)
        office_phone = serializers.CharField(max_length=60, required=False, allow_blank=True)
        office_email = serializers.EmailField(required=False, allow_blank=True)
        office_website = serializers.CharField(max_length=120, required=False, allow_blank=True)
        letter_city = serializers.CharField(max_length=80, required=False, allow_blank=True)
        letter_number_pattern = serializers.CharField(max_length=120, required=False)
        timezone = serializers.ChoiceField(TIMEZONE_CHOICES, required=False)
        first_response_hours = serializers.IntegerField(required=False)
        first_response_hours_low_risk = serializers.IntegerField(required=False)
        referral_due_days = serializers.IntegerField(required=False)
        referral_access_grace_days = serializers.IntegerField(required=False)
        small_count_threshold = serializers.IntegerField(required=False)
        small_count_threshold_sexual = serializers.IntegerField(required=False)
        public_contacts = serializers.CharField(max_length=4000, required=False, allow_blank=True)
        has_logo = serializers.BooleanField(read_only=True)

        class Meta:
            ref_name = "TenantSettings"

    def _out(self, tenant) -> dict:
        body = {name: getattr(tenant, name) for name in services.EDITABLE}
        body["has_logo"] = bool(tenant.letterhead_logo)
        return body

    @extend_schema(operation_id="tenants_settings_retrieve", responses=SettingsSerializer)
    def get(self, request):
        tenant = request.user.tenant
        policy.require(request.user, "tenants.change_tenant_settings", tenant)
        return Response(self._out(tenant))

    @extend_schema(operation_id="tenants_settings_update", request=SettingsSerializer, responses=SettingsSerializer)
    def patch(self, request):
        tenant = request.user.tenant
        policy.require(request.user, "tenants.change_tenant_settings", tenant)
        data = self.SettingsSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        tenant = services.tenant_settings_update(actor=request.user, tenant=tenant, changes=dict(data.validated_data))
        return Response(self._out(tenant))
