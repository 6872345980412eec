"""Home-dashboard widgets of case handling (registered with sinergi.core.dashboard)."""

from typing import Any

from django.urls import reverse

from sinergi.core import policy
from sinergi.core.dashboard import register

from . import selectors
from .taxonomy import Stage

RECENT_REPORTS = 5


@register(20)
def case_counts_widget(user: Any) -> dict | None:
    """Case team: open, new, overdue first responses and own cases, each linking to the filtered list."""
    if not user.tenant_id or not policy.can(user, "cases.check_duplicates", user.tenant):
        return None
    counts = selectors.case_counts_for_dashboard(user=user)
    return {"template": "cases/partials/_widget_counts.html", "counts": counts}


@register(25)
def referral_inbox_widget(user: Any) -> dict | None:
    """Referred agencies: how many referrals wait for an answer."""
    if not policy.can(user, "cases.view_referral_inbox"):
        return None
    pending = selectors.referral_inbox_for_user(user=user, status="pending").count()
    # Case workers and Satgas volunteers belong to an agency too; they see the card only when it matters.
    if not pending and policy.can(user, "cases.create_case", user.tenant):
        return None
    return {
        "template": "cases/partials/_widget_inbox.html",
        "pending": pending,
        "url": reverse("cases:referral_inbox"),
    }


@register(30)
def satgas_widget(user: Any) -> dict | None:
    """Satgas volunteers: report a case, and the stage of their recent reports (nothing else)."""
    if not user.tenant_id or policy.can(user, "cases.check_duplicates", user.tenant):
        return None
    if not policy.can(user, "cases.create_case", user.tenant):
        return None
    reports = list(
        selectors.case_queryset_for_user(user=user)
        .filter(created_by_id=user.pk)
        .order_by("-reported_on", "-created_at")
        .values("id", "number", "stage", "reported_on")[:RECENT_REPORTS]
    )
    labels = dict(Stage.choices)
    for report in reports:
        report["stage_label"] = labels.get(report["stage"], report["stage"])
    return {
        "template": "cases/partials/_widget_satgas.html",
        "reports": reports,
        "report_url": reverse("cases:satgas_create"),
    }
