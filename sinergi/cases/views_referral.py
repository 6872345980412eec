"""The receiving agency's side of a referral: its inbox, the referral page, accept/decline, services
delivered and documents.

Visibility comes from the selectors (404 when not visible), actions from the policy inside the
services (403). The case data on the referral page is rendered only from `selectors.case_projection`,
so an agency receives the field set of the services referred to it and nothing else; identity
fields stay masked until the audited reveal (`cases:reveal`).
"""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.decorators import ratelimit

from sinergi.audit.services import record as audit
from sinergi.core import policy
from sinergi.core.forms import add_service_errors
from sinergi.documents.selectors import documents_for_owner
from sinergi.documents.views import owner_document_upload

from . import overdue, selectors, services
from .forms_referral import (
    INBOX_TABS,
    DeclineForm,
    LetterForm,
    ReferralDocumentForm,
    ReferralDocumentKind,
    ServiceRecordForm,
)
from .models import Referral
from .views_case import _present

PAGE_SIZE = 25
TAB_VALUES = {value for value, _label in INBOX_TABS}

MSG_ACCEPTED = _("Referral accepted.")
MSG_DECLINED = _("Referral declined. The case manager has been told.")
MSG_SERVICE = _("Service recorded.")
MSG_DOCUMENT = _("Document uploaded.")


# ---- Inbox -----------------------------------------------------------------------------------


@login_required
@never_cache
@require_GET
def referral_inbox(request: HttpRequest) -> HttpResponse:
    """Referrals addressed to the user's agency, oldest due first. Rows name the case by number only."""
    user = request.user
    policy.require(user, "cases.view_referral_inbox")
    tab = request.GET.get("status", "open")
    if tab not in TAB_VALUES:
        tab = "open"
    referrals = selectors.referral_inbox_for_user(user=user, status=tab)
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for referral in page.object_list:
        referral.is_overdue = overdue.referral_is_overdue(referral, today=today)
    context = {"page": page, "tab": tab, "tabs": INBOX_TABS}
    return render(request, "cases/referral_inbox.html", context)


# ---- Referral page ---------------------------------------------------------------------------


def _referral_for(request: HttpRequest, pk: UUID) -> Referral:
    return selectors.referral_get_for_user(user=request.user, pk=pk)


def _detail_context(request: HttpRequest, referral: Referral, *, bound: dict[str, Form] | None = None) -> dict:
    user = request.user
    bound = bound or {}
    case = referral.case
    prefetch_related_objects([case], "people")
    projection = _present(selectors.case_projection(user=user, case=case), case)
    for index, victim in enumerate(projection["victims"], 1):
        victim["index"] = index
        victim["is_referred"] = str(referral.victim_id) == victim["id"]
    can_respond = policy.can(user, "cases.respond_referral", referral)
    can_record = policy.can(user, "cases.record_service", referral)
    can_view_documents = policy.can(user, "cases.view_referral_documents", referral)
    can_manage_documents = policy.can(user, "cases.manage_referral_documents", referral)
    today = timezone.localdate()
    context: dict[str, Any] = {
        "referral": referral,
        "case": case,
        "p": projection,
        "is_team": policy.can(user, "cases.view_case_full", case),
        "is_overdue": overdue.referral_is_overdue(referral, today=today),
        "services": list(referral.services.select_related("recorded_by")),
        "can_respond": can_respond,
        "can_record": can_record,
        "can_view_documents": can_view_documents,
        "can_view_note": policy.can(user, "cases.view_referral_note", referral),
        "can_manage_documents": can_manage_documents,
        "can_print_letter": policy.can(user, "cases.print_referral_letter", referral),
    }
    if context["can_print_letter"]:
        context["letter_form"] = bound.get("letter") or LetterForm(tenant=case.tenant)
    if can_respond:
        context["decline_form"] = bound.get("decline") or DeclineForm()
    if can_record:
        context["service_form"] = bound.get("service") or ServiceRecordForm()
    if can_view_documents:
        documents = list(documents_for_owner(owner=referral))
        for document in documents:
            document.kind = ReferralDocumentKind.LABELS.get(document.kind, document.kind)
        context["documents"] = documents
    if can_manage_documents:
        context["document_form"] = bound.get("document") or ReferralDocumentForm()
    return context


def _render_page(
    request: HttpRequest, referral: Referral, *, bound: dict[str, Form] | None = None, status: int = 200
) -> HttpResponse:
    """The referral page. Showing it is a read of sensitive case data: audited once per page view."""
    context = _detail_context(request, referral, bound=bound)
    audit(actor=request.user, action="referral.viewed", obj=referral, extra={"case": str(referral.case_id)})
    return render(request, "cases/referral_detail.html", context, status=status)


@login_required
@never_cache
@require_GET
def referral_detail(request: HttpRequest, pk: UUID) -> HttpResponse:
    return _render_page(request, _referral_for(request, pk))


# ---- Actions (POST, then redirect) -----------------------------------------------------------


@login_required
@require_POST
def referral_accept(request: HttpRequest, pk: UUID) -> HttpResponse:
    referral = _referral_for(request, pk)
    services.referral_respond(actor=request.user, referral=referral, accept=True)
    messages.success(request, MSG_ACCEPTED)
    return redirect("cases:referral_detail", pk=referral.pk)


@login_required
@require_POST
def referral_decline(request: HttpRequest, pk: UUID) -> HttpResponse:
    referral = _referral_for(request, pk)
    policy.require(request.user, "cases.respond_referral", referral)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.referral_respond(
                actor=request.user, referral=referral, accept=False, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, MSG_DECLINED)
            # Declined referrals leave the agency's need-to-know: back to the inbox.
            return redirect("cases:referral_inbox")
    return _render_page(request, referral, bound={"decline": form}, status=400)


@login_required
@require_POST
def referral_service(request: HttpRequest, pk: UUID) -> HttpResponse:
    referral = _referral_for(request, pk)
    policy.require(request.user, "cases.record_service", referral)
    form = ServiceRecordForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.service_record(
                actor=request.user,
                referral=referral,
                delivered_on=d["delivered_on"],
                sessions=d["sessions"],
                outcome=d["outcome"],
                notes=d["notes"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, MSG_SERVICE)
            return redirect("cases:referral_detail", pk=referral.pk)
    return _render_page(request, referral, bound={"service": form}, status=400)


@login_required
@require_POST
@ratelimit(key="user", rate="120/h", block=True)
def referral_document_upload(request: HttpRequest, pk: UUID) -> HttpResponse:
    referral = _referral_for(request, pk)
    form, document = owner_document_upload(
        request, owner=referral, form_class=ReferralDocumentForm, add=_add_referral_document
    )
    if document is not None:
        messages.success(request, MSG_DOCUMENT)
        return redirect("cases:referral_detail", pk=referral.pk)
    return _render_page(request, referral, bound={"document": form}, status=400)


def _add_referral_document(*, actor: Any, owner: Any, **kwargs: Any):
    return services.referral_document_add(actor=actor, referral=owner, **kwargs)


@login_required
@never_cache
@require_POST
def referral_letter(request: HttpRequest, pk: UUID) -> HttpResponse:
    """The surat rujukan as a PDF (POST: the first print takes a nomor surat), signed by the signatory
    chosen on the page (the tenant's default when none is chosen)."""
    referral = _referral_for(request, pk)
    policy.require(request.user, "cases.print_referral_letter", referral)
    form = LetterForm(request.POST, tenant=referral.case.tenant)
    if form.is_valid():
        try:
            data = services.referral_letter_pdf(
                actor=request.user, referral=referral, signatory=form.cleaned_data["signatory"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return letter_response(data, referral)
    return _render_page(request, referral, bound={"letter": form}, status=400)


def letter_response(data: bytes, referral: Referral) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="surat-rujukan-{str(referral.pk)[:8]}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
