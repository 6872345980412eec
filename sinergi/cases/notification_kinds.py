"""The notifications case handling sends, how a group of them reads and where it leads."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from sinergi.notifications.kinds import DIGEST, register


def _case_list(query: str = "") -> str:
    return reverse("cases:list") + query


register(
    "first_response_overdue",
    label=_("First response overdue"),
    group=ngettext_lazy("%(count)d first response overdue", "%(count)d first responses overdue", "count"),
    list_url=lambda: _case_list("?overdue=on"),
)
register(
    "referral_overdue",
    label=_("Referral overdue"),
    group=ngettext_lazy("%(count)d referral overdue", "%(count)d referrals overdue", "count"),
    list_url=lambda: _case_list("?overdue=on"),
)
register(
    "referral_received",
    label=_("New referral for my agency"),
    group=ngettext_lazy("%(count)d new referral for your agency", "%(count)d new referrals for your agency", "count"),
    list_url=lambda: reverse("cases:referral_inbox"),
)
register(
    "referral_response",
    label=_("Answer to a referral"),
    group=ngettext_lazy("%(count)d answer to your referrals", "%(count)d answers to your referrals", "count"),
)
register(
    "case_assigned",
    label=_("Case assigned to me"),
    group=ngettext_lazy("%(count)d case assigned to you", "%(count)d cases assigned to you", "count"),
    list_url=lambda: _case_list("?mine=on"),
)
register(
    "public_report",
    label=_("New public report"),
    group=ngettext_lazy("%(count)d new public report", "%(count)d new public reports", "count"),
    list_url=lambda: _case_list("?stage=received"),
)
register(
    "possible_duplicate",
    label=_("Possible duplicate case"),
    group=ngettext_lazy("%(count)d possible duplicate case", "%(count)d possible duplicate cases", "count"),
    default_channel=DIGEST,
)
register(
    "follow_up_reminder",
    label=_("Reminder of a follow-up appointment"),
    group=ngettext_lazy("%(count)d follow-up coming up", "%(count)d follow-ups coming up", "count"),
)
register(
    "follow_up_changed",
    label=_("A follow-up appointment of mine moved or was cancelled"),
    group=ngettext_lazy("%(count)d follow-up changed", "%(count)d follow-ups changed", "count"),
)
