"""Writes of the KLA workspace: assignments, evidence items and their reviews, regulations,
self-assessment, deadlines and RAD KLA activities. Each checks its permission here (the one layer)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import User
from sinergi.audit import services as audit
from sinergi.core import policy
from sinergi.documents.models import Document
from sinergi.documents.services import document_delete, document_link, document_store
from sinergi.tenants.models import Agency

from ..events import Event as E
from ..models import (
    ActivityStatus,
    Assignment,
    Deadline,
    DeadlineKind,
    EvaluationYear,
    EvidenceItem,
    EvidenceType,
    Indicator,
    RadActivity,
    Regulation,
    Review,
    ReviewStatus,
    SelfAssessment,
)

ERR_AGENCY = _("Choose an agency of this region.")
ERR_AGENCY_NOT_ASSIGNED = _("This agency is not responsible for the indicator.")
ERR_NO_FILE = _("Upload a file or choose a document to link.")
ERR_BOTH_FILE = _("Upload a file or link a document, not both.")
ERR_COMMENT = _("Say what must be revised.")
ERR_POINTS = _("The points must be between 0 and the indicator's maximum.")
ERR_REGULATION_INVALID = _("This regulation is not valid in the evaluation year.")
ERR_DATE = _("The date is not a valid date.")
ERR_AGREEMENT = _("Choose an agreement of this region.")
ERR_RETIRED = _("This entry has already been retired.")
ERR_NOT_LINKABLE = _("Only a meeting or agreement document can be linked as evidence.")

EVIDENCE_DOC_KIND = "kla_evidence"


def _agency_of_tenant(*, tenant: Any, agency: Agency) -> None:
    if agency.tenant_id != tenant.pk:
        raise ValidationError(ERR_AGENCY, code="agency")


@transaction.atomic
def assignments_set(
    *, actor: User, indicators: list[Indicator], agencies: list[Agency], contact_name: str = "", replace: bool = False
) -> int:
    """Bulk assign: every indicator gets every agency (added; `replace` drops the others). Returns rows added."""
    tenant = actor.tenant
    policy.require(actor, "kla.manage_workspace", tenant)
    for agency in agencies:
        _agency_of_tenant(tenant=tenant, agency=agency)
    added = 0
    for indicator in indicators:
        if replace:
            Assignment.objects.filter(tenant=tenant, indicator=indicator).exclude(agency__in=agencies).delete()
        for agency in agencies:
            row, created = Assignment.objects.get_or_create(
                tenant=tenant, indicator=indicator, agency=agency, defaults={"contact_name": contact_name[:160]}
            )
            if not created and contact_name and row.contact_name != contact_name:
                row.contact_name = contact_name[:160]
                row.save(update_fields=["contact_name"])
            added += created
    audit.record(
        actor=actor,
        action=E.ASSIGNED,
        obj=tenant,
        extra={"indicators": [i.code for i in indicators], "agencies": [str(a.pk) for a in agencies], "added": added},
    )
    return added


@transaction.atomic
def assignment_delete(*, actor: User, assignment: Assignment) -> None:
    policy.require(actor, "kla.manage_workspace", actor.tenant)
    audit.record(actor=actor, action=E.UNASSIGNED, obj=assignment, extra={"indicator": assignment.indicator.code})
    assignment.delete()


def _agency_for_item(*, actor: User, indicator: Indicator, agency: Agency | None) -> Agency:
    if policy.can(actor, "kla.manage_workspace", actor.tenant):
        if agency is None:
            first = Assignment.objects.filter(tenant=actor.tenant, indicator=indicator).select_related("agency").first()
            if first is None:
                raise ValidationError(ERR_AGENCY_NOT_ASSIGNED, code="not_assigned")
            return first.agency
    else:
        agency = actor.agency
    assert agency is not None
    if not Assignment.objects.filter(tenant=actor.tenant, indicator=indicator, agency=agency).exists():
        raise ValidationError(ERR_AGENCY_NOT_ASSIGNED, code="not_assigned")
    return agency


@transaction.atomic
def evidence_add(
    *,
    actor: User,
    indicator: Indicator,
    evidence_type: str,
    title: str,
    uploaded_file: Any = None,
    link_document: Document | None = None,
    regulation: Regulation | None = None,
    agency: Agency | None = None,
    doc_year: int | None = None,
    number: str = "",
    dated_on: dt.date | None = None,
    description: str = "",
    is_signed: bool = False,
) -> EvidenceItem:
    """Add an evidence item: an upload (type-checked by the documents app), or a link to a document the
    actor may see (meeting UANG/minutes, agreement evidence) or to a regulation of the library: a link
    row, never a copy of the file."""
    policy.require_visible(actor, "kla.add_evidence", indicator)
    sources = [x for x in (uploaded_file, link_document, regulation) if x is not None]
    if not sources:
        raise ValidationError(ERR_NO_FILE, code="no_file")
    if len(sources) > 1:
        raise ValidationError(ERR_BOTH_FILE, code="both")
    if evidence_type not in EvidenceType.values:
        raise ValidationError(_("Choose an evidence type."), code="type")
    the_agency = _agency_for_item(actor=actor, indicator=indicator, agency=agency)
    if regulation is not None:
        policy.require_visible(actor, "kla.view_regulation", regulation)
        if not regulation.is_valid_in(indicator.year.year) and not regulation.is_valid_in(indicator.year.year - 1):
            raise ValidationError(ERR_REGULATION_INVALID, code="regulation_invalid")
        number = number or regulation.number
        dated_on = dated_on or regulation.issued_on
        is_signed = True
    item = EvidenceItem(
        tenant=actor.tenant,
        indicator=indicator,
        agency=the_agency,
        evidence_type=evidence_type,
        title=(title or "").strip()[:300] or (regulation.title if regulation else ""),
        doc_year=doc_year or (dated_on.year if dated_on else None),
        number=number[:120],
        dated_on=dated_on,
        description=description[:2000],
        is_signed=is_signed,
        regulation=regulation,
        created_by=actor,
    )
    if not item.title:
        item.title = gettext("Evidence")
    item.full_clean(exclude=["document"])
    item.save()
    item.document = _attach(
        actor=actor, item=item, uploaded_file=uploaded_file, link_document=link_document, regulation=regulation
    )
    item.save(update_fields=["document"])
    audit.record(
        actor=actor,
        action=E.EVIDENCE_ADDED,
        obj=item,
        extra={"indicator": indicator.code, "type": evidence_type, "linked": uploaded_file is None},
    )
    return item


def _attach(
    *,
    actor: User,
    item: EvidenceItem,
    uploaded_file: Any,
    link_document: Document | None,
    regulation: Regulation | None,
) -> Document | None:
    if uploaded_file is not None:
        return document_store(
            actor=actor,
            tenant=item.tenant,
            owner=item,
            kind=EVIDENCE_DOC_KIND,
            uploaded_file=uploaded_file,
            title=item.title,
        )
    if link_document is not None:
        from ..selectors import document_is_linkable

        if not document_is_linkable(user=actor, document=link_document):
            raise ValidationError(ERR_NOT_LINKABLE, code="not_linkable")
    source = link_document if link_document is not None else (regulation.document if regulation else None)
    if source is None:
        return None
    return document_link(actor=actor, document=source, owner=item, kind=EVIDENCE_DOC_KIND, title=item.title)


@transaction.atomic
def evidence_replace(
    *, actor: User, item: EvidenceItem, uploaded_file: Any = None, link_document: Document | None = None
) -> EvidenceItem:
    """A new file for the item (after a revision request): the old link is removed, the item waits for review."""
    policy.require_visible(actor, "kla.view_evidenceitem", item)
    policy.require(actor, "kla.change_evidenceitem", item)
    if (uploaded_file is None) == (link_document is None):
        raise ValidationError(ERR_NO_FILE if uploaded_file is None else ERR_BOTH_FILE, code="no_file")
    old = item.document
    if old is not None:
        document_delete(actor=actor, document=old)
    item.document = _attach(
        actor=actor, item=item, uploaded_file=uploaded_file, link_document=link_document, regulation=None
    )
    item.status = ReviewStatus.SUBMITTED
    item.save(update_fields=["document", "status", "updated_at"])
    audit.record(actor=actor, action=E.EVIDENCE_REPLACED, obj=item, extra={"indicator": item.indicator.code})
    return item


@transaction.atomic
def evidence_review(*, actor: User, item: EvidenceItem, decision: str, comment: str = "") -> Review:
    """Accept, or request a revision with a comment (the OPD's officers are notified); every decision is kept."""
    from sinergi.notifications.services import notify

    policy.require_visible(actor, "kla.view_evidenceitem", item)
    policy.require(actor, "kla.review_evidenceitem", item)
    if decision not in (ReviewStatus.ACCEPTED, ReviewStatus.REVISION):
        raise ValidationError(_("Choose accept or request a revision."), code="decision")
    comment = (comment or "").strip()
    if decision == ReviewStatus.REVISION and not comment:
        raise ValidationError(ERR_COMMENT, code="comment")
    review = Review.objects.create(item=item, decision=decision, comment=comment[:2000], reviewer=actor)
    item.status = decision
    item.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action=E.EVIDENCE_REVIEWED, obj=item, extra={"decision": decision})
    if decision == ReviewStatus.REVISION:
        from sinergi.accounts.roles import KLA_OPD_ROLES

        officers = User.objects.filter(tenant=item.tenant, agency=item.agency, role__in=KLA_OPD_ROLES, is_active=True)
        notify(
            recipients=officers,
            kind="kla_revision_requested",
            title=gettext("KLA evidence needs revision: indicator %(code)s") % {"code": item.indicator.code},
            url=reverse("kla:indicator", args=[item.indicator_id]),
        )
    return review


@transaction.atomic
def regulation_save(
    *,
    actor: User,
    kind: str,
    title: str,
    number: str,
    issued_on: dt.date,
    issuer: str,
    valid_until: dt.date | None = None,
    uploaded_file: Any = None,
    regulation: Regulation | None = None,
) -> Regulation:
    policy.require(actor, "kla.manage_regulation", actor.tenant)
    reg = regulation or Regulation(tenant=actor.tenant)
    if regulation is not None:
        policy.require_visible(actor, "kla.view_regulation", regulation)
        if regulation.retired_at is not None:
            raise ValidationError(ERR_RETIRED, code="retired")
    before = {f: getattr(reg, f) for f in ("kind", "title", "number", "issued_on", "issuer", "valid_until")}
    reg.kind, reg.title, reg.number, reg.issued_on, reg.issuer, reg.valid_until = (
        kind,
        title,
        number,
        issued_on,
        issuer,
        valid_until,
    )
    reg.full_clean(exclude=["document"])
    reg.save()
    if uploaded_file is not None:
        if reg.document is not None:
            document_delete(actor=actor, document=reg.document)
        reg.document = document_store(
            actor=actor, tenant=reg.tenant, owner=reg, kind="kla_regulation", uploaded_file=uploaded_file, title=title
        )
        reg.save(update_fields=["document"])
    changed = sorted(f for f, v in before.items() if regulation is not None and getattr(reg, f) != v)
    audit.record(
        actor=actor,
        action=E.REGULATION_SAVED,
        obj=reg,
        extra={
            "kind": kind,
            "edited": regulation is not None,
            "changed": changed + (["file"] if uploaded_file else []),
        },
    )
    return reg


@transaction.atomic
def self_assessment_set(*, actor: User, indicator: Indicator, points: Decimal, note: str = "") -> SelfAssessment:
    policy.require(actor, "kla.manage_workspace", actor.tenant)
    if points is None or points < 0 or points > indicator.points:
        raise ValidationError(ERR_POINTS, code="points")
    row, _created = SelfAssessment.objects.update_or_create(
        tenant=actor.tenant, indicator=indicator, defaults={"points": points, "note": note[:2000], "updated_by": actor}
    )
    audit.record(
        actor=actor,
        action=E.SELF_ASSESSED,
        obj=actor.tenant,
        extra={"indicator": indicator.code, "points": str(points)},
    )
    return row


@transaction.atomic
def deadline_set(*, actor: User, year: EvaluationYear, kind: str, due_on: dt.date) -> Deadline:
    policy.require(actor, "kla.manage_workspace", actor.tenant)
    if kind not in DeadlineKind.values:
        raise ValidationError(_("Choose a deadline."), code="kind")
    row, _created = Deadline.objects.update_or_create(
        tenant=actor.tenant, year=year, kind=kind, defaults={"due_on": due_on, "retired_at": None}
    )
    row.notices.all().delete()  # a moved deadline is reminded afresh
    audit.record(
        actor=actor, action=E.DEADLINE_SET, obj=actor.tenant, extra={"kind": kind, "due_on": due_on.isoformat()}
    )
    return row


@transaction.atomic
def activity_save(
    *,
    actor: User,
    indicator: Indicator,
    agency: Agency,
    title: str,
    activity_year: int,
    budget: int = 0,
    status: str = ActivityStatus.PLANNED,
    agreement: Any = None,
    activity: RadActivity | None = None,
) -> RadActivity:
    policy.require(actor, "kla.manage_workspace", actor.tenant)
    _agency_of_tenant(tenant=actor.tenant, agency=agency)
    if agreement is not None and agreement.tenant_id != actor.tenant_id:
        raise ValidationError(ERR_AGREEMENT, code="agreement")
    if activity is not None and (activity.retired_at is not None or activity.tenant_id != actor.tenant_id):
        raise ValidationError(ERR_RETIRED, code="retired")
    row = activity or RadActivity(tenant=actor.tenant)
    fields = ("indicator", "agency", "title", "activity_year", "budget", "status", "agreement")
    before = {f: getattr(row, f"{f}_id" if f in ("indicator", "agency", "agreement") else f) for f in fields}
    row.indicator, row.agency, row.title, row.activity_year, row.budget, row.status, row.agreement = (
        indicator,
        agency,
        title,
        activity_year,
        budget,
        status,
        agreement,
    )
    row.full_clean()
    row.save()
    changed = sorted(
        f
        for f, v in before.items()
        if activity is not None and getattr(row, f"{f}_id" if f in ("indicator", "agency", "agreement") else f) != v
    )
    audit.record(
        actor=actor,
        action=E.ACTIVITY_SAVED,
        obj=row,
        extra={"indicator": indicator.code, "edited": activity is not None, "changed": changed},
    )
    return row
