"""Accounts in the navigation, URLs and audit trail (see sinergi.core.plugins)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from sinergi.core import plugins

from .models import User

plugins.url_include("accounts/", "sinergi.accounts.urls")
plugins.url_include("accounts/", "sinergi.accounts.api_urls", api=True)
plugins.url_include("users/", "sinergi.accounts.urls_users")
plugins.nav_entry("users", _("Users"), "accounts_users:list", order=70, permission="accounts.manage_users")
plugins.nav_entry("account", _("Account"), "accounts:profile", order=90)
plugins.audit_events(
    {
        "account.login": _("Signed in"),
        "account.login_failed": _("Sign-in failed"),
        "account.locked": _("Account locked"),
        "account.logout": _("Signed out"),
        "account.logout_all": _("Signed out everywhere"),
        "account.password_changed": _("Password changed"),
        "account.otp_enrolled": _("Second factor enrolled"),
        "account.otp_verified": _("Second factor verified"),
        "account.otp_failed": _("Second factor failed"),
        "account.backup_codes_regenerated": _("Backup codes regenerated"),
        "account.token_created": _("API token created"),
        "account.token_revoked": _("API token revoked"),
        "account.user_created": _("User created"),
        "account.user_updated": _("User changed"),
        "account.role_changed": _("Role changed"),
        "account.user_deactivated": _("User deactivated"),
        "account.user_reactivated": _("User reactivated"),
        "account.otp_reset": _("Second factor reset"),
        "account.password_link_sent": _("Password link sent"),
        "account.password_reset_requested": _("Password reset requested"),
        "account.password_reset": _("Password reset"),
        # Django admin (accounts.admin): f"admin.{verb}".
        "admin.add": _("Added in the admin site"),
        "admin.change": _("Changed in the admin site"),
        "admin.delete": _("Deleted in the admin site"),
    }
)


def name_users(viewer: Any, object_ids: list[str]) -> dict[str, str]:
    """Officers of the viewer's own regency, by display name (staff, not protected people)."""
    if not getattr(viewer, "tenant_id", None):
        return {}
    users = User.objects.filter(pk__in=plugins.parse_uuids(object_ids), tenant_id=viewer.tenant_id)
    return {str(user.pk): user.display_name for user in users}


plugins.audit_object_namer("accounts.user", name_users)
