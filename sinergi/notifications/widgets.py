"""Home dashboard widget: the user's latest unread notifications."""

from typing import Any

from sinergi.core.dashboard import register

from . import selectors

WIDGET_SIZE = 5


@register(10)
def unread_notifications_widget(user: Any) -> dict:
    groups, unread = selectors.unread_summary_for_user(user=user, limit=WIDGET_SIZE)
    return {"template": "notifications/partials/_widget.html", "groups": groups, "unread_count": unread}
