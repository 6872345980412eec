"""Absen: rotating signed check-in codes, check-in (logged in or not), manual additions.

The screen in the room shows a QR code of a URL carrying a signed code `{meeting id}` with its issue time
(django.core.signing). A code opens the check-in page for CODE_OPEN_SECONDS after it was shown, and the
form opened with it may be sent for CODE_SUBMIT_SECONDS: a photo of the screen sent to someone at home
stops working within minutes. A code of meeting A never checks anyone into meeting B.
"""

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import User
from sinergi.audit.services import record as audit
from sinergi.core import policy
from sinergi.core.crypto import normalize_text

from ..events import Event
from ..models import Attendance, AttendanceMethod, Meeting, MeetingStatus

CODE_SALT = "sinergi.taskforces.checkin"
CODE_ROTATE_SECONDS = 30
CODE_OPEN_SECONDS = 120
CODE_SUBMIT_SECONDS = 15 * 60

ERR_CODE = _("This check-in code is not valid or has expired. Scan the code on the screen again.")
ERR_NAME = _("Enter your name.")
ERR_CANCELLED = _("This meeting was cancelled.")


def checkin_code(*, meeting: Meeting) -> str:
    """A fresh signed code for the screen (the view re-asks for one every CODE_ROTATE_SECONDS)."""
    return signing.dumps({"m": str(meeting.pk)}, salt=CODE_SALT, compress=True)


def checkin_code_check(*, meeting: Meeting, code: str, max_age: int = CODE_OPEN_SECONDS) -> None:
    """Raise ValidationError unless `code` was issued for this meeting less than `max_age` seconds ago."""
    try:
        data = signing.loads(code or "", salt=CODE_SALT, max_age=max_age)
    except signing.BadSignature as exc:  # SignatureExpired is a BadSignature
        raise ValidationError(ERR_CODE, code="bad_code") from exc
    if not isinstance(data, dict) or data.get("m") != str(meeting.pk):
        raise ValidationError(ERR_CODE, code="bad_code")
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(ERR_CANCELLED, code="cancelled")


def _identity(*, user: User | None, name: str, organisation: str) -> str:
    if user is not None:
        return f"user:{user.pk}"
    return f"guest:{normalize_text(name)}|{normalize_text(organisation)}"[:300]


def _record(
    *, meeting: Meeting, user: User | None, name: str, position: str, organisation: str, method: str, actor
) -> tuple[Attendance, bool]:
    name = (name or (user.display_name if user else "")).strip()
    if not name:
        raise ValidationError({"name": ERR_NAME})
    if user is not None and not organisation:
        organisation = user.agency.short_name if user.agency_id else ""
    identity = _identity(user=user, name=name, organisation=organisation)
    existing = Attendance.objects.filter(meeting=meeting, identity=identity).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                meeting=meeting,
                user=user,
                identity=identity,
                name=name[:160],
                position=position.strip()[:160],
                organisation=organisation.strip()[:200],
                method=method,
                checked_in_at=timezone.now(),
            )
            audit(
                actor=actor,
                action=Event.ATTENDANCE_RECORDED,
                obj=meeting,
                tenant=meeting.tenant_id,
                extra={"method": method, "attendance_id": str(attendance.pk)},
            )
    except IntegrityError:
        # The same person at the same moment on a second phone: the database keeps one row.
        return Attendance.objects.get(meeting=meeting, identity=identity), False
    return attendance, True


def attendance_checkin(
    *,
    meeting: Meeting,
    code: str,
    user: User | None = None,
    name: str = "",
    position: str = "",
    organisation: str = "",
) -> tuple[Attendance, bool]:
    """Check in from the QR link: a logged-in user of the tenant is recognised, anyone else gives name,
    position and organisation. Returns (attendance, created); a second check-in returns the first."""
    checkin_code_check(meeting=meeting, code=code, max_age=CODE_SUBMIT_SECONDS)
    if user is not None and (not user.is_authenticated or user.tenant_id != meeting.tenant_id):
        user = None
    return _record(
        meeting=meeting,
        user=user,
        name=name,
        position=position,
        organisation=organisation,
        method=AttendanceMethod.QR,
        actor=user,
    )


def attendance_add(
    *, actor: User, meeting: Meeting, name: str, position: str = "", organisation: str = "", user: User | None = None
) -> tuple[Attendance, bool]:
    """The secretariat adds an attendee by hand."""
    policy.require(actor, "taskforces.manage_meeting", meeting)
    if user is not None and user.tenant_id != meeting.tenant_id:
        user = None
    return _record(
        meeting=meeting,
        user=user,
        name=name,
        position=position,
        organisation=organisation,
        method=AttendanceMethod.MANUAL,
        actor=actor,
    )
