"""Template helpers for the UI shell: permission checks through the one policy, and nav state."""

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from sinergi.core import plugins, policy

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


@register.filter
def when(value: Any) -> str:
    """`{{ case.first_response_due_at|when }}` → '4 Januari 2023, 13.05 WITA' (the tenant's zone)."""
    from sinergi.core.clock import format_when

    return format_when(value)


@register.filter
def when_time(value: Any) -> str:
    """`{{ draft.updated_at|when_time }}` → '13.05 WITA'."""
    from sinergi.core.clock import format_when

    return format_when(value, with_date=False)


@register.filter
def longdate(value: Any) -> str:
    """`{{ meeting.starts_at|longdate }}` → 'Rabu, 4 Januari 2023'."""
    from sinergi.core.clock import format_long_date

    return format_long_date(value)


@register.filter
def num(value: Any) -> str:
    """`{{ count|num }}` → '1.234' in Indonesian, '1,234' in English."""
    from django.utils import formats

    if value is None or value == "":
        return ""
    return formats.number_format(value, force_grouping=True)


@register.simple_tag(takes_context=True)
def nav_links(context: template.Context) -> list[dict[str, Any]]:
    """`{% nav_links as links %}`: the registered navigation entries this user may see (core.plugins)."""
    user = _user(context)
    if user is None or not user.is_authenticated:
        return []
    tenant = getattr(user, "tenant", None)
    links = []
    for entry in plugins.nav_entries():
        if entry.permission is not None and not policy.can(user, entry.permission, tenant):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        links.append({"entry": entry, "url": url})
    return links
