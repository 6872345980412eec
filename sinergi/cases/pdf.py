"""Case summary PDF (WeasyPrint), built from the need-to-know projection of the reader.

Identity fields appear in plaintext only for the case team (every identity field it may see is
revealed, and the reveal is audited with the field names). A referred agency receives its service's
field set, with identity fields masked as on screen (it reveals them one by one in the UI, audited).
In ABH cases no child's identity is printed for anyone (UU SPPA art. 19).

WeasyPrint would fetch any URL a template names: the fetcher below serves our own static files from
disk and refuses everything else (no network, no file:// paths).
"""

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from sinergi.audit.services import record as audit
from sinergi.core import policy
from sinergi.core.pdf import PDF_BASE_URL, StaticOnlyURLFetcher, render_pdf  # noqa: F401 (re-exported)

from . import fieldsets, selectors
from . import taxonomy as t
from .models import Case, Person, RightItem

SUMMARY_EXPORTED = "case.summary_exported"
TEMPLATE = "cases/pdf/summary.html"
# The model's labels of the identity fields (fieldsets owns the list), capitalised for the headings.
IDENTITY_LABELS = {name: capfirst(Person._meta.get_field(name).verbose_name) for name in fieldsets.IDENTITY_FIELDS}


def _labels(choices) -> dict[str, str]:
    return {str(value): str(label) for value, label in choices}


CATEGORY = _labels(t.Category.choices)
FORM = _labels(t.ViolenceForm.choices)
PLACE = _labels(t.Place.choices)
SEX = _labels(t.Sex.choices)
EDUCATION = _labels(t.Education.choices)
RELATION = _labels(t.Relation.choices)
DISABILITY = _labels(t.Disability.choices)
PERPETRATOR_STATUS = _labels(t.PerpetratorStatus.choices)


def _revealable(*, user: Any, case: Case, people: list[Person]) -> dict[str, frozenset[str]]:
    """Identity fields printed in plaintext: everything allowed, for the case team only."""
    if not policy.can(user, "cases.view_case_full", case):
        return {}
    protect_children = case.category == t.Category.ABH
    return {
        str(person.pk): selectors.allowed_identity_fields(user=user, case=case, person=person)
        for person in people
        if not (protect_children and person.is_child)
    }


def _person_view(person: dict) -> dict:
    """Display values of one projected person (only the keys the projection contains)."""
    view = {
        "identity": [
            {
                "label": IDENTITY_LABELS[name],
                "value": person.get(name) or "—",
                "is_revealed": name in person["revealed"],
            }
            for name in person.get("identity_fields", [])
        ],
        "details": [],
    }
    details = view["details"]
    if "sex" in person:
        details.append((_("Sex"), SEX.get(person["sex"], "—")))
    if "age" in person:
        age = person["age"]
        details.append((_("Age at the incident"), f"{age} ({person['age_band']})" if age is not None else "—"))
    if "has_disability" in person:
        kinds = ", ".join(DISABILITY.get(k, k) for k in person["disabilities"])
        details.append((_("Disability"), kinds or (_("Yes") if person["has_disability"] else _("No"))))
    if "education" in person:
        details.append((_("Education"), EDUCATION.get(person["education"], "—")))
    if "relation_to_victim" in person:
        details.append((_("Relation to the victim"), RELATION.get(person["relation_to_victim"], "—")))
        details.append((_("Legal status"), PERPETRATOR_STATUS.get(person["perpetrator_status"], "—")))
    return view


def _context(*, user: Any, case: Case, projection: dict) -> dict:
    fields = frozenset(projection["fields"])
    context: dict[str, Any] = {
        "case": projection,
        "tenant": case.tenant,
        "stage": t.Stage(case.stage).label,
        "reported_on": case.reported_on,
        "generated_at": timezone.localtime(),
        "generated_by": user.display_name,
        "is_team": fields == fieldsets.ALL_FIELDS,
        "is_abh": case.category == t.Category.ABH and "category" in projection,
        "victims": [_person_view(p) for p in projection["victims"]],
        "perpetrators": [_person_view(p) for p in projection["perpetrators"]],
        "reporters": [_person_view(p) for p in projection["reporters"]],
    }
    incident = []
    if "channel" in projection:
        incident.append((_("Channel"), t.Channel(case.channel).label))
    if "category" in projection:
        incident.append((_("Category"), CATEGORY.get(projection["category"], "—")))
    if "forms" in projection:
        incident.append((_("Forms of violence"), ", ".join(FORM.get(f, f) for f in projection["forms"]) or "—"))
    if "incident_on" in projection:
        incident.append((_("Incident date"), date_format(case.incident_on, "j F Y") if case.incident_on else "—"))
        incident.append((_("Place"), PLACE.get(projection["incident_place"], "—")))
        region = ", ".join(x.name for x in (case.village, case.district) if x is not None)
        incident.append((_("Kecamatan / desa"), region or "—"))
    if "risk_level" in projection:
        incident.append((_("Risk level"), t.RiskLevel(projection["risk_level"]).label))
    context["incident"] = incident
    if "case.rights" in fields:
        # Victims are numbered as in the people section; a right never prints a person's data.
        numbers = {p["id"]: i for i, p in enumerate(projection["victims"], 1)}
        context["rights"] = [
            {
                "victim": numbers.get(str(item.victim_id), "—"),
                "right": item.get_right_display(),
                "status": item.get_status_display(),
                "status_key": item.status,
                "is_manual": item.is_manual,
            }
            for item in RightItem.objects.filter(case=case).order_by("victim__created_at", "victim_id", "right")
        ]
    context["referrals"] = list(selectors.referrals_for_case(user=user, case=case))
    if "case.diversion" in fields and case.category == t.Category.ABH:
        context["diversions"] = list(case.diversions.all())
    if "case.timeline" in fields:
        context["timeline"] = list(selectors.timeline_for_case(case=case)[:100])
    return context


def case_summary_pdf(*, user: Any, case: Case) -> bytes:
    """The summary PDF of a case for this reader; the export (and any reveal) is audited."""
    policy.require(user, "cases.download_case_summary", case)
    people = list(case.people.all())
    revealed = _revealable(user=user, case=case, people=people)
    projection = selectors.case_projection(user=user, case=case, revealed=revealed)
    html = render_to_string(TEMPLATE, _context(user=user, case=case, projection=projection))
    data = render_pdf(html)
    printed = sorted(
        f"{p['role']}.{name}"
        for p in projection["victims"] + projection["perpetrators"] + projection["reporters"]
        for name in p["revealed"]
    )
    audit(
        actor=user,
        action=SUMMARY_EXPORTED,
        obj=case,
        fields=printed,
        extra={"format": "pdf", "people_revealed": sum(1 for fields in revealed.values() if fields)},
    )
    return data
