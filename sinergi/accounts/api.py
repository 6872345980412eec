"""Account API: who am I, and my API tokens (keys are returned once, at creation)."""

from uuid import UUID

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView

from sinergi.core.api import StandardPagination
from sinergi.core.http import AuthenticatedRequest

from . import selectors, services


class TokenCreateThrottle(UserRateThrottle):
    scope = "api_token_create"
    rate = "20/hour"

    def allow_request(self, request, view) -> bool:
        if request.method != "POST":
            return True
        return super().allow_request(request, view)


class _TenantSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class _AgencySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    short_name = serializers.CharField()
    name = serializers.CharField()


class MeSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    username = serializers.CharField()
    full_name = serializers.CharField()
    role = serializers.CharField()
    role_label = serializers.CharField(source="get_role_display")
    tenant = _TenantSerializer(allow_null=True)
    agency = _AgencySerializer(allow_null=True)


class TokenSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    prefix = serializers.CharField()
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    is_active = serializers.BooleanField()


class TokenCreatedSerializer(TokenSerializer):
    key = serializers.CharField(help_text="The secret key. It is shown only in this response.")


class TokenCreateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    # The bound is documented from the setting at start-up; the service checks it again on every call.
    expires_in_days = serializers.IntegerField(
        min_value=1,
        max_value=services.api_token_max_days(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Days until the token expires; the maximum when left out.",
    )


class MeApi(APIView):
    @extend_schema(operation_id="accounts_me", responses=MeSerializer)
    def get(self, request: AuthenticatedRequest) -> Response:
        return Response(MeSerializer(request.user).data)


class TokenListCreateApi(APIView):
    throttle_classes = [*api_settings.DEFAULT_THROTTLE_CLASSES, TokenCreateThrottle]  # type: ignore[list-item]  # DRF settings are untyped
    # Declared on the view so drf-spectacular documents the paginated envelope.
    pagination_class = StandardPagination

    @extend_schema(operation_id="accounts_tokens_list", responses=TokenSerializer(many=True))
    def get(self, request: AuthenticatedRequest) -> Response:
        paginator = self.pagination_class()
        tokens = selectors.api_token_list_for_user(user=request.user)
        page = paginator.paginate_queryset(tokens, request, view=self)
        return paginator.get_paginated_response(TokenSerializer(page, many=True).data)

    @extend_schema(
        operation_id="accounts_tokens_create",
        request=TokenCreateInputSerializer,
        responses={
            201: TokenCreatedSerializer,
            403: OpenApiResponse(description="Only a session verified with a second factor can create tokens."),
        },
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        if request.auth is not None:
            # A token must not mint tokens: that would turn one leaked key into unlimited ones.
            raise exceptions.PermissionDenied("API tokens can only be created from a 2FA-verified session.")
        data = TokenCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, key = services.api_token_create(actor=request.user, **data.validated_data)
        body = {**TokenSerializer(token).data, "key": key}
        return Response(body, status=status.HTTP_201_CREATED, headers={"Cache-Control": "no-store"})


class TokenRevokeApi(APIView):
    @extend_schema(
        operation_id="accounts_tokens_revoke",
        request=None,
        responses={200: TokenSerializer, 404: OpenApiResponse(description="Not one of your tokens.")},
    )
    def post(self, request: AuthenticatedRequest, pk: UUID) -> Response:
        token = selectors.api_token_get_for_user(user=request.user, pk=pk)
        token = services.api_token_revoke(actor=request.user, token=token)
        return Response(TokenSerializer(token).data)
