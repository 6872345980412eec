"""The audit trail in the navigation and URLs; it installs the recorder core's commands use."""

from django.utils.translation import gettext_lazy as _

from sinergi.core import plugins

from . import services

plugins.url_include("audit/", "sinergi.audit.urls")
plugins.url_include("audit/", "sinergi.audit.api_urls", api=True)
plugins.nav_entry("audit", _("Audit"), "audit:list", order=80, permission="audit.view_auditevent")
plugins.audit_recorder(services.record)
plugins.audit_events({services.EXPORTED: _("Audit trail exported")})
