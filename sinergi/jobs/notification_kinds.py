"""The notifications the jobs app sends: a result is ready, or a job failed."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from sinergi.notifications.kinds import IN_APP, register

JOB_DONE = "job_done"
JOB_FAILED = "job_failed"

register(
    JOB_DONE,
    label=_("Export ready"),
    group=ngettext_lazy("%(count)d export ready to download", "%(count)d exports ready to download", "count"),
    list_url=lambda: reverse("jobs:list"),
)
register(
    JOB_FAILED,
    label=_("Export failed"),
    group=ngettext_lazy("%(count)d export failed", "%(count)d exports failed", "count"),
    list_url=lambda: reverse("jobs:list"),
    default_channel=IN_APP,
)
