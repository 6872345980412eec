"""The notifications the task forces send, how a group of them reads and where it leads."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from sinergi.notifications.kinds import DIGEST, register


def _commitments() -> str:
    return reverse("taskforces:commitments")


register(
    "agreement_assigned",
    label=_("New agreement for my agency"),
    group=ngettext_lazy("%(count)d new agreement for your agency", "%(count)d new agreements for your agency", "count"),
    list_url=_commitments,
)
register(
    "agreement_changed",
    label=_("Change to an agreement I follow"),
    group=ngettext_lazy("%(count)d change to agreements", "%(count)d changes to agreements", "count"),
    list_url=_commitments,
    default_channel=DIGEST,
)
register(
    "agreement_before_due",
    label=_("Agreement due soon"),
    group=ngettext_lazy("%(count)d agreement due soon", "%(count)d agreements due soon", "count"),
    list_url=_commitments,
    default_channel=DIGEST,
)
register(
    "agreement_overdue",
    label=_("Agreement overdue"),
    group=ngettext_lazy("%(count)d agreement overdue", "%(count)d agreements overdue", "count"),
    list_url=lambda: reverse("taskforces:overdue"),
)
register(
    "extension_requested",
    label=_("Extension request for an agreement"),
    group=ngettext_lazy("%(count)d extension request", "%(count)d extension requests", "count"),
    list_url=lambda: reverse("taskforces:overdue"),
)
