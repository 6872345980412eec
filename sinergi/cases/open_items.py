"""What is still open on a case: shown in the case summary and before it is closed.

Each source is a function `(user, case) -> list[str]` (one label per open item) registered under a
heading with `register`. Rights and referrals are registered here; other parts of the case (the case
plan's tasks, follow-ups) register their own source from their module, e.g.

    open_items.register("plan_tasks", _("Plan tasks"), lambda user, case: [...])

A source answers only from what `user` may open (the referrals source reads through the policy).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from . import selectors
from . import taxonomy as t

Source = Callable[[Any, Any], list[str]]


@dataclass(frozen=True)
class OpenGroup:
    key: str
    heading: Any
    items: list[str]


_SOURCES: dict[str, tuple[Any, Source]] = {}


def register(key: str, heading: Any, source: Source) -> None:
    """Add (or replace, by key) a source of open items."""
    _SOURCES[key] = (heading, source)


def open_items(*, user: Any, case: Any) -> list[OpenGroup]:
    """The non-empty groups of what is still open, in registration order."""
    groups = []
    for key, (heading, source) in _SOURCES.items():
        items = source(user, case)
        if items:
            groups.append(OpenGroup(key=key, heading=heading, items=items))
    return groups


def _open_rights(user: Any, case: Any) -> list[str]:
    return [
        f"{item.get_right_display()} ({item.get_status_display()})"
        for item in selectors.rights_for_case(case=case)
        if item.status in t.UNRESOLVED_RIGHT_STATUSES
    ]


def _open_referrals(user: Any, case: Any) -> list[str]:
    referrals = selectors.referrals_for_case(user=user, case=case).filter(status__in=t.OPEN_REFERRAL_STATUSES)
    return [
        f"{r.get_service_type_display()} · {r.agency.short_name} ({r.get_status_display()})"
        for r in referrals.select_related("agency")
    ]


register("rights", _("Rights not yet fulfilled"), _open_rights)
register("referrals", _("Open referrals"), _open_referrals)


def _open_plan_tasks(user: Any, case: Any) -> list[str]:
    from .plan_selectors import open_plan_task_labels

    return open_plan_task_labels(user, case)


register("plan_tasks", _("Plan tasks still open"), _open_plan_tasks)
