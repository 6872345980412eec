from typing import Any

from django import template

from sinergi.notifications import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notification_count(context: template.Context) -> int:
    """`{% unread_notification_count as unread_count %}` for the navigation badge."""
    request = context.get("request")
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return selectors.unread_count_for_nav(user=user)
