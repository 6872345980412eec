"""The KLA workspace plugs in: pages, API, navigation, audit events, demo data (see sinergi.core.plugins).

The dashboard card is in dashboard.py, notification kinds in notification_kinds.py, the job in jobs.py.
"""

from django.utils.translation import gettext_lazy as _

from sinergi.core import plugins

from .events import Event as E

plugins.url_include("kla/", "sinergi.kla.urls")
plugins.url_include("kla/", "sinergi.kla.api_urls", api=True)
plugins.nav_entry("kla", _("KLA evaluation"), "kla:home", order=35, permission="kla.view_workspace")
plugins.audit_events(
    {
        E.YEAR_LOADED: _("KLA instrument year loaded"),
        E.ASSIGNED: _("KLA indicators assigned"),
        E.UNASSIGNED: _("KLA assignment removed"),
        E.EVIDENCE_ADDED: _("KLA evidence added"),
        E.EVIDENCE_REPLACED: _("KLA evidence replaced"),
        E.EVIDENCE_REVIEWED: _("KLA evidence reviewed"),
        E.REGULATION_SAVED: _("Regulation saved"),
        E.REGULATION_RETIRED: _("Regulation retired"),
        E.SELF_ASSESSED: _("KLA self-assessment saved"),
        E.DEADLINE_SET: _("KLA deadline set"),
        E.DEADLINE_RETIRED: _("KLA deadline retired"),
        E.ACTIVITY_SAVED: _("RAD KLA activity saved"),
        E.ACTIVITY_RETIRED: _("RAD KLA activity retired"),
        E.PACKAGE_EXPORTED: _("KLA evidence package exported"),
    }
)


def seed_demo_kla(run: plugins.DemoRun) -> list[str]:
    """The demo regency's KLA year: full tree, assignments, evidence with real small PDFs, last year's scores."""
    from .demo import seed_kla

    return seed_kla(run)


plugins.demo_seeder("kla", seed_demo_kla, order=70)


def _public_summary(tenant):
    from .public import public_summary

    return public_summary(tenant)


plugins.public_section("kla", "kla/public_summary.html", _public_summary, order=50)
