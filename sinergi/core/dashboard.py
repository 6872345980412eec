"""A tiny registry of home-dashboard widgets. Each app registers a function returning a widget dict
(template + context) or None when the user's role should not see it."""

from collections.abc import Callable
from typing import Any

_providers: list[tuple[int, Callable[[Any], dict | None]]] = []


def register(order: int = 100):
    def decorator(func: Callable[[Any], dict | None]):
        _providers.append((order, func))
        _providers.sort(key=lambda p: p[0])
        return func

    return decorator


def widgets_for(user: Any) -> list[dict]:
    widgets = []
    for _order, provider in _providers:
        widget = provider(user)
        if widget:
            widgets.append(widget)
    return widgets
