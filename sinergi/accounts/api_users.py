"""The tenant's user administration in the API: the same services, the same policy as the pages."""

from uuid import UUID

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from sinergi.core.api import StandardPagination
from sinergi.core.api_support import paginated
from sinergi.core.http import AuthenticatedRequest
from sinergi.tenants.models import Agency

from . import selectors, services
from .roles import Role
from .services.users import ERR_AGENCY

NOT_FOUND = OpenApiResponse(description="No such user in your tenant.")
FORBIDDEN = OpenApiResponse(description="Visible, but you may not do this (role, yourself, last admin).")


class UserAdminSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    username = serializers.CharField()
    full_name = serializers.CharField()
    email = serializers.EmailField()
    phone = serializers.CharField()
    role = serializers.ChoiceField(Role.choices)
    agency = serializers.UUIDField(source="agency_id", allow_null=True)
    is_active = serializers.BooleanField()
    last_login = serializers.DateTimeField(allow_null=True)
    has_second_factor = serializers.SerializerMethodField()

    class Meta:
        ref_name = "AdminUser"

    def get_has_second_factor(self, obj) -> bool:
        return selectors.user_has_second_factor(user=obj)


class UserCreatedSerializer(UserAdminSerializer):
    initial_password = serializers.CharField(
        allow_null=True,
        help_text="Only for a user without e-mail address, and only in this response; else null (a link is sent).",
    )

    class Meta:
        ref_name = "AdminUserCreated"


def _agency(request: AuthenticatedRequest, pk) -> Agency | None:
    # Another tenant's agency is refused by the service like a missing one (no existence leak).
    return Agency.objects.filter(pk=pk, tenant_id=request.user.tenant_id).first() if pk else None  # type: ignore[misc]


class UserCreateInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    full_name = serializers.CharField(max_length=150)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    role = serializers.ChoiceField(Role.choices)
    agency = serializers.UUIDField()


class UserUpdateInputSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=150, required=False)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    role = serializers.ChoiceField(Role.choices, required=False)
    agency = serializers.UUIDField(required=False)


class OtpResetInputSerializer(serializers.Serializer):
    reason = serializers.CharField(min_length=10, max_length=500)


class UserListCreateApi(APIView):
    pagination_class = StandardPagination

    @extend_schema(
        operation_id="accounts_users_list",
        summary="Users of your tenant (system admin, office head)",
        parameters=[
            OpenApiParameter("q", str, required=False, description="Name, username or e-mail contains"),
            OpenApiParameter("role", str, enum=Role.values, required=False),
            OpenApiParameter("agency", str, required=False),
            OpenApiParameter("status", str, enum=["active", "inactive", "all"], required=False),
        ],
        responses=UserAdminSerializer(many=True),
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        params = request.query_params
        role = params.get("role", "")
        users = selectors.user_list_for_admin(
            user=request.user,
            q=params.get("q", "")[:100],
            role=role if role in Role.values else "",
            agency_id=params.get("agency", "") if _is_uuid(params.get("agency", "")) else "",
            status=params.get("status", "active"),
        )
        return paginated(self, request, users, lambda user: UserAdminSerializer(user).data)

    @extend_schema(
        operation_id="accounts_users_create",
        summary="Create a user; with an e-mail address they get a link to set the first password",
        request=UserCreateInputSerializer,
        responses={201: UserCreatedSerializer, 403: FORBIDDEN},
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        data = UserCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields["agency"] = _agency(request, fields["agency"])
        user, initial_password = services.user_admin_create(actor=request.user, tenant=request.user.tenant, **fields)
        body = {**UserAdminSerializer(user).data, "initial_password": initial_password}
        return Response(body, status=status.HTTP_201_CREATED, headers={"Cache-Control": "no-store"})


def _is_uuid(value: str) -> bool:
    try:
        UUID(value)
    except (TypeError, ValueError):
        return False
    return True


class UserDetailApi(APIView):
    @extend_schema(operation_id="accounts_users_retrieve", responses={200: UserAdminSerializer, 404: NOT_FOUND})
    def get(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        return Response(UserAdminSerializer(selectors.user_get_for_admin(user=request.user, pk=pk)).data)

    @extend_schema(
        operation_id="accounts_users_update",
        summary="Change name, contacts, agency or role",
        request=UserUpdateInputSerializer,
        responses={200: UserAdminSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def patch(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        user = selectors.user_get_for_admin(user=request.user, pk=pk)
        data = UserUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if "agency" in fields:
            fields["agency"] = _agency(request, fields["agency"])
            if fields["agency"] is None:
                raise serializers.ValidationError({"agency": [str(ERR_AGENCY)]})
        user = services.user_admin_update(actor=request.user, user=user, **fields)
        return Response(UserAdminSerializer(user).data)


class UserSetActiveApi(APIView):
    active = True

    def post(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        user = selectors.user_get_for_admin(user=request.user, pk=pk)
        user = services.user_admin_set_active(actor=request.user, user=user, is_active=self.active)
        return Response(UserAdminSerializer(user).data)


class UserDeactivateApi(UserSetActiveApi):
    """Deactivate a user: their sessions and API tokens end at once; their history stays."""

    active = False

    @extend_schema(
        operation_id="accounts_users_deactivate",
        request=None,
        responses={200: UserAdminSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        return super().post(request, pk)


class UserReactivateApi(UserSetActiveApi):
    active = True

    @extend_schema(
        operation_id="accounts_users_reactivate",
        request=None,
        responses={200: UserAdminSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        return super().post(request, pk)


class UserPasswordResetApi(APIView):
    @extend_schema(
        operation_id="accounts_users_password_reset",
        summary="E-mail the user a link to set a new password (their second factor still applies)",
        request=None,
        responses={202: OpenApiResponse(description="The link is on its way."), 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        user = selectors.user_get_for_admin(user=request.user, pk=pk)
        services.user_admin_send_password_link(actor=request.user, user=user)
        return Response(status=status.HTTP_202_ACCEPTED)


class UserOtpResetApi(APIView):
    @extend_schema(
        operation_id="accounts_users_otp_reset",
        summary="Remove a lost second factor, with the reason recorded; the user enrols again at next sign-in",
        request=OtpResetInputSerializer,
        responses={200: UserAdminSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        user = selectors.user_get_for_admin(user=request.user, pk=pk)
        data = OtpResetInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_admin_reset_otp(actor=request.user, user=user, reason=data.validated_data["reason"])
        return Response(UserAdminSerializer(user).data)
