"""Reads of the task-force app. Lists and single objects use the same filters as the policy
(`policy.visible_meetings_q`, `policy.visible_agreements_q`): invisible and missing are both 404."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from sinergi.accounts.models import User
from sinergi.core import clock, policy
from sinergi.documents.models import Document
from sinergi.tenants.models import Agency

from .models import (
    CLOSED_STATUSES,
    Agreement,
    AgreementFollower,
    AgreementStatus,
    AgreementUpdate,
    Attendance,
    Body,
    Meeting,
    MeetingStatus,
)
from .overdue import due_q, overdue_q
from .policy import visible_agreements_q, visible_meetings_q


def _tenant_user(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.tenant_id and user.is_active)


# ---- Bodies -----------------------------------------------------------------------------------


def body_list_for_user(*, user: User) -> QuerySet[Body]:
    if not _tenant_user(user) or not policy.can(user, "taskforces.view_body", user.tenant):
        return Body.objects.none()
    return (
        Body.objects.filter(tenant_id=user.tenant_id)
        .select_related("agency", "parent")
        .annotate(member_count=Count("members", distinct=True), meeting_count=Count("meetings", distinct=True))
        .order_by("parent_id", "name")
    )


def body_get_for_user(*, user: User, pk: UUID | str) -> Body:
    if not _tenant_user(user):
        raise Http404
    body = Body.objects.filter(pk=pk, tenant_id=user.tenant_id).select_related("agency", "parent").first()
    if body is None:
        raise Http404
    policy.require_visible(user, "taskforces.view_body", body)
    return body


# ---- Meetings ---------------------------------------------------------------------------------


def meeting_list_for_user(
    *, user: User, body: Body | None = None, year: int | None = None, upcoming: bool | None = None
) -> QuerySet[Meeting]:
    if not _tenant_user(user):
        return Meeting.objects.none()
    qs = Meeting.objects.filter(visible_meetings_q(user)).select_related("body")
    if body is not None:
        qs = qs.filter(body=body)
    if year is not None:
        zone = clock.tenant_zone(user.tenant)
        start = dt.datetime(year, 1, 1, tzinfo=zone)
        qs = qs.filter(starts_at__gte=start, starts_at__lt=start.replace(year=year + 1))
    return qs.order_by("-starts_at")


def meeting_get_for_user(*, user: User, pk: UUID | str) -> Meeting:
    if not _tenant_user(user):
        raise Http404
    meeting = (
        Meeting.objects.filter(pk=pk, tenant_id=user.tenant_id)
        .select_related("body", "tenant", "follows_up", "signatory", "chair_user", "note_taker_user")
        .first()
    )
    if meeting is None:
        raise Http404
    policy.require_visible(user, "taskforces.view_meeting", meeting)
    return meeting


def meeting_invitations(*, meeting: Meeting):
    return meeting.invitations.select_related("member__agency").order_by("member__organisation", "member__agency__name")


# ---- UANG completeness ------------------------------------------------------------------------

UANG_DOCUMENT_KINDS = {
    "undangan": "invitation_scan",
    "absen": "attendance_scan",
    "notulen": "minutes_scan",
    "gambar": "photo",
}


@dataclass
class Uang:
    undangan: bool = False
    absen: bool = False
    notulen: bool = False
    gambar: bool = False

    @property
    def count(self) -> int:
        return sum((self.undangan, self.absen, self.notulen, self.gambar))

    @property
    def is_complete(self) -> bool:
        return self.count == 4


def _uang_documents(meeting_ids: list[Any]) -> dict[Any, set[str]]:
    """The UANG document kinds uploaded (scans, photos) per meeting id: one query."""
    if not meeting_ids:
        return {}
    by_str = {str(pk): pk for pk in meeting_ids}
    out: dict[Any, set[str]] = defaultdict(set)
    docs = (
        Document.objects.live()
        .filter(
            owner_type=ContentType.objects.get_for_model(Meeting),
            owner_id__in=list(by_str),
            kind__in=list(UANG_DOCUMENT_KINDS.values()),
        )
        .values_list("owner_id", "kind")
        .distinct()
    )
    for owner_id, kind in docs:
        out[by_str[owner_id]].add(kind)
    return out


def _uang(*, letter: bool, minutes: bool, attendance: bool, kinds: set[str]) -> Uang:
    """Made in the app (letter, check-ins, minutes) or uploaded as scans/photos."""
    k = UANG_DOCUMENT_KINDS
    return Uang(
        undangan=letter or k["undangan"] in kinds,
        absen=attendance or k["absen"] in kinds,
        notulen=minutes or k["notulen"] in kinds,
        gambar=k["gambar"] in kinds,
    )


def uang_for_meetings(meetings: list[Meeting]) -> dict[Any, Uang]:
    """Which of Undangan, Absen, Notulen and Gambar each meeting has: made in the app (letter, check-ins,
    minutes) or uploaded as scans/photos. Two queries whatever the number of meetings."""
    if not meetings:
        return {}
    ids = [m.pk for m in meetings]
    attended = set(
        Meeting.objects.filter(pk__in=ids, attendances__isnull=False).values_list("pk", flat=True).distinct()
    )
    docs = _uang_documents(ids)
    return {
        m.pk: _uang(
            letter=bool(m.letter_number),
            minutes=m.minutes_saved_at is not None,
            attendance=m.pk in attended,
            kinds=docs.get(m.pk, set()),
        )
        for m in meetings
    }


@dataclass
class UangSummary:
    meetings: int = 0
    complete: int = 0
    parts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(UANG_DOCUMENT_KINDS, 0))


def uang_summary(*, user: User, year: int) -> dict[Body, UangSummary]:
    """UANG completeness per body for one year (the KLA evaluation asks for exactly this evidence).
    Three queries: the year's meetings as plain rows (attendance as EXISTS), their documents, the bodies."""
    policy.require(user, "taskforces.view_statistics", user.tenant)
    rows = list(
        Meeting.objects.filter(pk__in=_meetings_of_year(user.tenant, year))
        .exclude(status=MeetingStatus.CANCELLED)
        .annotate(attended=Exists(Attendance.objects.filter(meeting_id=OuterRef("pk"))))
        .order_by()
        .values_list("pk", "body_id", "letter_number", "minutes_saved_at", "attended")
    )
    docs = _uang_documents([r[0] for r in rows])
    per_body: dict[Any, UangSummary] = {}
    for pk, body_id, letter, minutes, attended in rows:
        summary = per_body.setdefault(body_id, UangSummary())
        u = _uang(letter=bool(letter), minutes=minutes is not None, attendance=attended, kinds=docs.get(pk, set()))
        summary.meetings += 1
        summary.complete += u.is_complete
        for part in UANG_DOCUMENT_KINDS:
            summary.parts[part] += getattr(u, part)
    bodies = Body.objects.in_bulk(list(per_body))
    ordered = sorted(per_body.items(), key=lambda item: bodies[item[0]].name)
    return {bodies[body_id]: summary for body_id, summary in ordered}


# ---- Agreements -------------------------------------------------------------------------------


def agreement_list_for_user(
    *,
    user: User,
    meeting: Meeting | None = None,
    status: str | None = None,
    owner: Agency | None = None,
    overdue: bool = False,
    open_only: bool = False,
) -> QuerySet[Agreement]:
    if not _tenant_user(user):
        return Agreement.objects.none()
    qs = Agreement.objects.filter(visible_agreements_q(user)).select_related("owner", "meeting", "parent")
    if meeting is not None:
        qs = qs.filter(meeting=meeting)
    if status:
        qs = qs.filter(status=status)
    if owner is not None:
        qs = qs.filter(owner=owner)
    if open_only:
        qs = qs.exclude(status__in=CLOSED_STATUSES)
    if overdue:
        qs = qs.filter(overdue_q(clock.tenant_today(user.tenant)))
    return qs


def agreement_get_for_user(*, user: User, pk: UUID | str) -> Agreement:
    if not _tenant_user(user):
        raise Http404
    agreement = (
        Agreement.objects.filter(pk=pk, tenant_id=user.tenant_id)
        .select_related("owner", "meeting", "meeting__body", "parent", "reviewed_at", "tenant")
        .first()
    )
    if agreement is None:
        raise Http404
    policy.require_visible(user, "taskforces.view_agreement", agreement)
    return agreement


def agreement_updates(*, agreement: Agreement) -> QuerySet[AgreementUpdate]:
    return agreement.updates.select_related("author", "evidence_document", "evidence_document__file")


def agreement_is_followed(*, user: User, agreement: Agreement) -> bool:
    return AgreementFollower.objects.filter(agreement=agreement, user=user).exists()


def agreements_for_meeting(*, user: User, meeting: Meeting) -> list[Agreement]:
    """The agreements of a meeting the user may see, top-level first with their sub-agreements, and each
    one's updates prefetched (newest first): the follow-up report and the meeting page."""
    qs = (
        agreement_list_for_user(user=user, meeting=meeting)
        .prefetch_related(
            "supporters",
            Prefetch("updates", queryset=AgreementUpdate.objects.select_related("evidence_document__file")),
        )
        .order_by("parent__number", "parent_id", "number")
    )
    rows = list(qs)
    top = sorted((a for a in rows if a.parent_id is None), key=lambda a: a.number)
    children = defaultdict(list)
    for a in rows:
        if a.parent_id is not None:
            children[a.parent_id].append(a)
    ordered = []
    for a in top:
        ordered.append(a)
        ordered.extend(sorted(children.pop(a.pk, []), key=lambda c: c.number))
    for rest in children.values():  # sub-agreements whose parent the user may not see
        ordered.extend(sorted(rest, key=lambda c: c.number))
    return ordered


def commitments_for_user(*, user: User) -> QuerySet[Agreement]:
    """The open agreements the user's agency owns, soonest due first (the agency's home)."""
    if not _tenant_user(user) or user.agency_id is None or not policy.can(user, "taskforces.view_taskforces"):
        return Agreement.objects.none()
    # The owner's staff may see every agreement their agency owns (policy.visible_agreements_q): filtering
    # on the owner alone keeps the (tenant, owner, status) index usable.
    return (
        Agreement.objects.filter(tenant_id=user.tenant_id, owner_id=user.agency_id)
        .exclude(status__in=CLOSED_STATUSES)
        .select_related("owner", "meeting", "meeting__body", "parent")
        .order_by("due_on", "meeting__starts_at", "number")
    )


# ---- Secretariat aggregates --------------------------------------------------------------------

STATUS_ORDER = [s.value for s in AgreementStatus]


def _aggregate_scope(*, user: User, body: Body | None, year: int | None) -> QuerySet[Agreement]:
    policy.require(user, "taskforces.view_statistics", user.tenant)
    qs = Agreement.objects.filter(tenant_id=user.tenant_id)
    if body is not None:
        if body.tenant_id != user.tenant_id:
            raise Http404
        qs = qs.filter(meeting__body=body)
    if year is not None:
        # A range on the meetings' index, then agreements by meeting: no per-row date function.
        qs = qs.filter(meeting_id__in=_meetings_of_year(user.tenant, year))
    return qs


def _meetings_of_year(tenant, year: int) -> QuerySet[Meeting]:
    zone = clock.tenant_zone(tenant)
    start = dt.datetime(year, 1, 1, tzinfo=zone)
    return Meeting.objects.filter(
        tenant_id=tenant.pk, starts_at__gte=start, starts_at__lt=start.replace(year=year + 1)
    ).values("pk")


@dataclass
class MatrixRow:
    agency: Agency | None
    counts: dict[str, int]
    due: int = 0
    done_on_time: int = 0
    overdue: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def closure_rate(self) -> float | None:
        """Done on time / due (agreements whose due date has passed, or done before it)."""
        return None if not self.due else self.done_on_time / self.due


def agreement_matrix(*, user: User, body: Body | None = None, year: int | None = None) -> list[MatrixRow]:
    """Agency × status counts with each agency's closure rate (done on time / due) and overdue count.
    Two queries however many agreements (analysts may read it: it is aggregates only)."""
    today = clock.tenant_today(user.tenant)
    qs = _aggregate_scope(user=user, body=body, year=year)
    is_due = due_q(today)
    rows = (
        qs.values("owner_id", "status")
        .annotate(
            # COUNT(*) and COUNT(due_on) (never null under these filters), not COUNT(id): every column
            # read is in the covering index, so no table lookups.
            n=Count("*"),
            due=Count("due_on", filter=is_due & ~Q(status=AgreementStatus.DROPPED)),
            on_time=Count("due_on", filter=Q(status=AgreementStatus.DONE, done_on__lte=F("due_on"))),
            overdue=Count("due_on", filter=overdue_q(today)),
        )
        .order_by()
    )
    by_owner: dict[Any, MatrixRow] = {}
    for r in rows:
        row = by_owner.setdefault(r["owner_id"], MatrixRow(agency=None, counts=dict.fromkeys(STATUS_ORDER, 0)))
        row.counts[r["status"]] += r["n"]
        row.due += r["due"]
        row.done_on_time += r["on_time"]
        row.overdue += r["overdue"]
    agencies = Agency.objects.in_bulk([pk for pk in by_owner if pk is not None])
    for pk, row in by_owner.items():
        row.agency = agencies.get(pk)
    return sorted(by_owner.values(), key=lambda r: (r.agency is None, r.agency.short_name if r.agency else ""))


def overdue_list_for_user(*, user: User) -> QuerySet[Agreement]:
    """Open agreements past their due date that the user may see (none for analysts: aggregates only)."""
    if not policy.can(user, "taskforces.view_taskforces"):
        raise PermissionDenied
    return agreement_list_for_user(user=user, overdue=True).select_related("meeting__body").order_by("due_on")


def calendar_items_for_user(*, user: User, since: dt.datetime) -> tuple[list[Meeting], list[Agreement]]:
    """Meetings from `since` (a cancelled one too: the feed marks it cancelled) and the due dates of open
    agreements the user may see (ICS feed)."""
    meetings = list(meeting_list_for_user(user=user).filter(starts_at__gte=since)[:500])
    agreements = list(
        agreement_list_for_user(user=user, open_only=True).filter(due_on__isnull=False).order_by("due_on")[:1000]
    )
    return meetings, agreements


STATUS_LABELS = [(s.value, s.label) for s in AgreementStatus]


def calendar_feed_user(*, token: str) -> User:
    """The user of a live feed token; Http404 for an unknown or revoked token (or an inactive user)."""
    from .models import CalendarFeed
    from .services.calendar import feed_token_hash

    feed = (
        CalendarFeed.objects.filter(token_hash=feed_token_hash(token or ""), revoked_at__isnull=True)
        .select_related("user", "user__tenant")
        .first()
    )
    if feed is None or not _tenant_user(feed.user) or not feed.user.tenant.is_active:
        raise Http404
    return feed.user


# ---- The office's Word templates ------------------------------------------------------------------


def letter_templates_for_user(*, user: User) -> list[dict[str, Any]]:
    """Per template kind: the version in use (None: the default) and every uploaded version, newest first."""
    policy.require(user, "taskforces.manage_templates", user.tenant)
    from .models import LetterTemplate, LetterTemplateKind

    versions = list(
        LetterTemplate.objects.filter(tenant_id=user.tenant_id)
        .select_related("uploaded_by")
        .order_by("kind", "-version")
    )
    rows = []
    for kind in LetterTemplateKind:
        history = [t for t in versions if t.kind == kind]
        current = next((t for t in history if t.retired_at is None), None)
        rows.append({"kind": kind.value, "label": kind.label, "current": current, "history": history})
    return rows
