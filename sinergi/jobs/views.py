"""Job pages: my jobs, one job's progress (polled by htmx until it finishes) and the result download."""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import kinds, selectors, services


@login_required
@require_GET
@never_cache
def job_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.job_list_for_user(user=request.user), 25).get_page(request.GET.get("page"))
    for job in page:
        job.kind_label = kinds.label(job.kind)
    return render(request, "jobs/list.html", {"page": page})


@login_required
@require_GET
@never_cache
def job_detail(request: HttpRequest, pk: UUID) -> HttpResponse:
    job = selectors.job_get_for_user(user=request.user, pk=pk)
    job.kind_label = kinds.label(job.kind)
    template = "jobs/detail.html"
    if request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request:
        template += "#status"
    response = render(request, template, {"job": job})
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
def job_download(request: HttpRequest, pk: UUID) -> HttpResponse:
    job = selectors.job_get_for_user(user=request.user, pk=pk)
    try:
        chunks = services.job_result_open(actor=request.user, job=job)
    except services.ResultExpired:
        job.kind_label = kinds.label(job.kind)
        response = render(request, "jobs/expired.html", {"job": job}, status=410)
        response["Cache-Control"] = "no-store"
        return response
    return result_response(job, chunks)


def result_response(job, chunks) -> StreamingHttpResponse:
    """The decrypted result as an attachment that no cache keeps and no browser renders."""
    response = StreamingHttpResponse(chunks, content_type=job.result_content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=job.result_name)
    response["Content-Length"] = str(job.result_size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
