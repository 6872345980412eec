"""The case page: detail, timeline and the audited reveal of an identity."""

import datetime as dt
from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.db import models as m
from django.db.models import prefetch_related_objects
from django.db.models.functions import Coalesce
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.decorators import ratelimit

from sinergi.audit.services import record as audit
from sinergi.core import policy
from sinergi.documents.selectors import documents_for_owner
from sinergi.regions.models import District, Village

from .. import overdue, selectors, services
from .. import taxonomy as t
from ..forms import (
    AUTO,
    AssignForm,
    CaseDocumentForm,
    CloseForm,
    DiversionForm,
    DocumentKind,
    FirstResponseForm,
    NoteForm,
    ReferralForm,
    ReopenForm,
    RightForm,
    StageForm,
    TriageForm,
)
from ..models import Case, Person, ServiceRecord, TimelineEntry
from ..open_items import open_items
from .common import (
    DISTRICT_CODE_LENGTH,
    IDENTITY_LABELS,
    ROLE_LABELS,
    TIMELINE_PAGE,
    _is_partial,
    _label,
    _referral_url,
    _summary_url,
)


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
        p["first_response_overdue"] = overdue.first_response_is_overdue(
            due_at=due, responded_at=done, stage=p["stage"], now=timezone.now()
        )
        p["closure_reason_label"] = _label(t.ClosureReason, p["closure_reason"])
    for key in ("victims", "perpetrators", "reporters"):
        p[key] = [_present_person(x, regions) for x in p[key]]
    return p


_PLACEHOLDER = UUID(int=0)


def _timeline_rows(entries: Any) -> list:
    """Timeline entries with their kind's label (one choices dict for all, not one per get_kind_display)."""
    labels = dict(TimelineEntry.Kind.choices)
    rows = list(entries)
    for entry in rows:
        entry.kind_label = labels.get(entry.kind, entry.kind)
    return rows


def _rights_rows(
    *, case: Case, victim_labels: dict[str, str], bound: dict[str, Form], can_change: bool, wanted: set[str]
):
    groups: list[dict] = []
    order = {right: index for index, right in enumerate(t.Right.values)}
    items = sorted(selectors.rights_for_case(case=case), key=lambda i: (str(i.victim_id), order.get(i.right, 99)))
    right_labels, status_labels = dict(t.Right.choices), dict(t.RightStatus.choices)
    url_of = reverse("cases:case_right", args=[case.pk, _PLACEHOLDER])
    for item in items:
        if not groups or groups[-1]["victim_id"] != str(item.victim_id):
            groups.append(
                {"victim_id": str(item.victim_id), "label": victim_labels.get(str(item.victim_id)), "items": []}
            )
        item.is_unresolved = item.status in t.UNRESOLVED_RIGHT_STATUSES
        # Labels and the action URL computed here, once per row: get_FOO_display() rebuilds the choices
        # dict on every call, and the page has 11 rows per child victim.
        item.right_label = right_labels.get(item.right, item.right)
        item.status_label = status_labels.get(item.status, item.status)
        prefix = f"right-{item.pk}"
        item.form_key = prefix
        item.url = url_of.replace(str(_PLACEHOLDER), str(item.pk))
        if can_change and prefix in wanted:  # rendered only when opened (or sent back with errors)
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
    open_form: str = "",
) -> dict:
    """Everything the case page shows, built from the projection; team sections only for the team.

    Action forms are built only when asked for: `open_form` (the form a GET of an action URL opens)
    and the `bound` ones that came back with errors; every other action is a link that opens it."""
    user = request.user
    bound = bound or {}
    wanted = set(bound) | ({open_form} if open_form else set())
    prefetch_related_objects([case], "people")  # read once: the projection and the referral form share it
    p = _present(selectors.case_projection(user=user, case=case, revealed=revealed), case)
    is_team = policy.can(user, "cases.view_case_full", case)
    context: dict[str, Any] = {"case": case, "p": p, "is_team": is_team, "flash": flash}
    if policy.can(user, "cases.download_case_summary", case):
        context["summary_url"] = _summary_url(case.pk)
    # The number of services per referral is all the page shows of them: a COUNT subquery in the same query
    # (no GROUP BY over every column). Only the agency is joined, and the free texts the table does not show
    # (the note, the emergency reason) are not read, so not decrypted; the victim is named from the projection.
    services = ServiceRecord.objects.filter(referral_id=m.OuterRef("pk")).order_by().values("referral_id")
    referrals = list(
        selectors.referrals_for_case(user=user, case=case)
        .prefetch_related(None)
        .select_related(None)
        .select_related("agency")
        .defer("note", "emergency_reason")
        .annotate(service_count=Coalesce(m.Subquery(services.annotate(n=m.Count("pk")).values("n")[:1]), 0))
    )
    victim_labels = {
        v["id"]: f"{index}. {v.get('full_name') or v['role_label']}" for index, v in enumerate(p["victims"], 1)
    }
    today = timezone.localdate()
    service_labels, referral_status_labels = dict(t.ServiceType.choices), dict(t.ReferralStatus.choices)
    for referral in referrals:
        referral.service_label = service_labels.get(referral.service_type, referral.service_type)
        referral.status_label = referral_status_labels.get(referral.status, referral.status)
        referral.url = _referral_url(referral.pk)
        referral.victim_label = victim_labels.get(str(referral.victim_id), "") if referral.victim_id else ""
        referral.is_overdue = overdue.referral_is_overdue(referral, today=today)
    context["referrals"] = referrals
    context["open_referral_count"] = sum(1 for r in referrals if r.status in t.OPEN_REFERRAL_STATUSES)
    context["open_form"] = open_form
    if not is_team:
        return context

    can_change = policy.can(user, "cases.change_case", case)
    can_close = policy.can(user, "cases.close_case", case)
    can_override = policy.can(user, "cases.close_case_override", case)
    rights = _rights_rows(case=case, victim_labels=victim_labels, bound=bound, can_change=can_change, wanted=wanted)
    items = [item for group in rights for item in group["items"]]
    has_unresolved = any(item.is_unresolved for item in items)
    needed = [item for item in items if item.status != t.RightStatus.NOT_NEEDED]
    timeline = _timeline_rows(selectors.timeline_for_case(case=case)[: TIMELINE_PAGE + 1])
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
            "rights_needed": len(needed),
            "rights_fulfilled": sum(1 for item in needed if item.status == t.RightStatus.FULFILLED),
            "timeline": timeline[:TIMELINE_PAGE],
            "timeline_more": len(timeline) > TIMELINE_PAGE,
            "timeline_next": TIMELINE_PAGE,
            "is_abh": case.category == t.Category.ABH,
        }
    )

    def form(key: str, build: Any) -> Form | None:
        return bound.get(key) or (build() if key in wanted else None)

    context.update(
        {
            "triage_form": form("triage", lambda: TriageForm(case=case)),
            "stage_form": bound.get("stage") or StageForm(),  # the next-step buttons stay on the page
            "first_response_form": form("first_response", FirstResponseForm),
            "note_form": form("note", NoteForm),
            "reopen_form": form("reopen", ReopenForm),
            "close_form": form("close", lambda: CloseForm(with_override=can_override and has_unresolved)),
        }
    )
    if "close" in wanted:
        context["closure_open_items"] = open_items(user=user, case=case)
    if context["can_assign"]:
        context["assign_form"] = form("assign", lambda: AssignForm(case=case))
    if context["can_refer"]:
        context["referral_form"] = form(
            "referral",
            lambda: ReferralForm(
                case=case,
                victims=list(victim_labels.items()),
                with_emergency=policy.can(user, "cases.refer_without_consent", case),
            ),
        )
    if context["is_abh"]:
        context["diversions"] = list(case.diversions.all())
        context["diversion_form"] = form("diversion", DiversionForm)
    if context["can_view_documents"]:
        documents = list(documents_for_owner(owner=case))
        for document in documents:
            document.kind = DocumentKind.LABELS.get(document.kind, document.kind)  # display only, never saved
        context["documents"] = documents
        context["document_form"] = form("document", CaseDocumentForm)
    context.update(_plan_context(user=user, case=case, bound=bound, wanted=wanted, can_change=can_change))
    return context


# The case plan's forms: (key, action URL name, opener label, submit label); built only when opened.
PLAN_FORMS = (
    ("plan_goal", "cases:plan_goal_add", _("Add a goal"), _("Add goal")),
    ("plan_task", "cases:plan_task_add", _("Add a task"), _("Add task")),
    ("follow_up", "cases:follow_up_schedule", _("Schedule a follow-up"), _("Schedule")),
)


def is_plan_stage(case: Case) -> bool:
    """Goals, tasks and follow-ups are added from the intervention-plan stage on (services/plan.py refuses
    them before); the page offers the forms only then."""
    return case.stage in t.PLAN_STAGES


def _plan_context(*, user: Any, case: Case, bound: dict, wanted: set[str], can_change: bool) -> dict:
    """The case plan section (case team): shown from the intervention-plan stage, or once it has items.

    Its forms are links until opened (the task and follow-up forms list every user and agency)."""
    from sinergi.accounts.models import User

    from ..forms_plan import FollowUpCancelForm, FollowUpChangeForm, FollowUpForm, PlanGoalForm, PlanTaskForm
    from ..plan_selectors import plan_for_case
    from ..policy import users_who_may_open_q

    plan = plan_for_case(user=user, case=case)
    if plan is None:
        return {}
    can_plan = can_change and is_plan_stage(case)
    context: dict[str, Any] = {"plan": plan, "can_plan": can_plan}
    now = timezone.now()
    upcoming = [f for f in plan["follow_ups"] if f.starts_at >= now]  # ordered by starts_at
    if upcoming:
        context["next_follow_up"] = {"when": upcoming[0].starts_at, "label": upcoming[0].get_kind_display()}
    if can_plan:
        builders = {
            "plan_goal": PlanGoalForm,
            "plan_task": lambda: PlanTaskForm(case=case),
            "follow_up": lambda: FollowUpForm(case=case),
        }
        context["task_statuses"] = t.PlanTaskStatus.choices
        # A follow-up's "move" and "cancel" forms are links until opened, like every other action form
        # (the move form lists every user who may open the case).
        for item in plan["follow_ups"]:
            item.slot = f"slot-follow-up-{item.pk}"
            change, cancel = f"follow_up_change:{item.pk}", f"follow_up_cancel:{item.pk}"
            item.change_form = bound.get(change) or (
                FollowUpChangeForm(
                    follow_up=item, owners=list(User.objects.filter(users_who_may_open_q(case)).order_by("full_name"))
                )
                if change in wanted
                else None
            )
            item.cancel_form = bound.get(cancel) or (FollowUpCancelForm(follow_up=item) if cancel in wanted else None)
        context["plan_forms"] = [
            {
                "key": key,
                "slot": f"slot-{key.replace('_', '-')}",
                "form": bound.get(key) or (builders[key]() if key in wanted else None),
                "url": reverse(url, args=[case.pk]),
                "summary": summary,
                "button": button,
            }
            for key, url, summary, button in PLAN_FORMS
        ]
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
    entries = _timeline_rows(selectors.timeline_for_case(case=case)[offset : offset + TIMELINE_PAGE + 1])
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
