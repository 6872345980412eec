from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.decorators import ratelimit

from sinergi.core import policy
from sinergi.core.forms import add_service_errors
from sinergi.core.http import AuthenticatedHttpRequest

from . import selectors, services
from .models import Document
from .policy import owner_permission


@login_required
@require_GET
@ratelimit(key="user", rate="300/h", block=True)
def download(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    document = selectors.document_get_for_user(user=request.user, pk=pk)
    return services.document_response(actor=request.user, document=document)


@login_required
@require_GET
@ratelimit(key="user", rate="600/h", block=True)
def preview(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    document = selectors.document_get_for_user(user=request.user, pk=pk)
    return services.document_preview_response(actor=request.user, document=document)


@login_required
@require_GET
@ratelimit(key="user", rate="600/h", block=True)
def thumbnail(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    document = selectors.document_get_for_user(user=request.user, pk=pk)
    return services.document_preview_response(actor=request.user, document=document, thumbnail=True)


@login_required
@require_POST
@ratelimit(key="user", rate="120/h", block=True)
def delete(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    document = selectors.document_get_for_user(user=request.user, pk=pk)
    policy.require(request.user, "documents.delete_document", document)
    services.document_delete(actor=request.user, document=document)
    if request.htmx:
        return HttpResponse("")  # hx-swap="outerHTML" removes the row
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(next_url)
    return redirect("core:home")


def owner_document_upload(
    request: HttpRequest, *, owner: Any, form_class: type[Form], add: Callable[..., Document]
) -> tuple[Form, Document | None]:
    """The HTML upload step for any owner: permission, parse, store, errors on the form.

    The owner was looked up by the caller (404 if invisible); `form_class` parses `kind` (the owner's
    allowed kinds), `title` and `file`; `add(actor=, owner=, kind=, uploaded_file=, title=)` is the
    owner app's service. Returns the bound form and the new document (None when the form has errors),
    so the owner's view renders its own page or redirect.
    """
    policy.require(request.user, owner_permission(owner, "manage"), owner)
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        return form, None
    d = form.cleaned_data
    try:
        document = add(actor=request.user, owner=owner, kind=d["kind"], uploaded_file=d["file"], title=d["title"])
    except ValidationError as exc:
        add_service_errors(form, exc, default_field="file")
        return form, None
    return form, document
