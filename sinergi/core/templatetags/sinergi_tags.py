"""Template helpers for the UI shell: permission checks through the one policy, and nav state."""

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from sinergi.core import policy

register = template.Library()


def _user(context: template.Context) -> Any:
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


@register.simple_tag(takes_context=True)
def can(context: template.Context, action: str, obj: Any = None) -> bool:
    """`{% can "cases.view_case_list" obj as allowed %}`: False for unknown permissions."""
    return policy.can(_user(context), action, obj)


@register.simple_tag(takes_context=True)
def aria_current(context: template.Context, url: str, exact: bool = False) -> SafeString:
    """` aria-current="page"` when the current path is `url` (or below it unless `exact`)."""
    request = context.get("request")
    if not url or request is None:
        return mark_safe("")
    path = request.path
    if path == url or (not exact and url != "/" and path.startswith(url)):
        return format_html(' aria-current="{}"', "page")
    return mark_safe("")
