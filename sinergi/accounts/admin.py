"""The Django admin: system administrators only, and only with a verified second factor.

The admin sees every tenant, so it is not a day-to-day tool: `admin.site` is switched to
SinergiAdminSite, whose gate is the policy permission "accounts.access_admin". Model access inside
it follows the same gate (PolicyAdminMixin) instead of Django's per-model permissions, and every
admin write is also written to the audit log.
"""

from urllib.parse import urlencode

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin.sites import AdminSite
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinergi.audit.services import record
from sinergi.core import policy
from sinergi.tenants.models import Agency, Tenant

from . import selectors
from .models import ApiToken, User


class SinergiAdminSite(AdminSite):
    site_header = _("Sinergi administration")
    site_title = _("Sinergi administration")

    def has_permission(self, request) -> bool:
        return policy.can(request.user, "accounts.access_admin")

    def login(self, request, extra_context=None):
        """No second login form: anonymous users go to the Sinergi login (axes, rate limit, 2FA)."""
        index = reverse("admin:index", current_app=self.name)
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = index
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(next_url, reverse("accounts:login"))
        if self.has_permission(request):
            return redirect(next_url)
        if policy.can(user, "accounts.admin_eligible"):
            step = "accounts:otp_verify" if selectors.totp_device_confirmed_exists(user=user) else "accounts:otp_setup"
            return redirect(f"{reverse(step)}?{urlencode({'next': next_url})}")
        raise PermissionDenied


admin.site.__class__ = SinergiAdminSite


def _changed_fields(message) -> list[str]:
    fields: list[str] = []
    if isinstance(message, list):
        for entry in message:
            for detail in entry.values():
                fields.extend(str(name) for name in detail.get("fields", []))
    elif message:
        fields.append(str(message))
    return fields


class PolicyAdminMixin:
    """Access follows the admin gate, not per-model permissions; deletes are opt-in; writes are audited."""

    admin_site: AdminSite
    allow_add = True
    allow_change = True
    allow_delete = False

    def has_module_permission(self, request) -> bool:
        return self.admin_site.has_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self.admin_site.has_permission(request)

    def has_add_permission(self, request, *args) -> bool:
        return self.allow_add and self.admin_site.has_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self.allow_change and self.admin_site.has_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.allow_delete and self.admin_site.has_permission(request)

    def _audit(self, request, obj, verb: str, message=None) -> None:
        record(
            actor=request.user,
            action=f"admin.{verb}",
            obj=obj,
            fields=_changed_fields(message),
            extra={"model": obj._meta.label_lower},
        )

    def log_addition(self, request, obj, message):
        self._audit(request, obj, "add", message)
        return super().log_addition(request, obj, message)  # type: ignore[misc]  # a mixin of ModelAdmin

    def log_change(self, request, obj, message):
        self._audit(request, obj, "change", message)
        return super().log_change(request, obj, message)  # type: ignore[misc]  # a mixin of ModelAdmin

    def log_deletion(self, request, obj, object_repr):
        self._audit(request, obj, "delete")
        return super().log_deletion(request, obj, object_repr)  # type: ignore[misc]  # a mixin of ModelAdmin

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._audit(request, obj, "delete")
        return super().log_deletions(request, queryset)  # type: ignore[misc]  # a mixin of ModelAdmin


class SinergiUserChangeForm(UserChangeForm):
    # Not even the (partial) password hash is shown; use "change password" to set a new one.
    password = None  # type: ignore[assignment]


@admin.register(User)
class UserAdmin(PolicyAdminMixin, DjangoUserAdmin):
    form = SinergiUserChangeForm
    list_display = ("username", "full_name", "role", "tenant", "agency", "is_active", "is_staff")
    list_filter = ("role", "tenant", "is_active", "is_staff")
    search_fields = ("username", "full_name", "email")
    ordering = ("username",)
    readonly_fields = ("last_login", "date_joined", "is_superuser")
    raw_id_fields = ("agency",)
    fieldsets = (
        (None, {"fields": ("username",)}),
        (_("Personal info"), {"fields": ("full_name", "email", "phone")}),
        (_("Organisation"), {"fields": ("tenant", "agency", "role")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "tenant", "agency", "role", "password1", "password2"),
            },
        ),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(PolicyAdminMixin, admin.ModelAdmin):
    allow_add = False
    allow_change = False
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "user__username", "prefix")
    # The hash is useless to an attacker but also to an admin: it is not shown.
    fields = ("user", "name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at")
    readonly_fields = fields


@admin.register(Tenant)
class TenantAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "office_short_name", "is_active")
    search_fields = ("code", "name")
    raw_id_fields = ("regency",)


@admin.register(Agency)
class AgencyAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ("short_name", "name", "kind", "tenant", "is_active")
    list_filter = ("tenant", "kind", "is_active")
    search_fields = ("short_name", "name")
    raw_id_fields = ("district", "village")


# django-otp's own device admins show the TOTP secret (key field and QR view): replace them with
# views that never reveal it. Deleting a device is how an admin resets a user's lost authenticator.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class _DeviceAdmin(PolicyAdminMixin, admin.ModelAdmin):
    allow_add = False
    allow_change = False
    allow_delete = True
    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    search_fields = ("user__username",)
    fields = ("user", "name", "confirmed", "created_at", "last_used_at", "throttling_failure_count")
    readonly_fields = fields


admin.site.register(TOTPDevice, _DeviceAdmin)
admin.site.register(StaticDevice, _DeviceAdmin)


def _adopt(model, *, allow_delete: bool) -> None:
    """Put another package's ModelAdmin behind the same gate (read-only unless deletes are allowed)."""
    if not admin.site.is_registered(model):
        return
    original = type(admin.site._registry[model])
    admin.site.unregister(model)
    attrs = {"allow_add": False, "allow_change": False, "allow_delete": allow_delete}
    admin.site.register(model, type(f"Sinergi{original.__name__}", (PolicyAdminMixin, original), attrs))


_adopt(AccessAttempt, allow_delete=True)  # deleting an attempt unlocks a locked-out user
_adopt(AccessLog, allow_delete=False)
_adopt(AccessFailureLog, allow_delete=False)
