"""The tenant admin's rule editor: added words per list, the tenant's own patterns and per-point
severities. One form saves everything through `services.ppra_rules_update` (audited); a bad pattern is a
400 with the posted form kept, and nothing is written."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from sinergi.core import policy

from . import selectors, services
from .ppra.rules import EXTENSIBLE_LISTS, PATTERNS_KEY, SEVERITIES, WEIGHTS_KEY, load_rules

EMPTY_PATTERN_ROWS = 3


def _extra_from_post(post) -> dict:
    extra: dict = {}
    for name in EXTENSIBLE_LISTS:
        words = [w.strip() for w in post.get(f"list_{name}", "").splitlines() if w.strip()]
        if words:
            extra[name] = words
    rows = []
    count = min(int(post.get("pattern_rows", "0")) if post.get("pattern_rows", "").isdigit() else 0, 60)
    for n in range(count):
        pattern = post.get(f"pattern_{n}", "")
        if not pattern.strip():
            continue  # an emptied row is a deleted pattern
        point = post.get(f"point_{n}", "")
        rows.append(
            {
                "pattern": pattern,
                "point": int(point) if point.isdigit() else point,
                "severity": post.get(f"severity_{n}", ""),
                "why": post.get(f"why_{n}", ""),
                "suggestion": post.get(f"suggestion_{n}", ""),
            }
        )
    if rows:
        extra[PATTERNS_KEY] = rows
    weights = {str(p): post.get(f"weight_{p}", "") for p in range(1, 13) if post.get(f"weight_{p}", "")}
    if weights:
        extra[WEIGHTS_KEY] = weights
    return extra


def _context(extra: dict, errors: list[str], saved: bool) -> dict:
    points = load_rules().points
    rows = list(extra.get(PATTERNS_KEY, [])) + [{} for _n in range(EMPTY_PATTERN_ROWS)]
    weights = extra.get(WEIGHTS_KEY, {})
    return {
        "lists": [(name, "\n".join(extra.get(name, []))) for name in EXTENSIBLE_LISTS],
        "rows": rows,
        "row_count": len(rows),
        "points": points,
        "severities": SEVERITIES,
        "weights": [(p, text, weights.get(str(p), "")) for p, text in points.items()],
        "errors": errors,
        "saved": saved,
    }


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def rules_edit(request: HttpRequest) -> HttpResponse:
    tenant = request.user.tenant
    policy.require(request.user, "publications.change_rules", tenant)
    if request.method == "POST":
        extra = _extra_from_post(request.POST)
        try:
            services.ppra_rules_update(actor=request.user, tenant=tenant, extra=extra)
        except ValidationError as exc:
            context = _context(extra, exc.messages, saved=False)
            return render(request, "publications/rules.html", context, status=400)
        return HttpResponseRedirect(reverse("publications:rules") + "?saved=1")
    rule_set = selectors.ppra_rule_set(tenant=tenant)
    context = _context(dict(rule_set.extra or {}) if rule_set else {}, [], saved=request.GET.get("saved") == "1")
    context["updated"] = rule_set
    return render(request, "publications/rules.html", context)
