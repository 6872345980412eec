"""The data map and the public ILA page plug in (see sinergi.core.plugins)."""

from django.utils.translation import gettext_lazy as _

from sinergi.core import plugins

from .services import EVENT_RELEASE_PUBLISHED

plugins.url_include("ila/", "sinergi.maps.urls_public", public=True)
plugins.url_include("public/ila/", "sinergi.maps.api_public_urls", api=True, public=True)
plugins.audit_events({EVENT_RELEASE_PUBLISHED: _("Public figures released (ILA)")})
