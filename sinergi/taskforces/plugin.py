"""The task forces plug in: pages, API, navigation, audit events, the seed meetings (see sinergi.core.plugins).

The home-dashboard widget is in dashboard.py, notification kinds in notification_kinds.py.
"""

from django.utils.translation import gettext_lazy as _

from sinergi.core import plugins

from .events import Event as E

plugins.url_include("taskforces/", "sinergi.taskforces.urls")
plugins.url_include("taskforces/", "sinergi.taskforces.api_urls", api=True)
plugins.nav_entry("taskforces", _("Task forces"), "taskforces:home", order=30, permission="taskforces.view_taskforces")
plugins.audit_events(
    {
        E.BODY_CREATED: _("Coordination body created"),
        E.MEMBER_SAVED: _("Body member saved"),
        E.MEETING_CREATED: _("Meeting created"),
        E.MEETING_CHANGED: _("Meeting changed"),
        E.MEETING_SERIES_CREATED: _("Meeting series created"),
        E.INVITATION_ISSUED: _("Invitation issued"),
        E.INVITATION_SENT: _("Invitation sent"),
        E.ATTENDANCE_RECORDED: _("Attendance recorded"),
        E.MINUTES_SAVED: _("Minutes saved"),
        E.DOCUMENT_ADDED: _("Meeting document added"),
        E.AGREEMENT_CREATED: _("Agreement created"),
        E.AGREEMENT_CHANGED: _("Agreement changed"),
        E.AGREEMENT_PROGRESS: _("Agreement progress posted"),
        E.AGREEMENT_DROPPED: _("Agreement dropped"),
        E.AGREEMENT_REVIEWED: _("Agreement reviewed at a meeting"),
        E.EXTENSION_REQUESTED: _("Extension requested"),
        E.EXTENSION_DECIDED: _("Extension decided"),
        E.AGREEMENT_FOLLOWED: _("Agreement followed"),
        E.CALENDAR_FEED_CREATED: _("Calendar feed created"),
        E.CALENDAR_FEED_REVOKED: _("Calendar feed revoked"),
        E.DEMO_SEEDED: _("Demo meetings loaded"),
        E.REPORT_EXPORTED: _("Task-force report exported"),
        E.TEMPLATE_UPLOADED: _("Word template uploaded"),
        E.TEMPLATE_RESET: _("Word template reset to the default"),
    }
)


def seed_demo_meetings(run: plugins.DemoRun) -> list[str]:
    """The five seed meetings of the source articles, in their tenants (after the demo's tenants and logins)."""
    from .demo import seed_taskforces

    created = seed_taskforces(agencies=run.data["agencies"], users=run.data["users"])
    return [f"Task-force seed meetings created: {created}."]


plugins.demo_seeder("taskforces.meetings", seed_demo_meetings, order=60)
