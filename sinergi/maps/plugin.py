"""The data map and the public ILA page plug in (see sinergi.core.plugins)."""

from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from sinergi.core import plugins

from .population import EVENT_POPULATION_IMPORTED
from .services import EVENT_RELEASE_PUBLISHED

plugins.url_include("ila/", "sinergi.maps.urls_public", public=True)
plugins.url_include("public/ila/", "sinergi.maps.api_public_urls", api=True, public=True)
plugins.url_include("maps/", "sinergi.maps.urls")
plugins.url_include("maps/", "sinergi.maps.api_urls", api=True)
plugins.nav_entry("maps", _("Data map"), "maps:office", order=37, permission="maps.view_office_map")
plugins.audit_events(
    {
        EVENT_RELEASE_PUBLISHED: _("Public figures released (ILA)"),
        EVENT_POPULATION_IMPORTED: _("Child population imported"),
    }
)


def _bump(sender, instance, **kwargs) -> None:
    from .office import map_cache_bump

    map_cache_bump(instance.tenant_id)


# Any change of what the office figures count invalidates the tenant's cached map and performance.
for _label in ("cases.Case", "cases.Person", "cases.Referral", "cases.RightItem", "tenants.Agency"):
    post_save.connect(_bump, sender=_label, dispatch_uid=f"maps-bump-{_label}-save", weak=False)
    post_delete.connect(_bump, sender=_label, dispatch_uid=f"maps-bump-{_label}-delete", weak=False)
