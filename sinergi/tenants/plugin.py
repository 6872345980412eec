"""Agencies and tenant settings in the navigation, URLs and audit trail (see sinergi.core.plugins)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from sinergi.core import plugins

from .models import Agency, Tenant

plugins.url_include("agencies/", "sinergi.tenants.urls")
plugins.url_include("settings/", "sinergi.tenants.urls_settings")
plugins.url_include("tenants/", "sinergi.tenants.api_urls", api=True)
plugins.nav_entry("agencies", _("Agencies"), "tenants:agency_list", order=60)
plugins.nav_entry(
    "settings", _("Settings"), "tenant_settings:edit", order=75, permission="tenants.change_tenant_settings"
)
plugins.audit_events(
    {
        "tenant.settings_changed": _("Regency settings changed"),
        "tenant.signatory_saved": _("Signatory saved"),
        "tenant.signatory_deactivated": _("Signatory deactivated"),
        "tenant.agency_created": _("Agency created"),
        "tenant.agency_updated": _("Agency changed"),
        "tenant.agency_deactivated": _("Agency deactivated"),
        "tenant.agency_reactivated": _("Agency reactivated"),
    }
)


def name_tenants(viewer: Any, object_ids: list[str]) -> dict[str, str]:
    """The viewer's own regency by name."""
    tenants = Tenant.objects.filter(pk__in=plugins.parse_uuids(object_ids), pk=viewer.tenant_id)
    return {str(t.pk): t.name for t in tenants}


def name_agencies(viewer: Any, object_ids: list[str]) -> dict[str, str]:
    """Agencies of the viewer's own regency by name."""
    agencies = Agency.objects.filter(pk__in=plugins.parse_uuids(object_ids), tenant_id=viewer.tenant_id)
    return {str(a.pk): a.short_name for a in agencies}


plugins.audit_object_namer("tenants.tenant", name_tenants)
plugins.audit_object_namer("tenants.agency", name_agencies)
