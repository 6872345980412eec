"""Home-dashboard card of the KLA workspace (replaces the "kla" placeholder)."""

from typing import Any

from django.http import Http404
from django.urls import reverse

from sinergi.core import policy
from sinergi.core.dashboard import register

from . import selectors


@register(45, key="kla")
def kla_widget(user: Any) -> dict | None:
    if not policy.can(user, "kla.view_workspace", user.tenant):
        return None
    try:
        year = selectors.year_get(tenant=user.tenant)
    except Http404:
        return None
    score = selectors.score_for_user(user=user, year=year)
    band = score.predicted_band
    return {
        "template": "kla/partials/_widget.html",
        "year": year.year,
        "completeness": score.completeness,
        "self_total": score.self_total,
        "predicted_total": score.predicted_total,
        "band": band.name if band else "",
        "url": reverse("kla:home"),
    }
