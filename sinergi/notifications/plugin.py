"""Notifications in the navigation (with the unread badge), URLs and audit trail (see sinergi.core.plugins)."""

from django.utils.translation import gettext_lazy as _

from sinergi.core import plugins

plugins.url_include("notifications/", "sinergi.notifications.urls")
plugins.url_include("notifications/", "sinergi.notifications.api_urls", api=True)
plugins.nav_entry(
    "notifications",
    _("Notifications"),
    "notifications:list",
    order=70,
    badge_template="notifications/partials/_nav_badge.html",
)
plugins.audit_events(
    {
        "notifications.preferences_changed": _("Notification settings changed"),
        "mail.queued": _("Mail queued"),
        "mail.delivery_failed": _("Mail delivery failed"),
    }
)
