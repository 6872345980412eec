"""Background jobs: URLs and audit events (see sinergi.core.plugins)."""

from django.utils.translation import gettext_lazy as _

from sinergi.core import plugins

plugins.url_include("jobs/", "sinergi.jobs.urls")
plugins.url_include("jobs/", "sinergi.jobs.api_urls", api=True)
plugins.audit_events(
    {
        "job.started": _("Background job started"),
        "job.result_downloaded": _("Job result downloaded"),
    }
)
