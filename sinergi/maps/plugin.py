"""The data map and the public ILA page plug in (see sinergi.core.plugins)."""

from django.apps import apps
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from sinergi.cases.signals import case_data_changed
from sinergi.core import plugins
from sinergi.tenants.models import Agency, Tenant

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


def _bump(sender, instance=None, tenant_id=None, **kwargs) -> None:
    from sinergi.cases.models import Case

    from .office import map_cache_bump_on_commit

    map_cache_bump_on_commit(
        instance.tenant_id if instance is not None else tenant_id, cases=sender is Case, using=kwargs.get("using")
    )


# Any change of what the office figures count invalidates the tenant's cached map and performance, after
# the commit; writes that bypass save() (bulk inserts, conditional UPDATEs) send case_data_changed.
_SENDERS = ["cases.Case", "cases.Person", "cases.Referral", "cases.RightItem", "tenants.Agency"]
if apps.is_installed("sinergi.taskforces"):  # the Satgas coverage shows task-force bodies beside agencies
    _SENDERS.append("taskforces.Body")
for _label in _SENDERS:
    post_save.connect(_bump, sender=_label, dispatch_uid=f"maps-bump-{_label}-save", weak=False)
    post_delete.connect(_bump, sender=_label, dispatch_uid=f"maps-bump-{_label}-delete", weak=False)
case_data_changed.connect(_bump, dispatch_uid="maps-bump-case-data", weak=False)


def _bump_public_page(sender, instance, **kwargs) -> None:
    from .page_cache import public_page_bump_on_commit

    public_page_bump_on_commit(instance.pk if sender is Tenant else instance.tenant_id, using=kwargs.get("using"))


# The public page shows the tenant's name, address and contacts and its public agencies: a change of
# either invalidates its cached response (the figures have their own version, bumped by case changes).
for _model in (Tenant, Agency):
    post_save.connect(_bump_public_page, sender=_model, dispatch_uid=f"maps-page-{_model.__name__}-save", weak=False)
    post_delete.connect(
        _bump_public_page, sender=_model, dispatch_uid=f"maps-page-{_model.__name__}-delete", weak=False
    )
