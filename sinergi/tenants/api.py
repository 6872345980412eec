from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from sinergi.core import policy
from sinergi.core.api import StandardPagination
from sinergi.core.clock import TIMEZONE_CHOICES
from sinergi.regions.models import District, Village

from . import selectors, services
from .models import Agency


class AgencyOutputSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district_id", allow_null=True)
    village = serializers.CharField(source="village_id", allow_null=True)

    class Meta:
        model = Agency
        fields = [
            "id",
            "kind",
            "name",
            "short_name",
            "district",
            "village",
            "email",
            "phone",
            "address",
            "opening_hours",
            "contact_name",
            "contact_position",
            "contact_phone",
            "contact_email",
            "is_public",
            "is_active",
        ]


class AgencyInputSerializer(serializers.Serializer):
    """Parsing only; tenants.services checks the kecamatan/desa belong to the tenant's regency."""

    kind = serializers.ChoiceField(Agency.Kind.choices)
    name = serializers.CharField(max_length=200)
    short_name = serializers.CharField(max_length=60)
    district = serializers.CharField(max_length=8, required=False, allow_blank=True, allow_null=True)
    village = serializers.CharField(max_length=13, required=False, allow_blank=True, allow_null=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    address = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    opening_hours = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    contact_position = serializers.CharField(max_length=150, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    is_public = serializers.BooleanField(required=False)

    def to_changes(self) -> dict:
        changes = dict(self.validated_data)
        for name, model, error in (
            ("district", District, services.ERR_AGENCY_DISTRICT),
            ("village", Village, services.ERR_AGENCY_VILLAGE),
        ):
            if name in changes:
                code = changes[name]
                region = model.objects.filter(pk=code).first() if code else None
                if code and region is None:
                    raise serializers.ValidationError({name: [str(error)]})
                changes[name] = region
        return changes


class TenantOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    code = serializers.CharField()
    name = serializers.CharField()
    office_name = serializers.CharField()
    office_short_name = serializers.CharField()
    service_unit_name = serializers.CharField()
    first_response_hours_critical = serializers.IntegerField()
    first_response_hours = serializers.IntegerField()
    first_response_hours_low_risk = serializers.IntegerField()
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
        operation_id="tenants_agencies_create",
        request=AgencyInputSerializer,
        responses={201: AgencyOutputSerializer},
        summary="Add an agency to the caller's tenant (system admin, office head)",
    )
    def post(self, request):
        data = AgencyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        agency = services.agency_create(actor=request.user, tenant=request.user.tenant, **data.to_changes())
        return Response(AgencyOutputSerializer(agency).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses=AgencyOutputSerializer(many=True),
        parameters=[
            OpenApiParameter("kind", str, enum=Agency.Kind.values, required=False),
            OpenApiParameter("q", str, required=False),
            OpenApiParameter("inactive", str, enum=["1"], required=False, description="Include inactive (admins)"),
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
            include_inactive=request.query_params.get("inactive") == "1"
            and policy.can(request.user, "tenants.add_agency", request.user.tenant),
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

    @extend_schema(
        operation_id="tenants_agencies_update",
        request=AgencyInputSerializer(partial=True),
        responses=AgencyOutputSerializer,
        summary="Change an agency (system admin, office head)",
    )
    def patch(self, request, pk):
        agency = selectors.agency_get_for_user(user=request.user, pk=pk)
        data = AgencyInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        agency = services.agency_update(actor=request.user, agency=agency, changes=data.to_changes())
        return Response(AgencyOutputSerializer(agency).data)


class AgencySetActiveApi(APIView):
    active = True

    def post(self, request, pk):
        agency = selectors.agency_get_for_user(user=request.user, pk=pk)
        agency = services.agency_set_active(actor=request.user, agency=agency, is_active=self.active)
        return Response(AgencyOutputSerializer(agency).data)


class AgencyDeactivateApi(AgencySetActiveApi):
    active = False

    @extend_schema(
        operation_id="tenants_agencies_deactivate",
        request=None,
        responses=AgencyOutputSerializer,
        summary="Deactivate an agency: no new referrals; its users and history stay",
    )
    def post(self, request, pk):
        return super().post(request, pk)


class AgencyReactivateApi(AgencySetActiveApi):
    active = True

    @extend_schema(
        operation_id="tenants_agencies_reactivate", request=None, responses=AgencyOutputSerializer, summary="Reactivate"
    )
    def post(self, request, pk):
        return super().post(request, pk)


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
        first_response_hours_critical = serializers.IntegerField(required=False)
        first_response_hours = serializers.IntegerField(required=False)
        first_response_hours_low_risk = serializers.IntegerField(required=False)
        referral_due_days = serializers.IntegerField(required=False)
        referral_access_grace_days = serializers.IntegerField(required=False)
        small_count_threshold = serializers.IntegerField(required=False)
        small_count_threshold_sexual = serializers.IntegerField(required=False)
        small_count_protection = serializers.IntegerField(required=False)
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
