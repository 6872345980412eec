"""What core itself plugs in: the dashboard link (the API docs link is on the account page), the always-open paths, its audit events."""

from django.utils.translation import gettext_lazy as _

from sinergi.core import plugins

plugins.nav_entry("dashboard", _("Dashboard"), "core:home", order=0, exact=True)

# The API has its own second-factor gate (accounts.api IsAuthenticatedVerified).
for _prefix in ("/static/", "/healthz", "/i18n/", "/api/"):
    plugins.second_factor_exempt(_prefix)

plugins.audit_events(
    {
        "backup.created": _("Backup created"),
        "backup.keys_exported": _("Keys exported"),
        "backup.restored": _("Backup restored"),
        "crypto.keys_rotated": _("Encryption keys rotated"),
    }
)
