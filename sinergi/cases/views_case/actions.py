"""Actions on a case page (POST): each parses a form, calls one service and re-renders."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from sinergi.core import policy
from sinergi.core.forms import add_service_errors
from sinergi.documents.views import owner_document_upload

from .. import providers, selectors, services
from .. import taxonomy as t
from ..forms import (
    AssignForm,
    CaseDocumentForm,
    CloseForm,
    DiversionForm,
    FirstResponseForm,
    NoteForm,
    ReferralForm,
    ReopenForm,
    RightForm,
    StageForm,
    TriageForm,
)
from ..models import Case
from .common import MSG_SAVED, _is_partial
from .page import _case_for, _detail_context, _render_page, _victims_of


def _done(request: HttpRequest, case: Case, message: Any = MSG_SAVED) -> HttpResponse:
    """After a successful action: the refreshed case body for htmx, a redirect (PRG) otherwise."""
    if _is_partial(request):
        return render(request, "cases/partials/_case_body.html", _detail_context(request, case, flash=message))
    messages.success(request, message)
    return redirect("cases:detail", pk=case.pk)


def _failed(request: HttpRequest, case: Case, key: str, form: Form) -> HttpResponse:
    """The form again with its errors: 422 with the case body for htmx, the full page with 400 otherwise
    (bad input is a 4xx whichever way it came)."""
    if _is_partial(request):
        context = _detail_context(request, case, bound={key: form})
        return render(request, "cases/partials/_case_body.html", context, status=422)
    return _render_page(request, case, bound={key: form}, status=400)


# The partial (django-template-partials) each action form lives in; a GET of the action URL opens it.
FORM_PARTIALS = {
    "triage": "cases/partials/_case_workflow.html#triage-form",
    "first_response": "cases/partials/_case_workflow.html#first-response-form",
    "assign": "cases/partials/_case_workflow.html#assign-form",
    "note": "cases/partials/_case_timeline.html#note-form",
    "right": "cases/partials/_case_rights.html#right-form",
    "referral": "cases/partials/_case_referrals.html#referral-form",
    "close": "cases/partials/_case_closure.html#close-form",
    "reopen": "cases/partials/_case_closure.html#reopen-form",
    "diversion": "cases/partials/_case_diversion.html#diversion-form",
    "document": "cases/partials/_case_documents.html#document-form",
    "plan": "cases/partials/_case_plan.html#plan-form",
    "follow_up": "cases/partials/_case_plan.html#follow-up-forms",
}


def _open_form(request: HttpRequest, case: Case, key: str, *, partial: str = "") -> HttpResponse:
    """GET of an action URL: the empty form on demand. htmx gets only the form (into its slot on the
    case page); without JS, the case page with that form open. The caller checked the permission."""
    if not _is_partial(request):
        return _render_page(request, case, open_form=key)
    context = _detail_context(request, case, open_form=key)
    if partial == "right":
        context["item"] = next(i for g in context["rights"] for i in g["items"] if i.form_key == key)
    elif partial == "plan":  # the caller checked the stage (views_case.plan)
        context["plan_form"] = next(f for f in context["plan_forms"] if f["key"] == key)
    elif partial == "follow_up":  # key "follow_up_change:<pk>" or "follow_up_cancel:<pk>"
        pk = key.partition(":")[2]
        context["item"] = next(i for i in context["plan"]["follow_ups"] if str(i.pk) == pk)
    return render(request, FORM_PARTIALS[partial or key], context)


def _run(request: HttpRequest, case: Case, key: str, form: Form, action, message: Any = MSG_SAVED) -> HttpResponse:
    """Validate `form`, call `action(cleaned_data)` (a service), map its ValidationError onto the form."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _done(request, case, message)
    return _failed(request, case, key, form)


@login_required
@require_http_methods(["GET", "POST"])
def case_triage(request: HttpRequest, pk: UUID) -> HttpResponse:
    case = _case_for(request, pk)
    policy.require(request.user, "cases.change_case", case)
    if request.method == "GET":
        return _open_form(request, case, "triage")
    form = TriageForm(request.POST, case=case)
    return _run(
        request,
        case,
        "triage",
        form,
        lambda d: services.case_triage(actor=request.user, case=case, answers=form.answers()),
        _("Triage saved."),
    )


@login_required
@require_POST
def case_stage(request: HttpRequest, pk: UUID) -> HttpResponse:
    case = _case_for(request, pk)
    policy.require(request.user, "cases.change_case", case)
    return _run(
        request,
        case,
        "stage",
        StageForm(request.POST),
        lambda d: services.case_change_stage(actor=request.user, case=case, to_stage=d["to_stage"], note=d["note"]),
        _("Stage changed."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_first_response(request: HttpRequest, pk: UUID) -> HttpResponse:
    case = _case_for(request, pk)
    policy.require(request.user, "cases.change_case", case)
    if request.method == "GET":
        return _open_form(request, case, "first_response")
    return _run(
        request,
        case,
        "first_response",
        FirstResponseForm(request.POST),
        lambda d: services.case_record_first_response(actor=request.user, case=case, note=d["note"]),
        _("First response recorded."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_assign(request: HttpRequest, pk: UUID) -> HttpResponse:
    case = _case_for(request, pk)
    policy.require(request.user, "cases.assign_case", case)
    if request.method == "GET":
        return _open_form(request, case, "assign")
    return _run(
        request,
        case,
        "assign",
        AssignForm(request.POST, case=case),
        lambda d: services.case_assign(actor=request.user, case=case, assignee=d["assignee"]),
        _("Case assigned."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_note(request: HttpRequest, pk: UUID) -> HttpResponse:
    case = _case_for(request, pk)
    policy.require(request.user, "cases.change_case", case)
    if request.method == "GET":
        return _open_form(request, case, "note")
    return _run(
        request,
        case,
        "note",
        NoteForm(request.POST),
        lambda d: services.case_add_note(actor=request.user, case=case, text=d["text"]),
        _("Note added."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_right(request: HttpRequest, pk: UUID, item_pk: UUID) -> HttpResponse:
    case = _case_for(request, pk)
    item = selectors.rights_for_case(case=case).filter(pk=item_pk).first()
    if item is None:
        raise Http404
    policy.require(request.user, "cases.change_case", case)
    prefix = f"right-{item.pk}"
    if request.method == "GET":
        return _open_form(request, case, prefix, partial="right")
    return _run(
        request,
        case,
        prefix,
        RightForm(request.POST, prefix=prefix),
        lambda d: services.right_set(actor=request.user, item=item, status=d["status"], reason=d["reason"]),
        _("Right updated."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_refer(request: HttpRequest, pk: UUID) -> HttpResponse:
    case = _case_for(request, pk)
    policy.require(request.user, "cases.refer_case", case)
    if request.method == "GET":
        return _open_form(request, case, "referral")
    # Same labels as on the page: the team's projection masks the name the same way.
    victims = [(str(v.pk), f"{i}. {selectors.mask(v.full_name)}") for i, v in enumerate(_victims_of(case), 1)]

    form = ReferralForm(
        request.POST,
        case=case,
        victims=victims,
        with_emergency=policy.can(request.user, "cases.refer_without_consent", case),
    )

    def refer(d: dict) -> None:
        victim = selectors.person_get_for_case(case=case, pk=d["victim"]) if d["victim"] else None
        services.referral_create(
            actor=request.user,
            case=case,
            agency=d["agency"],
            service_type=d["service_type"],
            victim=victim,
            due_on=d["due_on"],
            note=d["note"],
            consent=form.consent_input(),
            emergency_reason=d.get("emergency_reason") or "",
        )

    return _run(request, case, "referral", form, refer, _("Referral sent."))


@login_required
def case_referral_agencies(request: HttpRequest, pk: UUID) -> HttpResponse:
    """The agency <option>s for the chosen service (htmx, on the referral form)."""
    case = _case_for(request, pk)
    policy.require(request.user, "cases.refer_case", case)
    service = request.GET.get("referral-service_type", "")
    if service not in t.ServiceType.values:
        service = t.ServiceType.values[0]
    agencies = providers.agencies_providing(tenant_id=case.tenant_id, service_type=service)
    return render(request, "cases/partials/_agency_options.html", {"agencies": agencies})


@login_required
@require_http_methods(["GET", "POST"])
def case_close(request: HttpRequest, pk: UUID) -> HttpResponse:
    case = _case_for(request, pk)
    policy.require(request.user, "cases.close_case", case)
    if request.method == "GET":
        return _open_form(request, case, "close")
    form = CloseForm(request.POST, with_override=policy.can(request.user, "cases.close_case_override", case))
    return _run(
        request,
        case,
        "close",
        form,
        lambda d: services.case_close(
            actor=request.user,
            case=case,
            reason=d["reason"],
            note=d["note"],
            override_reason=d.get("override_reason") or "",
        ),
        _("Case closed."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_reopen(request: HttpRequest, pk: UUID) -> HttpResponse:
    case = _case_for(request, pk)
    policy.require(request.user, "cases.reopen_case", case)
    if request.method == "GET":
        return _open_form(request, case, "reopen")
    return _run(
        request,
        case,
        "reopen",
        ReopenForm(request.POST),
        lambda d: services.case_reopen(actor=request.user, case=case, reason=d["reason"]),
        _("Case reopened."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_diversion(request: HttpRequest, pk: UUID) -> HttpResponse:
    case = _case_for(request, pk)
    policy.require(request.user, "cases.change_case", case)
    if request.method == "GET":
        return _open_form(request, case, "diversion")
    return _run(
        request,
        case,
        "diversion",
        DiversionForm(request.POST),
        lambda d: services.diversion_record(
            actor=request.user,
            case=case,
            level=d["level"],
            outcome=d["outcome"],
            decided_on=d["decided_on"],
            is_bapas_involved=d["is_bapas_involved"],
            note=d["note"],
        ),
        _("Diversion recorded."),
    )


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit(key="user", rate="120/h", block=True, method="POST")
def case_document_upload(request: HttpRequest, pk: UUID) -> HttpResponse:
    case = _case_for(request, pk)
    if request.method == "GET":
        policy.require(request.user, "cases.manage_case_documents", case)
        return _open_form(request, case, "document")
    form, document = owner_document_upload(request, owner=case, form_class=CaseDocumentForm, add=_add_case_document)
    if document is not None:
        return _done(request, case, _("Document uploaded."))
    return _failed(request, case, "document", form)


def _add_case_document(*, actor: Any, owner: Any, **kwargs: Any):
    return services.case_document_add(actor=actor, case=owner, **kwargs)
