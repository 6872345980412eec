"""Agreements (kesepakatan): created from the minutes, owned by one agency, updated with proof, extended
with the secretariat's approval, followed, reminded of and escalated."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import User
from sinergi.accounts.roles import TASKFORCE_AGENCY_ROLES, Role
from sinergi.audit.services import record as audit
from sinergi.core import clock, policy
from sinergi.documents.models import Document
from sinergi.documents.services import document_store
from sinergi.notifications.services import notify
from sinergi.tenants.models import Agency

from ..events import Event
from ..models import (
    CLOSED_STATUSES,
    AgendaItem,
    Agreement,
    AgreementFollower,
    AgreementReminder,
    AgreementStatus,
    AgreementUpdate,
    DueDateChange,
    ExtensionRequest,
    ExtensionStatus,
    Meeting,
    ReminderKind,
)
from ..overdue import deadline_state, reminder_horizon_q

ERR_OTHER_TENANT = _("Everything must belong to the same regency.")
ERR_TEXT = _("An agreement needs its text.")
ERR_NESTED = _("A sub-agreement cannot have sub-agreements of its own.")
ERR_PARENT_MEETING = _("A sub-agreement belongs to the meeting of its parent.")
ERR_PROGRESS = _("Progress is a percentage from 0 to 100.")
ERR_DROP_REASON = _("Say why the agreement is dropped.")
ERR_DROP_VIA_UPDATE = _("An agreement is dropped by the secretariat, with a reason.")
ERR_CLOSED = _("This agreement is closed.")
ERR_DUE_PAST = _("The new due date must be later than the current one.")
ERR_EXTENSION_PENDING = _("An extension request is already waiting for a decision.")
ERR_EXTENSION_DECIDED = _("This extension request has already been decided.")
ERR_REASON = _("Give a reason.")
ERR_EVIDENCE = _("The evidence must be a document of this agreement.")
ERR_REVIEW_MEETING = _("An agreement is reviewed at the meeting that follows up its own meeting.")
ERR_OWNER_SUPPORTER = _("The owner cannot also be a supporting agency.")
ERR_CLEAR_REASON = _("Say why the owner or the due date is removed.")
ERR_CLEAR_AND_SET = _("Either set a new value or remove it, not both.")
ERR_HAS_CHILDREN = _("The progress of an agreement with sub-agreements is rolled up from them.")

AGREEMENT_DOCUMENT_KINDS = ("evidence",)


def _url(agreement: Agreement) -> str:
    return reverse("taskforces:agreement_detail", args=[agreement.pk])


def _check_tenant(tenant_id, *objects: Any) -> None:
    for obj in objects:
        if obj is not None and obj.tenant_id != tenant_id:
            raise ValidationError(ERR_OTHER_TENANT, code="tenant")


def _agency_staff(agency_ids: Iterable[Any]) -> list[User]:
    ids = [a for a in agency_ids if a]
    if not ids:
        return []
    return list(User.objects.filter(agency_id__in=ids, is_active=True, role__in=TASKFORCE_AGENCY_ROLES))


def _notify_change(*, agreement: Agreement, actor: User | None, kind: str, title: str) -> None:
    """Tell the owner agency's staff and every follower (the actor excepted)."""
    followers = list(
        User.objects.filter(pk__in=AgreementFollower.objects.filter(agreement=agreement).values("user_id"))
    )
    recipients = [u for u in _agency_staff([agreement.owner_id]) + followers if actor is None or u.pk != actor.pk]
    # Only people who may still see it (a follower moved to another agency no longer may).
    recipients = [u for u in recipients if policy.can(u, "taskforces.view_agreement", agreement)]
    if recipients:
        notify(recipients=recipients, kind=kind, title=title[:200], url=_url(agreement))


def _next_number(meeting: Meeting, parent: Agreement | None) -> int:
    if parent is not None:
        last = parent.children.aggregate(m=Max("number"))["m"]
    else:
        last = Agreement.objects.filter(meeting=meeting, parent__isnull=True).aggregate(m=Max("number"))["m"]
    return (last or 0) + 1


def _record_due(agreement: Agreement, *, old: dt.date | None, new: dt.date | None, actor, reason: str = "") -> None:
    DueDateChange.objects.create(
        agreement=agreement, old_due_on=old, new_due_on=new, reason=reason, changed_by=actor, changed_at=timezone.now()
    )


@transaction.atomic
def agreement_create(
    *,
    actor: User | None,
    meeting: Meeting,
    text: str,
    owner: Agency | None = None,
    supporters: Iterable[Agency] = (),
    due_on: dt.date | None = None,
    parent: Agreement | None = None,
    agenda_item: AgendaItem | None = None,
    status: str = AgreementStatus.OPEN,
    is_demo_values: bool = False,
) -> Agreement:
    """Add the next numbered agreement (or sub-agreement) of a meeting and tell the owner agency."""
    if actor is not None:
        policy.require(actor, "taskforces.manage_meeting", meeting)
    supporters = list(supporters)
    _check_tenant(meeting.tenant_id, owner, *supporters)
    if not text.strip():
        raise ValidationError({"text": ERR_TEXT})
    if parent is not None:
        if parent.parent_id is not None:
            raise ValidationError({"parent": ERR_NESTED})
        if parent.meeting_id != meeting.pk:
            raise ValidationError({"parent": ERR_PARENT_MEETING})
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": ERR_PARENT_MEETING})
    if owner is not None and any(s.pk == owner.pk for s in supporters):
        raise ValidationError({"supporters": ERR_OWNER_SUPPORTER})
    if status == AgreementStatus.DROPPED:
        raise ValidationError({"status": ERR_DROP_VIA_UPDATE})
    agreement = Agreement(
        tenant_id=meeting.tenant_id,
        meeting=meeting,
        parent=parent,
        agenda_item=agenda_item,
        number=_next_number(meeting, parent),
        text=text.strip(),
        owner=owner,
        due_on=due_on,
        status=status,
        progress=100 if status == AgreementStatus.DONE else 0,
        is_demo_values=is_demo_values,
        created_by=actor,
    )
    agreement.full_clean()
    agreement.save()
    agreement.supporters.set(supporters)
    if due_on is not None:
        _record_due(agreement, old=None, new=due_on, actor=actor)
    if parent is not None:
        _roll_up(parent)
    audit(
        actor=actor,
        action=Event.AGREEMENT_CREATED,
        obj=agreement,
        fields=["number", "text", "owner", "supporters", "due_on"],
        extra={"meeting_id": str(meeting.pk), "demo": is_demo_values},
    )
    if owner is not None and actor is not None:
        notify(
            recipients=[u for u in _agency_staff([owner.pk]) if u.pk != actor.pk],
            kind="agreement_assigned",
            title=str(_("New agreement for your agency: %(meeting)s no. %(number)s"))
            % {"meeting": meeting.title[:120], "number": agreement.label},
            url=_url(agreement),
        )
    return agreement


def _roll_up(parent: Agreement) -> None:
    """A parent's progress is the mean of its live sub-agreements'; it is done when all of them are."""
    children = parent.children.exclude(status=AgreementStatus.DROPPED)
    mean = children.aggregate(p=Avg("progress"))["p"]
    if mean is None:
        return
    parent.progress = round(mean)
    fields = ["progress", "updated_at"]
    if not children.exclude(status=AgreementStatus.DONE).exists() and parent.status not in CLOSED_STATUSES:
        parent.status = AgreementStatus.DONE
        parent.done_on = clock.tenant_today(parent.tenant)
        fields += ["status", "done_on"]
    parent.save(update_fields=fields)


@transaction.atomic
def agreement_change(
    *,
    actor: User,
    agreement: Agreement,
    text: str | None = None,
    owner: Agency | None = None,
    supporters: Iterable[Agency] | None = None,
    due_on: dt.date | None = None,
    reason: str = "",
    clear_owner: bool = False,
    clear_due_on: bool = False,
) -> Agreement:
    """The secretariat edits text, owner, supporters or due date (each due-date change is kept).

    `None` leaves a value as it is; `clear_owner` / `clear_due_on` remove the owner or the due date (an
    agreement waiting for a decision on who owns it, or with no date yet), each only with a reason, which
    the audit record and the due-date history keep."""
    policy.require(actor, "taskforces.manage_agreement", agreement)
    reason = reason.strip()
    if (clear_owner and owner is not None) or (clear_due_on and due_on is not None):
        raise ValidationError(ERR_CLEAR_AND_SET, code="clear_and_set")
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    cleared = [
        f
        for f, on in (("owner", clear_owner and agreement.owner_id), ("due_on", clear_due_on and agreement.due_on))
        if on
    ]
    if cleared and not reason:
        raise ValidationError({"reason": ERR_CLEAR_REASON})
    changed = []
    if text is not None and text.strip() != agreement.text:
        if not text.strip():
            raise ValidationError({"text": ERR_TEXT})
        agreement.text = text.strip()
        changed.append("text")
    if owner is not None and owner.pk != agreement.owner_id:
        _check_tenant(agreement.tenant_id, owner)
        agreement.owner = owner
        changed.append("owner")
    elif "owner" in cleared:
        agreement.owner = None
        changed.append("owner")
    if supporters is not None:
        supporters = list(supporters)
        _check_tenant(agreement.tenant_id, *supporters)
        if agreement.owner_id and any(s.pk == agreement.owner_id for s in supporters):
            raise ValidationError({"supporters": ERR_OWNER_SUPPORTER})
        agreement.supporters.set(supporters)
        changed.append("supporters")
    if due_on is not None and due_on != agreement.due_on:
        _record_due(agreement, old=agreement.due_on, new=due_on, actor=actor, reason=reason)
        agreement.due_on = due_on
        changed.append("due_on")
    elif "due_on" in cleared:
        _record_due(agreement, old=agreement.due_on, new=None, actor=actor, reason=reason)
        agreement.due_on = None
        changed.append("due_on")
    if changed:
        agreement.full_clean()
        agreement.save()
        extra = {"cleared": cleared, "reason": reason} if cleared else None
        audit(actor=actor, action=Event.AGREEMENT_CHANGED, obj=agreement, fields=changed, extra=extra)
        _notify_change(
            agreement=agreement,
            actor=actor,
            kind="agreement_changed",
            title=str(_("Agreement changed: %(label)s")) % {"label": str(agreement)[:150]},
        )
    return agreement


@transaction.atomic
def agreement_progress_add(
    *,
    actor: User,
    agreement: Agreement,
    text: str,
    progress: int,
    status: str | None = None,
    evidence_document: Document | None = None,
    evidence_file: Any = None,
    evidence_url: str = "",
    is_demo: bool = False,
    at: dt.datetime | None = None,
) -> AgreementUpdate:
    """Post progress (the owner agency or the secretariat) with evidence: a document (uploaded here or
    already attached to this agreement) or a link. 100 % or status done closes the agreement."""
    policy.require(actor, "taskforces.update_agreement", agreement)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.is_closed:
        raise ValidationError(ERR_CLOSED, code="closed")
    if agreement.children.exists():
        raise ValidationError(ERR_HAS_CHILDREN, code="rolled_up")
    if not text.strip():
        raise ValidationError({"text": ERR_REASON})
    try:
        progress = int(progress)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"progress": ERR_PROGRESS}) from exc
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": ERR_PROGRESS})
    status = status or (AgreementStatus.DONE if progress == 100 else AgreementStatus.ON_TRACK)
    if status == AgreementStatus.DROPPED:
        raise ValidationError({"status": ERR_DROP_VIA_UPDATE})
    if status not in AgreementStatus.values:
        raise ValidationError({"status": ERR_PROGRESS})
    if status == AgreementStatus.DONE:
        progress = 100
    if evidence_file is not None:
        evidence_document = document_store(
            actor=actor, tenant=agreement.tenant, owner=agreement, kind="evidence", uploaded_file=evidence_file
        )
    if evidence_document is not None and (
        evidence_document.owner_id != str(agreement.pk)
        or evidence_document.owner_type.model_class() is not Agreement
        or evidence_document.is_deleted
    ):
        raise ValidationError({"evidence_document": ERR_EVIDENCE})
    update = AgreementUpdate(
        agreement=agreement,
        author=actor,
        text=text.strip(),
        progress=progress,
        status=status,
        evidence_document=evidence_document,
        evidence_url=evidence_url.strip(),
        is_demo=is_demo,
        created_at=at or timezone.now(),
    )
    update.full_clean()
    update.save()
    agreement.progress, agreement.status = progress, status
    if status == AgreementStatus.DONE:
        agreement.done_on = clock.tenant_today(agreement.tenant, update.created_at)
    agreement.save(update_fields=["progress", "status", "done_on", "updated_at"])
    if agreement.parent_id:
        _roll_up(agreement.parent)
    audit(
        actor=actor,
        action=Event.AGREEMENT_PROGRESS,
        obj=agreement,
        fields=["progress", "status"],
        extra={"progress": progress, "status": status, "evidence": bool(evidence_document or evidence_url)},
    )
    _notify_change(
        agreement=agreement,
        actor=actor,
        kind="agreement_changed",
        title=str(_("Progress on agreement %(label)s: %(progress)s %%"))
        % {"label": str(agreement)[:150], "progress": progress},
    )
    return update


@transaction.atomic
def agreement_drop(*, actor: User, agreement: Agreement, reason: str) -> Agreement:
    policy.require(actor, "taskforces.manage_agreement", agreement)
    if not reason.strip():
        raise ValidationError({"reason": ERR_DROP_REASON})
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.is_closed:
        raise ValidationError(ERR_CLOSED, code="closed")
    agreement.status, agreement.dropped_reason = AgreementStatus.DROPPED, reason.strip()
    agreement.full_clean()
    agreement.save(update_fields=["status", "dropped_reason", "updated_at"])
    if agreement.parent_id:
        _roll_up(agreement.parent)
    audit(actor=actor, action=Event.AGREEMENT_DROPPED, obj=agreement, fields=["status", "dropped_reason"])
    _notify_change(
        agreement=agreement,
        actor=actor,
        kind="agreement_changed",
        title=str(_("Agreement dropped: %(label)s")) % {"label": str(agreement)[:150]},
    )
    return agreement


@transaction.atomic
def extension_request(*, actor: User, agreement: Agreement, due_on: dt.date, reason: str) -> ExtensionRequest:
    """The owner agency asks for a later due date; the secretariat decides."""
    policy.require(actor, "taskforces.request_extension", agreement)
    if not reason.strip():
        raise ValidationError({"reason": ERR_REASON})
    if agreement.due_on is not None and due_on <= agreement.due_on:
        raise ValidationError({"due_on": ERR_DUE_PAST})
    if agreement.extensions.filter(status=ExtensionStatus.PENDING).exists():
        raise ValidationError(ERR_EXTENSION_PENDING, code="pending")
    try:
        with transaction.atomic():
            extension = ExtensionRequest.objects.create(
                agreement=agreement, requested_by=actor, requested_due_on=due_on, reason=reason.strip()
            )
    except IntegrityError as exc:  # a concurrent request won
        raise ValidationError(ERR_EXTENSION_PENDING, code="pending") from exc
    audit(actor=actor, action=Event.EXTENSION_REQUESTED, obj=agreement, extra={"due_on": due_on})
    secretariat = User.objects.filter(tenant_id=agreement.tenant_id, role=Role.TASKFORCE_SECRETARIAT, is_active=True)
    notify(
        recipients=list(secretariat),
        kind="extension_requested",
        title=str(_("Extension requested: agreement %(label)s")) % {"label": str(agreement)[:150]},
        url=_url(agreement),
    )
    return extension


@transaction.atomic
def extension_decide(*, actor: User, extension: ExtensionRequest, approve: bool, note: str = "") -> ExtensionRequest:
    """Approve (the due date moves, its history is kept) or refuse an extension request."""
    agreement = extension.agreement
    policy.require(actor, "taskforces.manage_agreement", agreement)
    extension = ExtensionRequest.objects.select_for_update().get(pk=extension.pk)
    if extension.status != ExtensionStatus.PENDING:
        raise ValidationError(ERR_EXTENSION_DECIDED, code="decided")
    if not approve and not note.strip():
        raise ValidationError({"note": ERR_REASON})
    extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    extension.decided_by, extension.decided_at, extension.decision_note = actor, timezone.now(), note.strip()
    extension.save()
    if approve:
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        _record_due(
            agreement, old=agreement.due_on, new=extension.requested_due_on, actor=actor, reason=extension.reason
        )
        agreement.due_on = extension.requested_due_on
        agreement.save(update_fields=["due_on", "updated_at"])
    audit(
        actor=actor,
        action=Event.EXTENSION_DECIDED,
        obj=agreement,
        fields=["due_on"] if approve else [],
        extra={"approved": approve},
    )
    _notify_change(
        agreement=agreement,
        actor=actor,
        kind="agreement_changed",
        title=str(
            _("Extension approved: agreement %(label)s") if approve else _("Extension refused: agreement %(label)s")
        )
        % {"label": str(agreement)[:150]},
    )
    return extension


@transaction.atomic
def agreement_mark_reviewed(*, actor: User, agreement: Agreement, meeting: Meeting) -> Agreement:
    """Link the agreement to the follow-up meeting where it was reviewed: only a meeting that follows up the
    agreement's own meeting (what the follow-up meeting's page offers; the API accepts nothing else)."""
    policy.require(actor, "taskforces.manage_agreement", agreement)
    if meeting.tenant_id != agreement.tenant_id or meeting.follows_up_id != agreement.meeting_id:
        raise ValidationError({"meeting": ERR_REVIEW_MEETING})
    agreement.reviewed_at = meeting
    agreement.save(update_fields=["reviewed_at", "updated_at"])
    audit(actor=actor, action=Event.AGREEMENT_REVIEWED, obj=agreement, extra={"meeting_id": str(meeting.pk)})
    return agreement


@transaction.atomic
def agreement_follow(*, actor: User, agreement: Agreement, follow: bool = True) -> bool:
    """Follow (or stop following) an agreement one may see; returns whether the actor now follows it."""
    policy.require(actor, "taskforces.follow_agreement", agreement)
    if follow:
        AgreementFollower.objects.get_or_create(agreement=agreement, user=actor)
    else:
        AgreementFollower.objects.filter(agreement=agreement, user=actor).delete()
    audit(actor=actor, action=Event.AGREEMENT_FOLLOWED, obj=agreement, extra={"follow": follow})
    return follow


def agreement_document_add(*, actor: User, owner: Agreement, kind: str, uploaded_file: Any, title: str = ""):
    policy.require(actor, "taskforces.manage_agreement_documents", owner)
    if kind not in AGREEMENT_DOCUMENT_KINDS:
        raise ValidationError({"kind": _("Unknown document kind.")})
    return document_store(
        actor=actor, tenant=owner.tenant, owner=owner, kind=kind, uploaded_file=uploaded_file, title=title
    )


def agreements_remind(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Remind owners a week before the due date and escalate to the secretariat and office head after it.

    Each (agreement, kind, due date) is marked in AgreementReminder in the same transaction as its
    notification: running the job twice, or on two workers, notifies nobody twice. A moved due date is a
    new deadline and is reminded of again.
    """
    now = now or timezone.now()
    latest = clock.latest_today(now)
    counts = {ReminderKind.BEFORE_DUE.value: 0, ReminderKind.OVERDUE.value: 0}
    candidates = (
        Agreement.objects.filter(reminder_horizon_q(latest))
        .select_related("tenant", "meeting")
        .order_by("due_on", "pk")
    )
    for agreement in candidates.iterator(chunk_size=500):
        today = clock.tenant_today(agreement.tenant, now)
        state = deadline_state(agreement.due_on, today)
        if state is None:
            continue
        kind = ReminderKind.OVERDUE if state == "overdue" else ReminderKind.BEFORE_DUE
        with transaction.atomic():
            try:
                with transaction.atomic():
                    AgreementReminder.objects.create(
                        agreement=agreement, kind=kind, due_on=agreement.due_on, sent_at=now
                    )
            except IntegrityError:
                continue  # already sent for this due date
            recipients = _agency_staff([agreement.owner_id])
            if kind == ReminderKind.OVERDUE:
                recipients += list(
                    User.objects.filter(
                        tenant_id=agreement.tenant_id,
                        role__in=(Role.TASKFORCE_SECRETARIAT, Role.OFFICE_HEAD),
                        is_active=True,
                    )
                )
                title = _("Agreement overdue: %(label)s")
            else:
                title = _("Agreement due soon: %(label)s")
            if recipients:
                notify(
                    recipients=recipients,
                    kind=f"agreement_{kind}",
                    title=(str(title) % {"label": str(agreement)})[:200],
                    url=_url(agreement),
                )
            counts[kind.value] += 1
    return counts
