"""Intake: a new case from a report, duplicates flagged, the child's rights initialised."""

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.roles import Role
from sinergi.audit.services import record as audit
from sinergi.core import policy
from sinergi.core.crypto import normalize_text
from sinergi.tenants.models import Tenant

from .. import case_counts, dates, overdue
from .. import taxonomy as t
from ..models import Case, IntakeDraft, Person, RightItem, ServiceRecord, TimelineEntry
from ..signals import case_data_changed_send
from .common import (
    ERR_NO_VICTIM,
    ERR_REASON_REQUIRED,
    IntakeInput,
    _build_person,
    _is_sexual,
    _next_number,
    _resolve_region,
    _set_forms,
    _timeline,
)
from .name_index import person_name_index_sync


@transaction.atomic
def case_intake(*, actor: Any, tenant: Tenant, data: IntakeInput, draft: IntakeDraft | None = None) -> Case:
    """Register a report from any channel as a new case with its people, triage and due time."""
    policy.require(actor, "cases.create_case", tenant)
    case = _create_case(actor=actor, tenant=tenant, data=data)
    _discard_drafts_of_report(actor=actor, data=data, draft=draft)
    return case


def _strings(value: Any):
    """Every string in a draft's JSON, however it is nested (a client may keep victims in a list)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _discard_drafts_of_report(*, actor: Any, data: IntakeInput, draft: IntakeDraft | None) -> None:
    """A submitted report's draft goes with the submission: a lost phone or a shared account must not keep
    a child's name readable. Drafts are matched by the one named and by the victim's name, because a client
    may send the report without naming its draft."""
    # The blind index's own normaliser: "Putri  LESTARI" and "putri lestari" are one name.
    names = {normalize_text(p.full_name) for p in data.people if p.role == Person.Role.VICTIM and p.full_name.strip()}
    doomed = []
    for candidate in IntakeDraft.objects.filter(owner_id=actor.pk, tenant_id=actor.tenant_id):
        if draft is not None and candidate.pk == draft.pk:
            doomed.append(candidate.pk)
            continue
        try:
            payload = json.loads(candidate.payload or "{}")
        except ValueError:
            continue
        if any(normalize_text(text) in names for text in _strings(payload)):
            doomed.append(candidate.pk)
    if doomed:
        IntakeDraft.objects.filter(pk__in=doomed, owner_id=actor.pk).delete()
        audit(actor=actor, action="case.drafts_discarded", extra={"count": len(doomed), "reason": "submitted"})


def _create_case(*, actor: Any, tenant: Tenant, data: IntakeInput, tracking_code_bidx: str = "") -> Case:
    victims = [p for p in data.people if p.role == Person.Role.VICTIM]
    if not victims:
        raise ValidationError(ERR_NO_VICTIM)
    dates.check_report_dates(reported_on=data.reported_on, incident_on=data.incident_on, tenant=tenant)
    district, village = _resolve_region(tenant=tenant, district_code=data.district_code, village_code=data.village_code)
    now = timezone.now()
    risk = t.risk_from_triage(data.triage)
    case = Case(
        tenant=tenant,
        number=_next_number(tenant=tenant, year=data.reported_on.year),
        channel=data.channel,
        channel_detail=data.channel_detail.strip(),
        reported_on=data.reported_on,
        category=data.category,
        incident_on=data.incident_on,
        incident_place=data.incident_place,
        district=district,
        village=village,
        chronology=data.chronology.strip(),
        triage={k: bool(v) for k, v in data.triage.items() if k in {q[0] for q in t.TRIAGE_QUESTIONS}},
        risk_level=risk,
        is_lpsk_protected=data.is_lpsk_protected,
        stage=t.Stage.RECEIVED,
        stage_changed_at=now,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        first_response_due_at=now,
        tracking_code_bidx=tracking_code_bidx,
    )
    _set_forms(case, data.forms)
    incident_day = data.incident_on or data.reported_on
    people = [_build_person(tenant=tenant, case=case, data=p, incident_day=incident_day) for p in data.people]
    case.has_child_victim = any(p.is_child for p in people if p.role == Person.Role.VICTIM)
    case.first_response_due_at = overdue.first_response_due_at(
        tenant=tenant, start=now, has_child=case.has_child_victim, risk=risk
    )
    if actor is not None and getattr(actor, "role", None) == Role.CASE_MANAGER:
        case.assigned_to = actor
    case.full_clean(exclude=["tenant", "created_by", "assigned_to", "district", "village", "number"])
    case.save()
    case_counts.case_created(case)
    Person.objects.bulk_create(people)
    case_data_changed_send(sender=Person, tenant_id=case.tenant_id)
    person_name_index_sync(people)
    _init_rights(case=case)
    _timeline(case=case, kind=TimelineEntry.Kind.CREATED, actor=actor, summary=f"{case.get_channel_display()}")
    audit(
        actor=actor,
        action="case.created",
        obj=case,
        fields=["channel", "category", "forms", "chronology", "people"],
        extra={"people": len(people), "risk": risk, "channel": case.channel},
    )
    _flag_possible_duplicates(actor=actor, case=case, people=people)
    return case


def _flag_possible_duplicates(*, actor: Any, case: Case, people: list[Person]) -> None:
    """A victim already named in a case the author may not open: tell the office head, never the author."""
    from sinergi.accounts.models import User
    from sinergi.notifications.services import notify

    from ..selectors import duplicates_outside_scope

    victims = [p for p in people if p.role == Person.Role.VICTIM and (p.nik_bidx or p.name_dob_bidx)]
    if not victims or getattr(actor, "role", None) == Role.OFFICE_HEAD:
        return
    numbers = duplicates_outside_scope(user=actor, case=case, people=victims)
    if not numbers:
        return
    audit(actor=actor, action="case.possible_duplicate_flagged", obj=case, extra={"other_cases": len(numbers)})
    notify(
        recipients=list(User.objects.filter(tenant_id=case.tenant_id, role=Role.OFFICE_HEAD, is_active=True)),
        kind="possible_duplicate",
        title=str(_("Possible duplicate: %(number)s may concern a person already known") % {"number": case.number}),
        body=str(_("Other cases naming the same person: %(numbers)s") % {"numbers": ", ".join(numbers)}),
        url=reverse("cases:detail", args=[case.pk]),
    )


# Rights every child victim has from the start (UU 35/2014 art. 59A: fast handling; UU TPKS art. 30
# and UU TPPO: restitution for sexual-violence and trafficking victims).
def _default_rights(case: Case) -> dict[str, str]:
    defaults = {t.Right.FAST_RESPONSE: t.RightStatus.PLANNED}
    if _is_sexual(case) or case.category == t.Category.TPPO or "trafficking" in case.forms:
        defaults[t.Right.RESTITUTION] = t.RightStatus.PLANNED
        defaults[t.Right.PSYCHOLOGICAL_REHAB] = t.RightStatus.PLANNED
    if case.category == t.Category.TPPO or "trafficking" in case.forms:
        defaults[t.Right.REINTEGRATION] = t.RightStatus.PLANNED
    return defaults


def _init_rights(*, case: Case) -> None:
    children = [p for p in case.people.all() if p.role == Person.Role.VICTIM and p.is_child]
    defaults = _default_rights(case)
    RightItem.objects.bulk_create(
        [
            RightItem(
                tenant_id=case.tenant_id,
                case=case,
                victim=child,
                right=right,
                status=defaults.get(right, t.RightStatus.NOT_NEEDED),
            )
            for child in children
            for right in t.Right.values
        ],
        ignore_conflicts=True,
    )
    case_data_changed_send(sender=RightItem, tenant_id=case.tenant_id)


def rights_recompute(*, case: Case) -> None:
    """Derive each automatic right from referrals, services and the first response."""
    defaults = _default_rights(case)
    referrals = list(case.referrals.exclude(status__in=[t.ReferralStatus.DECLINED, t.ReferralStatus.CANCELLED]))
    has_services = set(
        ServiceRecord.objects.filter(referral__case=case).values_list("referral_id", flat=True).distinct()
    )
    rank = {
        t.RightStatus.NOT_NEEDED: 0,
        t.RightStatus.PLANNED: 1,
        t.RightStatus.IN_PROGRESS: 2,
        t.RightStatus.FULFILLED: 3,
    }
    for item in RightItem.objects.filter(case=case, is_manual=False):
        status = defaults.get(item.right, t.RightStatus.NOT_NEEDED)
        if item.right == t.Right.FAST_RESPONSE:
            status = t.RightStatus.FULFILLED if case.first_responded_at else t.RightStatus.PLANNED
        else:
            derived = []
            for ref in referrals:
                if t.SERVICE_RIGHT.get(ref.service_type) != item.right:
                    continue
                if ref.victim_id not in (None, item.victim_id):
                    continue
                if ref.status == t.ReferralStatus.COMPLETED:
                    derived.append(t.RightStatus.FULFILLED)
                elif ref.status == t.ReferralStatus.ACCEPTED or ref.pk in has_services:
                    derived.append(t.RightStatus.IN_PROGRESS)
                else:
                    derived.append(t.RightStatus.PLANNED)
            if derived:
                # Several referrals for one right: it is fulfilled once one is completed.
                status = max(derived, key=lambda s: rank[s])
        if status != item.status:
            RightItem.objects.filter(pk=item.pk).update(status=status, updated_at=timezone.now())
            case_data_changed_send(sender=RightItem, tenant_id=case.tenant_id)


@transaction.atomic
def right_set(*, actor: Any, item: RightItem, status: str, reason: str) -> RightItem:
    """Set a right by hand (with a reason), or give it back to automatic derivation (status='auto')."""
    case = item.case
    policy.require(actor, "cases.change_case", case)
    if not reason.strip():
        raise ValidationError({"reason": ERR_REASON_REQUIRED})
    if status == "auto":
        item.is_manual = False
    else:
        if status not in t.RightStatus.values:
            raise ValidationError({"status": _("Unknown status.")})
        item.status = status
        item.is_manual = True
    item.reason = reason.strip()
    item.updated_by = actor
    item.save()
    if not item.is_manual:
        rights_recompute(case=case)
        item.refresh_from_db()
    _timeline(
        case=case,
        kind=TimelineEntry.Kind.RIGHT,
        actor=actor,
        summary=f"{item.get_right_display()}: {item.get_status_display()}",
        text=item.reason,
    )
    audit(
        actor=actor, action="case.right_set", obj=case, fields=["rights"], extra={"right": item.right, "status": status}
    )
    return item
