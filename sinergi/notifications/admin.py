from django.contrib import admin

from .models import Notification

# Titles and bodies name case numbers of every tenant: the deployment admin sees only when, to whom and
# whether a notification was read or e-mailed, never what it says.
METADATA_FIELDS = [
    "id",
    "created_at",
    "tenant",
    "recipient",
    "kind",
    "read_at",
    "is_email_wanted",
    "emailed_at",
    "email_attempts",
    "email_attempted_at",
    "email_given_up_at",
    "email_error",
]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "tenant", "recipient", "kind", "read_at", "emailed_at", "email_given_up_at"]
    list_display_links = ["created_at"]
    list_filter = ["kind", "tenant", ("email_given_up_at", admin.EmptyFieldListFilter)]
    search_fields = ["kind"]
    fields = METADATA_FIELDS
    readonly_fields = METADATA_FIELDS

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("tenant", "recipient").defer("title", "body", "url")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
