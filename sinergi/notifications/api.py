"""Notifications API: list your own notifications and mark one as read."""

from uuid import UUID

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sinergi.core.api import StandardPagination

from . import kinds, selectors, services


class NotificationSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    title = serializers.CharField()
    body = serializers.CharField()
    url = serializers.CharField(help_text="Relative path inside Sinergi, or empty.")
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)
    is_read = serializers.BooleanField()


class NotificationFilterSerializer(serializers.Serializer):
    unread = serializers.BooleanField(required=False, default=False)


class NotificationListApi(APIView):
    pagination_class = StandardPagination  # documents the paginated body in the OpenAPI schema

    @extend_schema(
        operation_id="notifications_list",
        parameters=[OpenApiParameter("unread", bool, description="Only unread notifications.")],
        responses=NotificationSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = NotificationFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        qs = selectors.notification_list_for_user(user=request.user, unread_only=filters.validated_data["unread"])
        paginator = StandardPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(NotificationSerializer(page, many=True).data)


class NotificationReadApi(APIView):
    @extend_schema(
        operation_id="notifications_mark_read",
        request=None,
        responses={200: NotificationSerializer, 404: OpenApiResponse(description="Not one of your notifications.")},
    )
    def post(self, request: Request, pk: UUID) -> Response:
        notification = selectors.notification_get_for_user(user=request.user, pk=pk)
        notification = services.notification_mark_read(actor=request.user, notification=notification)
        return Response(NotificationSerializer(notification).data)


class NotificationGroupSerializer(serializers.Serializer):
    kind = serializers.CharField()
    count = serializers.IntegerField()
    latest_at = serializers.DateTimeField()
    label = serializers.CharField(help_text="'12 referrals overdue', or the title of a single notification.")
    url = serializers.CharField(help_text="Where the group leads (a filtered list), or the single notification's link.")


class NotificationGroupsApi(APIView):
    @extend_schema(
        operation_id="notifications_unread_groups",
        summary="My unread notifications grouped by kind, most recent first",
        responses=NotificationGroupSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        groups = selectors.unread_groups_for_user(user=request.user, limit=50)
        return Response(NotificationGroupSerializer(groups, many=True).data)


class NotificationPreferencesApi(APIView):
    class PreferencesSerializer(serializers.Serializer):
        channels = serializers.DictField(
            child=serializers.ChoiceField(kinds.CHANNEL_CHOICES),
            help_text="Kind → channel: in_app, email (at once) or digest (daily summary at 07.00 local time).",
        )

        class Meta:
            ref_name = "NotificationPreferences"

    @extend_schema(operation_id="notifications_preferences_retrieve", responses=PreferencesSerializer)
    def get(self, request: Request) -> Response:
        return Response({"channels": services.notification_preferences_for(user=request.user)})

    @extend_schema(
        operation_id="notifications_preferences_update", request=PreferencesSerializer, responses=PreferencesSerializer
    )
    def put(self, request: Request) -> Response:
        data = self.PreferencesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        channels = services.notification_preferences_set(actor=request.user, channels=data.validated_data["channels"])
        return Response({"channels": channels})
