from typing import Any

from sinergi.core import plugins, policy

from . import demo
from .models import Visit

plugins.url_include("visits/", "sinergi.core.tests.plugin_app.urls")
plugins.url_include("kunjungan/", "sinergi.core.tests.plugin_app.urls_public", public=True)
plugins.nav_entry("visits", "Visits", "plugin_app:visit_list", order=40, permission="plugin_app.view_visit_list")
# Untranslated on purpose: the app is not shipped, so its strings stay out of locale/.
AUDIT_EVENTS = {"visit.created": "Visit recorded"}
plugins.audit_events(AUDIT_EVENTS)
plugins.demo_seeder("plugin_app.visits", demo.seed_visits, order=60)


def name_visits(viewer: Any, object_ids: list[str]) -> dict[str, str]:
    visits = Visit.objects.filter(pk__in=plugins.parse_uuids(object_ids), tenant_id=viewer.tenant_id)
    return {str(v.pk): v.title for v in visits if policy.can(viewer, "plugin_app.view_visit", v)}


plugins.audit_object_namer("plugin_app.visit", name_visits)
