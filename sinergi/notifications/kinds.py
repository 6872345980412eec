"""Kinds of notification: how a group of them is named, where it leads, and how it is delivered by default.

An app registers its kinds from its own `notification_kinds.py` (imported in its AppConfig.ready), so the
notifications app never imports the apps above it. An unregistered kind still works, under a generic name.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

IN_APP = "in_app"
EMAIL = "email"
DIGEST = "digest"
CHANNEL_CHOICES = [
    (IN_APP, _("In the app only")),
    (EMAIL, _("In the app and by e-mail at once")),
    (DIGEST, _("In the app and in a daily e-mail summary")),
]
CHANNELS = {value for value, _label in CHANNEL_CHOICES}


@dataclass(frozen=True)
class Kind:
    slug: str
    label: Any  # lazy text: "Referral overdue"
    # (count) -> "12 referrals overdue"; ngettext runs at display time, in the reader's language.
    group_label: Callable[[int], str] = field(compare=False)
    # () -> a path that lists what a group is about (e.g. the overdue filter); None: the notification list.
    list_url: Callable[[], str] | None = field(default=None, compare=False)
    default_channel: str = EMAIL


_KINDS: dict[str, Kind] = {}


def register(
    slug: str,
    *,
    label: Any,
    group: Any,
    list_url: Callable[[], str] | None = None,
    default_channel: str = EMAIL,
) -> Kind:
    """Register a kind; `group` is `ngettext_lazy("%(count)d … overdue", "%(count)d … overdue", "count")`."""
    assert default_channel in CHANNELS, default_channel

    def group_label(count: int) -> str:
        return str(group % {"count": count})

    kind = Kind(slug=slug, label=label, group_label=group_label, list_url=list_url, default_channel=default_channel)
    _KINDS[slug] = kind
    return kind


def get(slug: str) -> Kind:
    if slug in _KINDS:
        return _KINDS[slug]
    return Kind(
        slug=slug,
        label=slug.replace("_", " ").capitalize(),
        group_label=lambda count: (
            ngettext("%(count)d notification", "%(count)d notifications", count) % {"count": count}
        ),
    )


def registered() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda k: str(k.label))
