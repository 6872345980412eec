"""Closing, reopening, diversion and the case's documents."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.audit.services import record as audit
from sinergi.core import policy

from .. import case_counts, dates
from .. import taxonomy as t
from ..models import (
    Case,
    Diversion,
    Referral,
    RightItem,
    TimelineEntry,
)
from .common import ERR_REASON_REQUIRED, ERR_UNRESOLVED_RIGHTS, _lock_case, _timeline
from .intake import rights_recompute


def unresolved_rights(*, case: Case):
    return RightItem.objects.filter(case=case, status__in=t.UNRESOLVED_RIGHT_STATUSES).select_related("victim")


@transaction.atomic
def case_close(*, actor: Any, case: Case, reason: str, note: str = "", override_reason: str = "") -> Case:
    """Terminate the case. Refused while a needed right is unresolved, unless the office head records why."""
    _lock_case(case)
    policy.require(actor, "cases.close_case", case)
    if reason not in t.ClosureReason.values:
        raise ValidationError({"reason": _("Choose a closure reason.")})
    rights_recompute(case=case)
    pending = unresolved_rights(case=case).exists()
    if pending:
        if not policy.can(actor, "cases.close_case_override", case):
            raise ValidationError({"override_reason": ERR_UNRESOLVED_RIGHTS})
        if not override_reason.strip():
            raise ValidationError({"override_reason": ERR_UNRESOLVED_RIGHTS})
        case.closure_override_reason = override_reason.strip()
        case.closure_override_by = actor
    now = timezone.now()
    case.stage = t.Stage.CLOSED
    case.stage_changed_at = now
    case.closed_at = now
    case.closure_reason = reason
    case.closure_note = note.strip()
    if case.first_responded_at is None:
        case.first_responded_at = now
    case_counts.case_save(
        case,
        update_fields=[
            "stage",
            "stage_changed_at",
            "closed_at",
            "closure_reason",
            "closure_note",
            "first_responded_at",
            "closure_override_reason",
            "closure_override_by",
            "updated_at",
        ],
    )
    _timeline(
        case=case,
        kind=TimelineEntry.Kind.CLOSED,
        actor=actor,
        summary=str(t.ClosureReason(reason).label),
        text="\n".join(x for x in (note.strip(), override_reason.strip()) if x),
    )
    audit(
        actor=actor,
        action="case.closed",
        obj=case,
        fields=["stage", "closure_reason"] + (["closure_override_reason"] if pending else []),
        extra={"reason": reason, "override": pending},
    )
    return case


@transaction.atomic
def case_reopen(*, actor: Any, case: Case, reason: str) -> Case:
    _lock_case(case)
    policy.require(actor, "cases.reopen_case", case)
    if not reason.strip():
        raise ValidationError({"reason": ERR_REASON_REQUIRED})
    case.stage = t.REOPEN_STAGE
    case.stage_changed_at = timezone.now()
    case.closed_at = None
    case.closure_reason = ""
    case.reopened_count += 1
    case_counts.case_save(
        case, update_fields=["stage", "stage_changed_at", "closed_at", "closure_reason", "reopened_count", "updated_at"]
    )
    _timeline(case=case, kind=TimelineEntry.Kind.REOPENED, actor=actor, summary=str(_("Case reopened")), text=reason)
    audit(actor=actor, action="case.reopened", obj=case, fields=["stage"])
    return case


@transaction.atomic
def diversion_record(
    *,
    actor: Any,
    case: Case,
    level: str,
    outcome: str,
    decided_on: dt.date | None = None,
    is_bapas_involved: bool = False,
    note: str = "",
) -> Diversion:
    """UU SPPA art. 7: diversion attempted at each level of an ABH case."""
    policy.require(actor, "cases.change_case", case)
    if case.category != t.Category.ABH:
        raise ValidationError(_("Diversion applies to cases of children in conflict with the law (ABH)."))
    if level not in t.DiversionLevel.values or outcome not in t.DiversionOutcome.values:
        raise ValidationError(_("Unknown diversion level or outcome."))
    dates.check_past_date(
        decided_on, field="decided_on", floor=case.incident_on or case.reported_on, tenant=case.tenant
    )
    diversion, _created = Diversion.objects.update_or_create(
        case=case,
        level=level,
        defaults={
            "tenant_id": case.tenant_id,
            "outcome": outcome,
            "decided_on": decided_on,
            "is_bapas_involved": is_bapas_involved,
            "note": note.strip(),
            "recorded_by": actor,
        },
    )
    _timeline(
        case=case,
        kind=TimelineEntry.Kind.DIVERSION,
        actor=actor,
        summary=f"{diversion.get_level_display()}: {diversion.get_outcome_display()}",
    )
    audit(
        actor=actor,
        action="case.diversion_recorded",
        obj=case,
        fields=["diversion"],
        extra={"level": level, "outcome": outcome},
    )
    return diversion


@transaction.atomic
def case_document_add(*, actor: Any, case: Case, kind: str, uploaded_file: Any, title: str = ""):
    """Attach evidence (police report, visum, assessment, photo...) to the case and show it on the timeline."""
    from sinergi.documents.services import document_store

    policy.require(actor, "cases.manage_case_documents", case)
    document = document_store(
        actor=actor, tenant=case.tenant, owner=case, kind=kind, uploaded_file=uploaded_file, title=title
    )
    # The title may name a person: it goes only into the encrypted text, never into the summary.
    _timeline(case=case, kind=TimelineEntry.Kind.DOCUMENT, actor=actor, summary=kind, text=document.title)
    return document


@transaction.atomic
def referral_document_add(*, actor: Any, referral: Referral, kind: str, uploaded_file: Any, title: str = ""):
    """Attach a document (service report, assessment...) to a referral; the case timeline shows it."""
    from sinergi.documents.services import document_store

    policy.require(actor, "cases.manage_referral_documents", referral)
    case = referral.case
    document = document_store(
        actor=actor, tenant=case.tenant, owner=referral, kind=kind, uploaded_file=uploaded_file, title=title
    )
    _timeline(
        case=case,
        kind=TimelineEntry.Kind.DOCUMENT,
        actor=actor,
        summary=f"{kind} ({referral.agency.short_name})",
        text=document.title,
        referral=referral,
    )
    return document
