"""Home dashboard data per role. Each app contributes widgets through sinergi.core.dashboard."""

from typing import TYPE_CHECKING

from sinergi.core.dashboard import widgets_for

if TYPE_CHECKING:  # core imports no app model at run time
    from sinergi.accounts.models import User


def dashboard_for_user(*, user: "User") -> dict:
    """Collect the dashboard widgets the user's role may see (each app contributes its own)."""
    return {"widgets": widgets_for(user)}
