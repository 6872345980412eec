"""Bodies and meetings: lists, the meeting page with its UANG, invitation, minutes, QR screen, PDFs."""

import datetime as dt
import io
from uuid import UUID

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.audit.services import record as audit
from sinergi.core import clock, policy
from sinergi.core.forms import add_service_errors, flash_service_result
from sinergi.documents.selectors import documents_for_owner
from sinergi.documents.views import owner_document_upload

from . import selectors, services
from .events import Event
from .forms import (
    AgreementForm,
    AttendeeForm,
    BodyForm,
    MeetingDocumentForm,
    MeetingForm,
    MeetingSeriesForm,
    MeetingStatusForm,
    MemberForm,
    MinutesForm,
)
from .models import Agreement, Meeting

MSG_SAVED = _("Saved.")
MSG_ISSUED = _("Invitation issued: %(number)s.")
MSG_SENT = _("Invitation sent to %(count)s addressees.")
MSG_SERIES = _("%(count)s meetings created from the rule.")


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    response["Cache-Control"] = "private, no-store"
    return response


def _slug(meeting: Meeting) -> str:
    return timezone.localtime(meeting.starts_at, clock.tenant_zone(meeting.tenant)).strftime("%Y%m%d")


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "taskforces.view_taskforces")
    meetings = list(selectors.meeting_list_for_user(user=request.user)[:50])
    uang = selectors.uang_for_meetings(meetings)
    rows = [(m, uang[m.pk]) for m in meetings]
    return render(request, "taskforces/home.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def body_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "taskforces.view_body", request.user.tenant)
    form = BodyForm(request.POST or None, request.FILES or None, tenant=request.user.tenant)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            body = services.body_create(
                actor=request.user,
                tenant=request.user.tenant,
                kind=d["kind"],
                name=d["name"],
                chair_name=d["chair_name"],
                agency=d["agency"],
                parent=d["parent"],
                cluster=d["cluster"],
                decree_number=d["decree_number"],
                decree_on=d["decree_on"],
                decree_file=d["decree_file"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("taskforces:body_detail", body.pk)
    year = clock.tenant_today(request.user.tenant).year
    return render(
        request,
        "taskforces/body_list.html",
        {"bodies": selectors.body_list_for_user(user=request.user), "form": form, "year": year},
    )


@login_required
@require_http_methods(["GET", "POST"])
def body_detail(request: HttpRequest, pk: UUID) -> HttpResponse:
    body = selectors.body_get_for_user(user=request.user, pk=pk)
    form = MemberForm(request.POST or None, tenant=body.tenant)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_add(actor=request.user, body=body, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, MSG_SAVED)
            return redirect("taskforces:body_detail", body.pk)
    members = body.members.select_related("agency").order_by("agency__short_name", "organisation")
    meetings = selectors.meeting_list_for_user(user=request.user, body=body)[:50]
    return render(
        request, "taskforces/body_detail.html", {"body": body, "members": members, "form": form, "meetings": meetings}
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    policy.require(user, "taskforces.manage_taskforces", user.tenant)
    form = MeetingForm(
        request.POST or None,
        bodies=selectors.body_list_for_user(user=user),
        meetings=selectors.meeting_list_for_user(user=user),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        body = d["body"]
        invited = list(body.members.filter(is_active=True)) if d["invite_all"] else []
        try:
            meeting = services.meeting_create(
                actor=user,
                body=body,
                type=d["type"],
                title=d["title"],
                starts_at=d["starts_at"],
                ends_at=d["ends_at"],
                venue=d["venue"],
                online_url=d["online_url"],
                agenda=d["agenda"].splitlines(),
                invited=invited,
                chair_name=d["chair_name"],
                note_taker_name=d["note_taker_name"],
                follows_up=d["follows_up"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("taskforces:meeting_detail", meeting.pk)
    return render(request, "taskforces/meeting_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_series_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    policy.require(user, "taskforces.manage_taskforces", user.tenant)
    form = MeetingSeriesForm(request.POST or None, bodies=selectors.body_list_for_user(user=user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        body = d["body"]
        try:
            series = services.meeting_series_create(
                actor=user,
                body=body,
                type=d["type"],
                title=d["title"],
                rule=d["rule"],
                first_starts_at=d["first_starts_at"],
                duration=dt.timedelta(minutes=d["duration_minutes"]),
                agenda=d["agenda"].splitlines(),
                venue=d["venue"],
                invited=list(body.members.filter(is_active=True)) if d["invite_all"] else [],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, MSG_SERIES % {"count": series.meetings.count()})
            return redirect("taskforces:body_detail", body.pk)
    return render(request, "taskforces/meeting_series_form.html", {"form": form})


@login_required
@require_POST
def meeting_status(request: HttpRequest, pk: UUID) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    policy.require(request.user, "taskforces.manage_meeting", meeting)
    form = MeetingStatusForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("taskforces:meeting_detail", meeting.pk)
    services.meeting_set_status(actor=request.user, meeting=meeting, status=form.cleaned_data["status"])
    messages.success(request, MSG_SAVED)
    return redirect("taskforces:meeting_detail", meeting.pk)


def _meeting_context(request: HttpRequest, meeting: Meeting) -> dict:
    user = request.user
    agreements = selectors.agreements_for_meeting(user=user, meeting=meeting)
    may_manage = policy.can(user, "taskforces.manage_meeting", meeting)
    return {
        "meeting": meeting,
        "uang": selectors.uang_for_meetings([meeting])[meeting.pk],
        "agenda": list(meeting.agenda.all()),
        "invitations": selectors.meeting_invitations(meeting=meeting) if may_manage else [],
        "agreements": agreements,
        "documents": documents_for_owner(owner=meeting),
        "attendance_count": meeting.attendances.count(),
        "may_manage": may_manage,
        "agreement_form": AgreementForm(
            tenant=meeting.tenant, parents=Agreement.objects.filter(meeting=meeting, parent__isnull=True)
        ),
        "document_form": MeetingDocumentForm(),
        "attendee_form": AttendeeForm(),
        "status_form": MeetingStatusForm(initial={"status": meeting.status}),
        "review_rows": _review_rows(user, meeting),
    }


def _review_rows(user, meeting: Meeting) -> list[tuple[Agreement, bool]]:
    """On a follow-up meeting: the earlier meeting's agreements the user may see, each with whether the
    user may mark it as reviewed here."""
    if meeting.follows_up_id is None:
        return []
    earlier = selectors.agreements_for_meeting(user=user, meeting=meeting.follows_up)
    return [(a, policy.can(user, "taskforces.manage_agreement", a)) for a in earlier]


@login_required
@require_POST
def agreement_reviewed(request: HttpRequest, pk: UUID, agreement_pk: UUID) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    agreement = selectors.agreement_get_for_user(user=request.user, pk=agreement_pk)
    flash_service_result(
        request,
        lambda: services.agreement_mark_reviewed(actor=request.user, agreement=agreement, meeting=meeting),
        MSG_SAVED,
    )
    return redirect("taskforces:meeting_detail", meeting.pk)


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: UUID) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    return render(request, "taskforces/meeting_detail.html", _meeting_context(request, meeting))


@login_required
@require_POST
def invitation_issue(request: HttpRequest, pk: UUID) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    flash_service_result(
        request,
        lambda: services.invitation_issue(actor=request.user, meeting=meeting),
        lambda issued: MSG_ISSUED % {"number": issued.letter_number},
    )
    return redirect("taskforces:meeting_detail", meeting.pk)


@login_required
@require_POST
def invitation_send(request: HttpRequest, pk: UUID) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    flash_service_result(
        request,
        lambda: services.invitation_send(actor=request.user, meeting=meeting),
        lambda count: MSG_SENT % {"count": count},
    )
    return redirect("taskforces:meeting_detail", meeting.pk)


def _export(request: HttpRequest, meeting: Meeting, what: str) -> None:
    audit(actor=request.user, action=Event.REPORT_EXPORTED, obj=meeting, extra={"what": what})


@login_required
@require_GET
def invitation_pdf(request: HttpRequest, pk: UUID) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    try:
        data = services.invitation_pdf(meeting=meeting)
    except ValidationError:
        return redirect("taskforces:meeting_detail", meeting.pk)
    _export(request, meeting, "invitation")
    return _pdf(data, f"undangan-{_slug(meeting)}.pdf")


def _docx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=services.letters.MIME_DOCX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def invitation_docx(request: HttpRequest, pk: UUID) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    policy.require(request.user, "taskforces.manage_meeting", meeting)
    try:
        data = services.invitation_docx(meeting=meeting)
    except ValidationError:
        return redirect("taskforces:meeting_detail", meeting.pk)
    _export(request, meeting, "invitation_docx")
    return _docx(data, f"undangan-{_slug(meeting)}.docx")


@login_required
@require_GET
def minutes_docx(request: HttpRequest, pk: UUID) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    policy.require(request.user, "taskforces.manage_meeting", meeting)
    _export(request, meeting, "minutes_docx")
    return _docx(services.minutes_docx(meeting=meeting), f"notulen-{_slug(meeting)}.docx")


@login_required
@require_GET
def attendance_pdf(request: HttpRequest, pk: UUID) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    policy.require(request.user, "taskforces.manage_meeting", meeting)  # names and positions of attendees
    _export(request, meeting, "attendance")
    return _pdf(services.attendance_pdf(meeting=meeting), f"daftar-hadir-{_slug(meeting)}.pdf")


@login_required
@require_GET
def minutes_pdf(request: HttpRequest, pk: UUID) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    policy.require(request.user, "taskforces.manage_meeting", meeting)
    _export(request, meeting, "minutes")
    return _pdf(services.minutes_pdf(meeting=meeting), f"notulen-{_slug(meeting)}.pdf")


@login_required
@require_GET
def followup_report_pdf(request: HttpRequest, pk: UUID) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    agreements = selectors.agreements_for_meeting(user=request.user, meeting=meeting)
    _export(request, meeting, "followup_report")
    return _pdf(
        services.followup_report_pdf(meeting=meeting, agreements=agreements), f"tindak-lanjut-{_slug(meeting)}.pdf"
    )


@login_required
@require_http_methods(["GET", "POST"])
def minutes(request: HttpRequest, pk: UUID) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    policy.require(request.user, "taskforces.manage_meeting", meeting)
    agenda = list(meeting.agenda.all())
    form = MinutesForm(request.POST or None, initial={"summary": meeting.minutes_summary})
    if request.method == "POST" and form.is_valid():
        items = [
            {
                "id": str(item.pk),
                "discussion": request.POST.get(f"discussion-{item.pk}", ""),
                "speakers": request.POST.get(f"speakers-{item.pk}", ""),
                "decisions": request.POST.get(f"decisions-{item.pk}", ""),
            }
            for item in agenda
        ]
        try:
            services.minutes_save(
                actor=request.user, meeting=meeting, items=items, summary=form.cleaned_data["summary"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, MSG_SAVED)
            return redirect("taskforces:meeting_detail", meeting.pk)
    return render(request, "taskforces/minutes_form.html", {"meeting": meeting, "agenda": agenda, "form": form})


@login_required
@require_POST
def agreement_add(request: HttpRequest, pk: UUID) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    policy.require(request.user, "taskforces.manage_meeting", meeting)
    form = AgreementForm(
        request.POST, tenant=meeting.tenant, parents=Agreement.objects.filter(meeting=meeting, parent__isnull=True)
    )
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.agreement_create(
                actor=request.user,
                meeting=meeting,
                text=d["text"],
                owner=d["owner"],
                supporters=d["supporters"],
                due_on=d["due_on"],
                parent=d["parent"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, default_field="text")
        else:
            messages.success(request, MSG_SAVED)
            return redirect(reverse("taskforces:meeting_detail", args=[meeting.pk]) + "#agreements")
    context = _meeting_context(request, meeting) | {"agreement_form": form}
    return render(request, "taskforces/meeting_detail.html", context, status=400)


@login_required
@require_POST
def meeting_document_upload(request: HttpRequest, pk: UUID) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    form, document = owner_document_upload(
        request, owner=meeting, form_class=MeetingDocumentForm, add=services.meeting_document_add
    )
    if document is None:
        context = _meeting_context(request, meeting) | {"document_form": form}
        return render(request, "taskforces/meeting_detail.html", context, status=400)
    messages.success(request, MSG_SAVED)
    return redirect("taskforces:meeting_detail", meeting.pk)


# ---- Absen: the QR screen, the live count, manual additions -----------------------------------


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


def _checkin_url(request: HttpRequest, meeting: Meeting) -> str:
    code = services.checkin_code(meeting=meeting)
    return request.build_absolute_uri(reverse("taskforces:checkin", args=[meeting.pk]) + f"?c={code}")


@login_required
@never_cache
@require_GET
def qr_screen(request: HttpRequest, pk: UUID) -> HttpResponse:
    """The screen in the room: a QR code that rotates every 30 seconds (htmx) and the live count."""
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    policy.require(request.user, "taskforces.manage_meeting", meeting)
    url = _checkin_url(request, meeting)
    context = {
        "meeting": meeting,
        "qr_svg": _qr_svg(url),
        "checkin_url": url,
        "attendance_count": meeting.attendances.count(),
        "rotate": services.attendance.CODE_ROTATE_SECONDS,
    }
    if request.htmx:
        return render(request, "taskforces/partials/_qr.html", context)
    return render(request, "taskforces/qr_screen.html", context)


@login_required
@never_cache
@require_GET
def attendance_count(request: HttpRequest, pk: UUID) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    if not policy.can(request.user, "taskforces.manage_meeting", meeting):
        raise PermissionDenied
    return render(
        request,
        "taskforces/partials/_attendance_count.html",
        {"meeting": meeting, "attendance_count": meeting.attendances.count()},
    )


@login_required
@require_POST
def attendance_add(request: HttpRequest, pk: UUID) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    form = AttendeeForm(request.POST)
    if form.is_valid():
        flash_service_result(
            request,
            lambda: services.attendance_add(actor=request.user, meeting=meeting, **form.cleaned_data),
            MSG_SAVED,
        )
    else:
        policy.require(request.user, "taskforces.manage_meeting", meeting)
        messages.error(request, _("Enter the attendee's name."))
    return redirect("taskforces:meeting_detail", meeting.pk)
