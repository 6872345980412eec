"""Home dashboard widget: the user's latest unread notifications."""

from typing import Any

from sinergi.core.dashboard import register

from . import selectors

WIDGET_SIZE = 5


@register(10)
def unread_notifications_widget(user: Any) -> dict:
    return {
        "template": "notifications/partials/_widget.html",
        "groups": selectors.unread_groups_for_user(user=user, limit=WIDGET_SIZE),
        "unread_count": selectors.unread_count_for_user(user=user),
    }
