from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.decorators import ratelimit

from sinergi.core import policy

from . import selectors, services


@login_required
@require_GET
@ratelimit(key="user", rate="300/h", block=True)
def download(request: HttpRequest, pk: UUID) -> HttpResponse:
    document = selectors.document_get_for_user(user=request.user, pk=pk)
    return services.document_response(actor=request.user, document=document)


@login_required
@require_POST
@ratelimit(key="user", rate="120/h", block=True)
def delete(request: HttpRequest, pk: UUID) -> HttpResponse:
    document = selectors.document_get_for_user(user=request.user, pk=pk)
    policy.require(request.user, "documents.delete_document", document)
    services.document_delete(actor=request.user, document=document)
    if request.htmx:
        return HttpResponse("")  # hx-swap="outerHTML" removes the row
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(next_url)
    return redirect("core:home")
