"""The Prometheus scrape endpoint: 404 unless the scraper presents the token or comes from an allowed address."""

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST

from . import metrics


@never_cache
@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not metrics.is_allowed(
        authorization=request.META.get("HTTP_AUTHORIZATION", ""), remote_addr=request.META.get("REMOTE_ADDR", "")
    ):
        raise Http404  # an unconfigured or unauthorised scrape cannot tell that the endpoint exists
    return HttpResponse(metrics.render(), content_type=CONTENT_TYPE_LATEST)
