from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from sinergi.core import policy
from sinergi.documents import selectors as document_selectors
from sinergi.documents.views import owner_document_upload

from . import selectors, services
from .forms import VisitDocumentForm


@login_required
@require_GET
def visit_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "plugin_app.view_visit_list", request.user.tenant)
    return render(request, "plugin_app/visit_list.html", {"visits": selectors.visit_list_for_user(user=request.user)})


@login_required
@require_GET
def visit_detail(request: HttpRequest, pk: UUID) -> HttpResponse:
    visit = selectors.visit_get_for_user(user=request.user, pk=pk)
    policy.require(request.user, "plugin_app.view_visit_documents", visit)
    documents = document_selectors.documents_for_owner(owner=visit)
    return render(request, "plugin_app/visit_detail.html", {"visit": visit, "documents": documents})


@login_required
@require_POST
def visit_document_upload(request: HttpRequest, pk: UUID) -> HttpResponse:
    visit = selectors.visit_get_for_user(user=request.user, pk=pk)
    form, document = owner_document_upload(
        request, owner=visit, form_class=VisitDocumentForm, add=services.visit_document_add
    )
    if document is None:
        return render(request, "plugin_app/visit_detail.html", {"visit": visit, "form": form}, status=400)
    return redirect("plugin_app:visit_detail", pk=visit.pk)


@require_GET
def public_page(request: HttpRequest) -> HttpResponse:
    return render(request, "plugin_app/public.html")
