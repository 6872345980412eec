from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: events are append-only, even for superusers."""

    list_display = ["created_at", "tenant", "actor_label", "action", "object_type", "object_id", "ip"]
    list_filter = ["action", "tenant"]
    search_fields = ["object_id", "actor_label", "request_id"]
    list_select_related = ["tenant"]
    date_hierarchy = "created_at"
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
