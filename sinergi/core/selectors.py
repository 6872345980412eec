"""Home dashboard data per role. Widgets from later modules register here."""

from typing import Any


def dashboard_for_user(*, user: Any) -> dict:
    """Collect the dashboard widgets the user's role may see (each app contributes its own)."""
    from sinergi.core.dashboard import widgets_for

    return {"widgets": widgets_for(user)}
