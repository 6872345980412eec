"""The notifications the KLA workspace sends."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from sinergi.notifications.kinds import register


def _workspace() -> str:
    return reverse("kla:home")


register(
    "kla_revision_requested",
    label=_("KLA evidence needs revision"),
    group=ngettext_lazy(
        "%(count)d KLA evidence item needs revision", "%(count)d KLA evidence items need revision", "count"
    ),
    list_url=_workspace,
)
register(
    "kla_deadline_reminder",
    label=_("KLA deadline coming"),
    group=ngettext_lazy("%(count)d KLA deadline coming", "%(count)d KLA deadlines coming", "count"),
    list_url=_workspace,
)
register(
    "kla_deadline_escalation",
    label=_("KLA evidence overdue"),
    group=ngettext_lazy("%(count)d overdue KLA deadline", "%(count)d overdue KLA deadlines", "count"),
    list_url=_workspace,
)
