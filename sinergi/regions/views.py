"""htmx endpoints behind the kecamatan → desa/kelurahan pickers: <option> lists, own regency only."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sinergi.core import policy

from . import selectors

MAX_QUERY_LENGTH = 100


@login_required
@require_GET
def village_options(request: HttpRequest) -> HttpResponse:
    """<option>s of the desa/kelurahan of one kecamatan (`?district=<code>`) in the user's regency.

    A form whose kecamatan field has another name passes `?field=<name>`, because htmx sends the
    select's value under its own name. No kecamatan chosen: only the empty option.
    """
    param = request.GET.get("field") or "district"
    code = request.GET.get(param, "").strip()
    villages = []
    if code:
        district = selectors.district_get_for_user(user=request.user, code=code)
        if district is None:
            raise Http404
        policy.require_visible(request.user, "regions.view_region", district)
        villages = selectors.villages_for_district(district_code=district.code)
    return render(request, "regions/partials/_village_options.html", {"villages": villages})


@login_required
@require_GET
def district_options(request: HttpRequest) -> HttpResponse:
    """<option>s of the kecamatan of the user's regency whose name contains `?q=` (all when empty)."""
    policy.require_visible(request.user, "regions.view_region", None)
    q = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
    districts = selectors.districts_for_user(user=request.user, q=q)
    return render(request, "regions/partials/_district_options.html", {"districts": districts})
