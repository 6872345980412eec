"""Publishing safely plugs in: the PPRA checker's pages and API, navigation, audit events (see sinergi.core.plugins).

The dashboard card is in dashboard.py.
"""

from django.utils.translation import gettext_lazy as _

from sinergi.core import plugins

from .events import PublicationsEvent as E

plugins.url_include("publications/", "sinergi.publications.urls")
plugins.url_include("publications/", "sinergi.publications.api_urls", api=True)
plugins.nav_entry(
    "publications", _("PPRA checker"), "publications:checker", order=40, permission="publications.use_checker"
)
plugins.audit_events(
    {
        E.CHECK_STORED: _("PPRA check stored"),
        E.RULES_CHANGED: _("PPRA rules changed"),
        E.PARTNER_CREATED: _("Media partner added"),
        E.TOKEN_CREATED: _("Newsroom token created"),
        E.TOKEN_REVOKED: _("Newsroom token revoked"),
        E.DRAFT_SUBMITTED: _("Publication draft submitted"),
        E.DRAFT_REVISED: _("Publication draft revised"),
        E.DRAFT_COMMENTED: _("Publication draft commented"),
        E.DRAFT_APPROVED: _("Publication draft approved"),
        E.DRAFT_RETURNED: _("Publication draft returned"),
        E.DRAFT_FLAGGED: _("Publication draft flagged by the reviewer"),
        E.TAKEDOWN_SENT: _("Takedown request sent"),
        E.TAKEDOWN_ANSWERED: _("Takedown request answered"),
        E.REGISTER_CHECKED: _("Case register cross-checked"),
    }
)


def seed_demo_publications(run: plugins.DemoRun) -> list[str]:
    """Drafts in several workflow states, media partners with MoU, a takedown request (fictional)."""
    from .demo import seed_publications

    created = seed_publications(users=run.data["users"])
    return [f"Publication drafts created: {created}."]


plugins.demo_seeder("publications.drafts", seed_demo_publications, order=70)
