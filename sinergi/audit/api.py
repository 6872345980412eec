"""Read-only audit trail API for supervisors: GET /api/v1/audit/events/."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers

from sinergi.core import policy
from sinergi.core.api import IsAuthenticatedVerified

from . import selectors
from .forms import DATE_RANGE_INVALID
from .models import AuditEvent


class CanReadAudit(permissions.BasePermission):
    message = _("Only supervisors may read the audit trail.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        return policy.can(user, "audit.view_auditevent", user.tenant if getattr(user, "tenant_id", None) else None)


class AuditEventListApi(generics.ListAPIView):
    """Audit events of the caller's tenant, newest first. Events cannot be created, changed or deleted."""

    class FilterSerializer(serializers.Serializer):
        object_type = serializers.CharField(required=False, max_length=60, help_text="Model label, e.g. `cases.case`.")
        object_id = serializers.CharField(required=False, max_length=64)
        actor = serializers.UUIDField(required=False, help_text="ID of the user who acted.")
        action = serializers.CharField(
            required=False, max_length=60, help_text='Exact action or prefix ("case" matches "case.create").'
        )
        date_from = serializers.DateField(required=False, help_text="First day (local time), inclusive.")
        date_to = serializers.DateField(required=False, help_text="Last day (local time), inclusive.")

        def validate(self, attrs):
            if attrs.get("date_from") and attrs.get("date_to") and attrs["date_from"] > attrs["date_to"]:
                raise serializers.ValidationError({"date_to": [DATE_RANGE_INVALID]})
            return attrs

    class OutputSerializer(serializers.ModelSerializer):
        id = serializers.UUIDField(source="uuid", read_only=True)
        actor = serializers.UUIDField(source="actor_id", read_only=True, allow_null=True)
        actor_name = serializers.CharField(source="actor.display_name", read_only=True, allow_null=True)
        action_label = serializers.CharField(read_only=True, help_text="The action in words (the UI language).")
        object_label = serializers.CharField(
            read_only=True,
            help_text="The object's name when the caller may see it and it reveals no protected identity "
            "(a case number, never a child's name); otherwise its type and short id.",
        )
        fields = serializers.ListField(child=serializers.CharField(), read_only=True)  # type: ignore[assignment]  # the event's field names
        extra = serializers.DictField(read_only=True)

        class Meta:
            model = AuditEvent
            ref_name = "AuditEvent"
            fields = [
                "id",
                "created_at",
                "actor",
                "actor_label",
                "actor_name",
                "action",
                "action_label",
                "object_type",
                "object_label",
                "object_id",
                "fields",
                "extra",
                "ip",
                "user_agent",
                "request_id",
                "prev_hash",
                "hash",
            ]
            read_only_fields = fields

    serializer_class = OutputSerializer
    permission_classes = [IsAuthenticatedVerified, CanReadAudit]
    filter_backends: list = []  # filters are parsed by FilterSerializer and applied by the selector

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AuditEvent.objects.none()
        params = self.FilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        return selectors.audit_event_list_for_user(
            user=self.request.user,  # type: ignore[arg-type]  # IsAuthenticatedVerified ran first
            object_type=data.get("object_type"),
            object_id=data.get("object_id"),
            actor_id=data.get("actor"),
            action=data.get("action"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        # Labels and names are added per page, one query per object type (pagination is always on).
        return page if page is None else selectors.audit_events_describe(user=self.request.user, events=page)

    @extend_schema(
        operation_id="audit_events_list",
        summary="List audit events",
        description="Supervisors (office head, system administrator) only; events of their own tenant.",
        parameters=[FilterSerializer],
        tags=["audit"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
