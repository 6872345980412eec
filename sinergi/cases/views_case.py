"""HTML pages of the case team: case list, intake, the case page and its actions.

Thin views: parse with a form, call one selector or service, render. Visibility comes from the
selectors (404 when not visible), actions from the policy inside the services (403). The case page is
rendered only from `selectors.case_projection`, so a referred agency's officer receives its
need-to-know fields and nothing else. Identity fields stay masked until an audited reveal.
"""

import datetime as dt
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models as m
from django.db.models import prefetch_related_objects
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited

from sinergi.audit.services import record as audit
from sinergi.core import policy
from sinergi.core.forms import add_service_errors
from sinergi.core.pagination import DeferredJoinPaginator
from sinergi.documents.selectors import documents_for_owner
from sinergi.documents.views import owner_document_upload
from sinergi.regions.models import District, Village
from sinergi.regions.selectors import districts_for_regency

from . import fieldsets, selectors, services
from . import taxonomy as t
from .forms import (
    AUTO,
    AssignForm,
    CaseDocumentForm,
    CaseFilterForm,
    CloseForm,
    DiversionForm,
    DocumentKind,
    DuplicateCheckForm,
    FirstResponseForm,
    IdentitySearchForm,
    IntakeCaseForm,
    IntakePerpetratorForm,
    IntakeReporterForm,
    IntakeVictimForm,
    NoteForm,
    ReferralForm,
    ReopenForm,
    RightForm,
    StageForm,
    TriageForm,
)
from .limits import identity_lookup_allowed
from .models import Case, Person

PAGE_SIZE = 25
DISTRICT_CODE_LENGTH = 8  # "64.02.01"; desa/kelurahan codes are longer
TIMELINE_PAGE = 50

MSG_CREATED = _("Case %(number)s registered.")
MSG_SAVED = _("Saved.")

IDENTITY_LABELS = {name: Person._meta.get_field(name).verbose_name for name in fieldsets.IDENTITY_FIELDS}
ROLE_LABELS = dict(Person.Role.choices)


def _label(choices: Any, value: Any) -> Any:
    return dict(choices.choices).get(value, value) if value else ""


def _is_partial(request: HttpRequest) -> bool:
    return bool(request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request)


def _referral_url(referral_id: Any) -> str:
    try:
        return reverse("cases:referral_detail", args=[referral_id])
    except NoReverseMatch:
        return f"/cases/referrals/{referral_id}/"


def _summary_url(case_id: Any) -> str:
    try:
        return reverse("cases:summary_pdf", args=[case_id])
    except NoReverseMatch:
        return ""


# ---- Case list -------------------------------------------------------------------------------


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
        page = DeferredJoinPaginator(selectors.case_list_with_overdue_flag(cases), PAGE_SIZE).get_page(1)
    else:
        cases = Case.objects.none()
        if not form.is_bound or form.is_valid():
            cases = selectors.case_list_for_user(user=user, filters=form.filters() if form.is_bound else None)
        page = DeferredJoinPaginator(selectors.case_list_with_overdue_flag(cases), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
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


# ---- Intake ----------------------------------------------------------------------------------

_VICTIM_ERROR_FIELDS = frozenset({"nik", "birth_date", "full_name", "sex", "age", "education"})


def _intake_errors(exc: ValidationError, case_form: IntakeCaseForm, victim_form: IntakeVictimForm) -> None:
    if not hasattr(exc, "error_dict"):
        case_form.add_error(None, exc.error_list)
        return
    for name, errors in exc.error_dict.items():
        if name in case_form.fields:
            case_form.add_error(name, errors)
        elif name in _VICTIM_ERROR_FIELDS:
            victim_form.add_error(name, errors)
        else:
            case_form.add_error(None, errors)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    """Intake by a case manager or the office head: the case, one victim, optional perpetrator and reporter."""
    user = request.user
    tenant = user.tenant
    policy.require(user, "cases.create_case", tenant)
    data = request.POST if request.method == "POST" else None
    regency = tenant.regency_id
    case_form = IntakeCaseForm(data, regency=regency)
    victim_form = IntakeVictimForm(
        data, regency=regency, duplicate_check=policy.can(user, "cases.check_duplicates", tenant)
    )
    perpetrator_form = IntakePerpetratorForm(data)
    reporter_form = IntakeReporterForm(data)
    all_forms = (case_form, victim_form, perpetrator_form, reporter_form)
    if data is not None and all([f.is_valid() for f in all_forms]):
        people = [victim_form.person_input()]
        if perpetrator_form.is_filled():
            people.append(perpetrator_form.person_input())
        if reporter_form.is_filled():
            people.append(reporter_form.person_input())
        try:
            case = services.case_intake(actor=user, tenant=tenant, data=case_form.intake_input(people))
        except ValidationError as exc:
            _intake_errors(exc, case_form, victim_form)
        else:
            messages.success(request, MSG_CREATED % {"number": case.number})
            return redirect("cases:detail", pk=case.pk)
    context = {
        "case_form": case_form,
        "victim_form": victim_form,
        "perpetrator_form": perpetrator_form,
        "reporter_form": reporter_form,
        "has_errors": data is not None and any(f.errors for f in all_forms),
    }
    return render(request, "cases/intake.html", context)


@login_required
@never_cache
@require_POST
def case_duplicates(request: HttpRequest) -> HttpResponse:
    """Warn that a person may already be known, naming only cases the user may already see."""
    user = request.user
    policy.require(user, "cases.check_duplicates", user.tenant)
    if not identity_lookup_allowed(request):
        raise Ratelimited
    data = request.POST.copy()
    for name in ("nik", "full_name", "birth_date"):  # plain names from API-like clients
        if name in data and f"victim-{name}" not in data:
            data[f"victim-{name}"] = data[name]
    form = DuplicateCheckForm(data)
    count, numbers = 0, []
    if form.is_valid() and form.has_key():
        d = form.cleaned_data
        count, numbers = selectors.duplicate_matches(
            user=user, tenant=user.tenant, nik=d["nik"], name=d["full_name"], birth_date=d["birth_date"]
        )
        audit(
            actor=user,
            action="case.duplicates_checked",
            fields=["nik"] if d["nik"] else ["full_name", "birth_date"],
            extra={"matches": count},
        )
    return render(request, "cases/partials/_case_duplicates.html", {"count": count, "numbers": numbers})


# ---- Case page -------------------------------------------------------------------------------


def _region_names(codes: set[str], *, known: dict[str, str] | None = None) -> dict[str, str]:
    """Names of kecamatan and desa/kelurahan codes; `known` names (already loaded) save a query."""
    names = dict(known or {})
    missing = {c for c in codes if c and c not in names}
    districts = {c for c in missing if len(c) <= DISTRICT_CODE_LENGTH}
    if districts:
        names.update(District.objects.filter(code__in=districts).values_list("code", "name"))
    if missing - districts:
        names.update({v.code: v.prefixed_name for v in Village.objects.filter(code__in=missing - districts)})
    return names


def _present_person(person: dict, regions: dict[str, str]) -> dict:
    """Labels for a person projection (the projection decides what is there; this only names it)."""
    out = dict(person)
    out["role_label"] = ROLE_LABELS.get(person["role"], person["role"])
    out["identity_rows"] = [
        {"name": name, "label": IDENTITY_LABELS[name], "value": person.get(name, "")}
        for name in person["identity_fields"]
    ]
    out["is_revealed"] = bool(person["revealed"])
    if "sex" in person:
        out["sex_label"] = _label(t.Sex, person["sex"])
    if "education" in person:
        out["education_label"] = _label(t.Education, person["education"])
    if "disabilities" in person:
        out["disability_labels"] = [_label(t.Disability, d) for d in person["disabilities"]]
    if "relation_to_victim" in person:
        out["relation_label"] = _label(t.Relation, person["relation_to_victim"])
        out["status_label"] = _label(t.PerpetratorStatus, person["perpetrator_status"])
    if "district" in person:
        out["district_name"] = regions.get(person["district"] or "", "")
        out["village_name"] = regions.get(person["village"] or "", "")
    return out


def _present(projection: dict, case: Case) -> dict:
    """The case projection with display labels and dates; adds nothing the projection left out."""
    p = dict(projection)
    people = p["victims"] + p["perpetrators"] + p["reporters"]
    codes = {p.get("district") or "", p.get("village") or ""}
    codes |= {x.get("district") or "" for x in people} | {x.get("village") or "" for x in people}
    # The case's own kecamatan/desa came with it (select_related); only their names are used, by code.
    known = {r.pk: getattr(r, "prefixed_name", r.name) for r in (case.district, case.village) if r is not None}
    regions = _region_names(codes, known=known)
    p["stage_label"] = _label(t.Stage, p["stage"])
    p["reported_on"] = dt.date.fromisoformat(p["reported_on"])
    if "category" in p:
        p["category_label"] = _label(t.Category, p["category"])
    if "channel" in p:
        p["channel_label"] = _label(t.Channel, p["channel"])
    if "forms" in p:
        p["form_labels"] = [_label(t.ViolenceForm, f) for f in p["forms"]]
    if "risk_level" in p:
        p["risk_label"] = _label(t.RiskLevel, p["risk_level"])
        p["triage_rows"] = [(label, bool(p["triage"].get(key))) for key, label, _w in t.TRIAGE_QUESTIONS]
    if "incident_on" in p:
        p["incident_on"] = dt.date.fromisoformat(p["incident_on"]) if p["incident_on"] else None
        p["incident_place_label"] = _label(t.Place, p["incident_place"])
        p["district_name"] = regions.get(p["district"] or "", "")
        p["village_name"] = regions.get(p["village"] or "", "")
    if "first_response_due_at" in p:
        due = dt.datetime.fromisoformat(p["first_response_due_at"])
        done = dt.datetime.fromisoformat(p["first_responded_at"]) if p["first_responded_at"] else None
        p["first_response_due_at"] = due
        p["first_responded_at"] = done
        p["first_response_overdue"] = done is None and due < timezone.now() and p["stage"] != t.Stage.CLOSED
        p["closure_reason_label"] = _label(t.ClosureReason, p["closure_reason"])
    for key in ("victims", "perpetrators", "reporters"):
        p[key] = [_present_person(x, regions) for x in p[key]]
    return p


def _rights_rows(*, case: Case, victim_labels: dict[str, str], bound: dict[str, Form], can_change: bool):
    groups: list[dict] = []
    order = {right: index for index, right in enumerate(t.Right.values)}
    items = sorted(selectors.rights_for_case(case=case), key=lambda i: (str(i.victim_id), order.get(i.right, 99)))
    for item in items:
        if not groups or groups[-1]["victim_id"] != str(item.victim_id):
            groups.append(
                {"victim_id": str(item.victim_id), "label": victim_labels.get(str(item.victim_id)), "items": []}
            )
        item.is_unresolved = item.status in t.UNRESOLVED_RIGHT_STATUSES
        prefix = f"right-{item.pk}"
        if can_change:
            item.form = bound.get(prefix) or RightForm(
                prefix=prefix, initial={"status": item.status if item.is_manual else AUTO}
            )
        groups[-1]["items"].append(item)
    return groups


def _detail_context(
    request: HttpRequest,
    case: Case,
    *,
    bound: dict[str, Form] | None = None,
    revealed: dict[str, frozenset[str]] | None = None,
    flash: Any = "",
) -> dict:
    """Everything the case page shows, built from the projection; team sections only for the team."""
    user = request.user
    bound = bound or {}
    prefetch_related_objects([case], "people")  # read once: the projection and the referral form share it
    p = _present(selectors.case_projection(user=user, case=case, revealed=revealed), case)
    is_team = policy.can(user, "cases.view_case_full", case)
    context: dict[str, Any] = {"case": case, "p": p, "is_team": is_team, "flash": flash}
    if policy.can(user, "cases.download_case_summary", case):
        context["summary_url"] = _summary_url(case.pk)
    # The number of services per referral is all the page shows of them: a COUNT in the same query.
    referrals = list(
        selectors.referrals_for_case(user=user, case=case)
        .prefetch_related(None)
        .annotate(service_count=m.Count("services"))
    )
    victim_labels = {
        v["id"]: f"{index}. {v.get('full_name') or v['role_label']}" for index, v in enumerate(p["victims"], 1)
    }
    today = timezone.localdate()
    for referral in referrals:
        referral.url = _referral_url(referral.pk)
        referral.victim_label = victim_labels.get(str(referral.victim_id), "") if referral.victim_id else ""
        referral.is_overdue = referral.is_open and referral.due_on < today
    context["referrals"] = referrals
    if not is_team:
        return context

    can_change = policy.can(user, "cases.change_case", case)
    can_close = policy.can(user, "cases.close_case", case)
    can_override = policy.can(user, "cases.close_case_override", case)
    rights = _rights_rows(case=case, victim_labels=victim_labels, bound=bound, can_change=can_change)
    has_unresolved = any(item.is_unresolved for group in rights for item in group["items"])
    timeline = list(selectors.timeline_for_case(case=case)[: TIMELINE_PAGE + 1])
    context.update(
        {
            "can_change": can_change,
            "can_assign": policy.can(user, "cases.assign_case", case),
            "can_refer": policy.can(user, "cases.refer_case", case),
            "can_close": can_close,
            "can_override": can_override,
            "can_reopen": policy.can(user, "cases.reopen_case", case),
            "can_view_documents": policy.can(user, "cases.view_case_documents", case),
            "can_manage_documents": policy.can(user, "cases.manage_case_documents", case),
            "transitions": [(s, _label(t.Stage, s)) for s in t.STAGE_TRANSITIONS.get(case.stage, ())],
            "rights": rights,
            "has_unresolved": has_unresolved,
            "timeline": timeline[:TIMELINE_PAGE],
            "timeline_more": len(timeline) > TIMELINE_PAGE,
            "timeline_next": TIMELINE_PAGE,
            "is_abh": case.category == t.Category.ABH,
            "triage_form": bound.get("triage") or TriageForm(case=case),
            "stage_form": bound.get("stage") or StageForm(),
            "first_response_form": bound.get("first_response") or FirstResponseForm(),
            "note_form": bound.get("note") or NoteForm(),
            "reopen_form": bound.get("reopen") or ReopenForm(),
            "close_form": bound.get("close") or CloseForm(with_override=can_override and has_unresolved),
        }
    )
    if context["can_assign"]:
        context["assign_form"] = bound.get("assign") or AssignForm(case=case)
    if context["can_refer"]:
        context["referral_form"] = bound.get("referral") or ReferralForm(case=case, victims=list(victim_labels.items()))
    if context["is_abh"]:
        context["diversions"] = list(case.diversions.all())
        context["diversion_form"] = bound.get("diversion") or DiversionForm()
    if context["can_view_documents"]:
        documents = list(documents_for_owner(owner=case))
        for document in documents:
            document.kind = DocumentKind.LABELS.get(document.kind, document.kind)  # display only, never saved
        context["documents"] = documents
        context["document_form"] = bound.get("document") or CaseDocumentForm()
    return context


def _render_page(request: HttpRequest, case: Case, *, status: int = 200, **kwargs: Any) -> HttpResponse:
    """The full case page. Showing it is a read of sensitive data: audited once per page view."""
    context = _detail_context(request, case, **kwargs)
    audit(actor=request.user, action="case.viewed", obj=case)
    return render(request, "cases/case_detail.html", context, status=status)


def _victims_of(case: Case) -> list[Person]:
    return [p for p in case.people.all() if p.role == Person.Role.VICTIM]


def _case_for(request: HttpRequest, pk: UUID) -> Case:
    return selectors.case_get_for_user(user=request.user, pk=pk)


@login_required
@never_cache
@require_GET
def case_detail(request: HttpRequest, pk: UUID) -> HttpResponse:
    return _render_page(request, _case_for(request, pk))


@login_required
@never_cache
@require_GET
def case_timeline(request: HttpRequest, pk: UUID) -> HttpResponse:
    """Older timeline entries ("show more"), for the case team."""
    case = _case_for(request, pk)
    policy.require(request.user, "cases.view_case_full", case)
    try:
        offset = max(int(request.GET.get("offset", TIMELINE_PAGE)), 0)
    except ValueError:
        offset = TIMELINE_PAGE
    entries = list(selectors.timeline_for_case(case=case)[offset : offset + TIMELINE_PAGE + 1])
    context = {
        "case": case,
        "timeline": entries[:TIMELINE_PAGE],
        "timeline_more": len(entries) > TIMELINE_PAGE,
        "timeline_next": offset + TIMELINE_PAGE,
    }
    template = "cases/partials/_case_timeline_items.html" if _is_partial(request) else "cases/case_timeline.html"
    return render(request, template, context)


@login_required
@never_cache
@require_POST
@ratelimit(key="user", rate="60/h", block=True)
def case_reveal(request: HttpRequest, pk: UUID, person_pk: UUID) -> HttpResponse:
    """Show one person's identity fields in clear (only those the reader may see); audited."""
    case = _case_for(request, pk)
    person = selectors.person_get_for_case(case=case, pk=person_pk)
    if not selectors.person_in_projection(user=request.user, case=case, person=person):
        raise Http404  # someone this reader's projection leaves out: as if missing, like the API
    plain = services.identity_reveal(actor=request.user, case=case, person=person, fields=[])
    if not _is_partial(request):
        return _render_page(request, case, revealed={str(person.pk): frozenset(plain)})
    fields = selectors.person_fields(user=request.user, case=case, person=person)
    projection = selectors.person_projection(person, fields, prefix=person.role, revealed=frozenset(plain))
    regions = _region_names({projection.get("district") or "", projection.get("village") or ""})
    context = {"case": case, "person": _present_person(projection, regions)}
    return render(request, "cases/partials/_case_person.html", context)


# ---- Case actions (POST) ---------------------------------------------------------------------


def _done(request: HttpRequest, case: Case, message: Any = MSG_SAVED) -> HttpResponse:
    """After a successful action: the refreshed case body for htmx, a redirect (PRG) otherwise."""
    if _is_partial(request):
        return render(request, "cases/partials/_case_body.html", _detail_context(request, case, flash=message))
    messages.success(request, message)
    return redirect("cases:detail", pk=case.pk)


def _failed(request: HttpRequest, case: Case, key: str, form: Form) -> HttpResponse:
    """The form again with its errors: 422 with the case body for htmx, the full page (200) otherwise."""
    if _is_partial(request):
        context = _detail_context(request, case, bound={key: form})
        return render(request, "cases/partials/_case_body.html", context, status=422)
    return _render_page(request, case, bound={key: form})


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
@require_POST
def case_triage(request: HttpRequest, pk: UUID) -> HttpResponse:
    case = _case_for(request, pk)
    policy.require(request.user, "cases.change_case", case)
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
@require_POST
def case_first_response(request: HttpRequest, pk: UUID) -> HttpResponse:
    case = _case_for(request, pk)
    policy.require(request.user, "cases.change_case", case)
    return _run(
        request,
        case,
        "first_response",
        FirstResponseForm(request.POST),
        lambda d: services.case_record_first_response(actor=request.user, case=case, note=d["note"]),
        _("First response recorded."),
    )


@login_required
@require_POST
def case_assign(request: HttpRequest, pk: UUID) -> HttpResponse:
    case = _case_for(request, pk)
    policy.require(request.user, "cases.assign_case", case)
    return _run(
        request,
        case,
        "assign",
        AssignForm(request.POST, case=case),
        lambda d: services.case_assign(actor=request.user, case=case, assignee=d["assignee"]),
        _("Case assigned."),
    )


@login_required
@require_POST
def case_note(request: HttpRequest, pk: UUID) -> HttpResponse:
    case = _case_for(request, pk)
    policy.require(request.user, "cases.change_case", case)
    return _run(
        request,
        case,
        "note",
        NoteForm(request.POST),
        lambda d: services.case_add_note(actor=request.user, case=case, text=d["text"]),
        _("Note added."),
    )


@login_required
@require_POST
def case_right(request: HttpRequest, pk: UUID, item_pk: UUID) -> HttpResponse:
    case = _case_for(request, pk)
    item = selectors.rights_for_case(case=case).filter(pk=item_pk).first()
    if item is None:
        raise Http404
    policy.require(request.user, "cases.change_case", case)
    prefix = f"right-{item.pk}"
    return _run(
        request,
        case,
        prefix,
        RightForm(request.POST, prefix=prefix),
        lambda d: services.right_set(actor=request.user, item=item, status=d["status"], reason=d["reason"]),
        _("Right updated."),
    )


@login_required
@require_POST
def case_refer(request: HttpRequest, pk: UUID) -> HttpResponse:
    case = _case_for(request, pk)
    policy.require(request.user, "cases.refer_case", case)
    # Same labels as on the page: the team's projection masks the name the same way.
    victims = [(str(v.pk), f"{i}. {selectors.mask(v.full_name)}") for i, v in enumerate(_victims_of(case), 1)]

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
        )

    return _run(
        request, case, "referral", ReferralForm(request.POST, case=case, victims=victims), refer, _("Referral sent.")
    )


@login_required
@require_POST
def case_close(request: HttpRequest, pk: UUID) -> HttpResponse:
    case = _case_for(request, pk)
    policy.require(request.user, "cases.close_case", case)
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
@require_POST
def case_reopen(request: HttpRequest, pk: UUID) -> HttpResponse:
    case = _case_for(request, pk)
    policy.require(request.user, "cases.reopen_case", case)
    return _run(
        request,
        case,
        "reopen",
        ReopenForm(request.POST),
        lambda d: services.case_reopen(actor=request.user, case=case, reason=d["reason"]),
        _("Case reopened."),
    )


@login_required
@require_POST
def case_diversion(request: HttpRequest, pk: UUID) -> HttpResponse:
    case = _case_for(request, pk)
    policy.require(request.user, "cases.change_case", case)
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
@require_POST
@ratelimit(key="user", rate="120/h", block=True)
def case_document_upload(request: HttpRequest, pk: UUID) -> HttpResponse:
    case = _case_for(request, pk)
    form, document = owner_document_upload(request, owner=case, form_class=CaseDocumentForm, add=_add_case_document)
    if document is not None:
        return _done(request, case, _("Document uploaded."))
    return _failed(request, case, "document", form)


def _add_case_document(*, actor: Any, owner: Any, **kwargs: Any):
    return services.case_document_add(actor=actor, case=owner, **kwargs)
