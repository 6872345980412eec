"""Template helpers of the case page."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def form_opener(url: str, slot: str, label: str) -> SafeString:
    """A link that opens an action form on demand: with htmx it loads the form (a GET of the action URL
    returns the form partial) into #slot; without JS it is a link to the case page with that form open.

    A tag, not an include: the case page has one per right and per action (an include costs ~20x more)."""
    return format_html(
        '<a href="{}#{}" hx-get="{}" hx-target="#{}" hx-swap="innerHTML" class="form-opener" aria-controls="{}">{}</a>',
        url,
        slot,
        url,
        slot,
        slot,
        label,
    )
