"""The case list."""

from functools import partial
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_ratelimit.exceptions import Ratelimited

from sinergi.audit.services import record as audit
from sinergi.core import policy
from sinergi.core.pagination import DeferredJoinPaginator
from sinergi.regions.selectors import districts_for_regency

from .. import selectors
from ..forms import (
    CaseFilterForm,
    IdentitySearchForm,
)
from ..limits import identity_lookup_allowed
from ..models import Case
from .common import PAGE_SIZE, _is_partial


def _districts(user: Any) -> list[tuple[str, str]]:
    if not user.tenant_id:
        return []
    return list(districts_for_regency(regency_code=user.tenant.regency_id).values_list("code", "name"))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def case_list(request: HttpRequest) -> HttpResponse:
    """Cases the user may see, filtered on the server; POST runs an exact identity search (case team)."""
    user = request.user
    policy.require(user, "cases.view_case_list")
    # The blind-index identity search and "assigned to me" are for the case team (same rule as duplicates).
    is_case_worker = policy.can(user, "cases.check_duplicates", user.tenant)
    form = CaseFilterForm(
        request.GET or None,
        districts=_districts(user) if is_case_worker else [],
        is_team=is_case_worker,
        show_referred=bool(user.agency_id),
    )
    identity_form = IdentitySearchForm(request.POST if request.method == "POST" else None)
    rows = partial(selectors.case_list_rows, tenant_id=user.tenant_id)
    identity_search = request.method == "POST"
    if identity_search:
        if not is_case_worker:
            raise PermissionDenied
        if not identity_lookup_allowed(request):
            raise Ratelimited
        cases = Case.objects.none()
        if identity_form.is_valid():
            cases = selectors.case_list_for_user(user=user, filters=identity_form.filters())
            audit(actor=user, action="case.identity_searched", fields=identity_form.searched_fields)
        # Exact matches are few; the first page only, so that nothing identifying goes into a page link.
        page = DeferredJoinPaginator(cases, PAGE_SIZE, rows=rows).get_page(1)
    else:
        cases, ids = Case.objects.none(), None
        valid = not form.is_bound or form.is_valid()
        filters = form.filters() if form.is_bound and valid else None
        if valid:
            cases = selectors.case_list_for_user(user=user, filters=filters)
            ids = selectors.case_list_page_ids(user=user, filters=filters)
            if form.is_bound and form.cleaned_data.get("number") and request.GET.get("page") in (None, "", "1"):
                audit(actor=user, action="case.number_searched", fields=["number"])
        paginator = DeferredJoinPaginator(cases, PAGE_SIZE, rows=rows, ids=ids)
        if valid:
            known = selectors.case_list_count(user=user, filters=filters)
            if known is not None:
                paginator.count = known  # the counters answered: no COUNT over the tenant's cases
        page = paginator.get_page(request.GET.get("page"))
    for case in page.object_list:
        # Category, risk, kecamatan and assignee are case-team data; others see number, date, stage.
        case.show_details = policy.can(user, "cases.view_case_full", case)
    context = {
        "form": form,
        "identity_form": identity_form,
        "identity_search": identity_search,
        "is_case_worker": is_case_worker,
        "can_create": policy.can(user, "cases.create_case", user.tenant) and is_case_worker,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
    }
    template = "cases/partials/_case_list_results.html" if _is_partial(request) else "cases/case_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
