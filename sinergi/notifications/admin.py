from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "tenant", "recipient", "kind", "title", "read_at", "emailed_at"]
    list_filter = ["kind", "tenant"]
    search_fields = ["kind"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
