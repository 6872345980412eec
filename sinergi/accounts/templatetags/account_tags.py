from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def minutes(value: timedelta | None) -> int:
    """Whole minutes in a timedelta, rounded up (for "try again in N minutes")."""
    if not value:
        return 0
    seconds = int(value.total_seconds())
    return max(1, -(-seconds // 60))
