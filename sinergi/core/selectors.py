"""Home dashboard data per role. Each app contributes widgets through sinergi.core.dashboard."""

from typing import Any

from sinergi.core.dashboard import widgets_for


def dashboard_for_user(*, user: Any) -> dict:
    """Collect the dashboard widgets the user's role may see (each app contributes its own)."""
    return {"widgets": widgets_for(user)}
