"""Undangan (invitation letter), daftar hadir, notulen and the follow-up report as PDF, on the tenant's
letterhead (core/letters.py), and the invitation e-mail to every invited member."""

import datetime as dt
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import User
from sinergi.audit.services import record as audit
from sinergi.core import clock, policy
from sinergi.core.letters import letter_context, render_letter_pdf
from sinergi.core.pdf import render_pdf
from sinergi.tenants.models import Signatory
from sinergi.tenants.selectors import letter_signatory
from sinergi.tenants.services import letter_number_next

from ..events import Event
from ..models import Meeting

ERR_NO_ADDRESS = _("No invited member has an e-mail address.")
ERR_NOT_ISSUED = _("Issue the invitation (nomor surat) first.")


def meeting_facts(meeting: Meeting) -> dict:
    """Day, date and time of a meeting as letters write them, in the tenant's zone and in Indonesian."""
    with translation.override("id"), clock.override_tenant(meeting.tenant):
        start = timezone.localtime(meeting.starts_at)
        time = clock.format_when(meeting.starts_at, with_date=False)
        if meeting.ends_at:
            end = clock.format_when(meeting.ends_at, with_date=False)
            time = f"{time.rsplit(' ', 1)[0]} – {end}"
        else:
            time = f"{time.rsplit(' ', 1)[0]} {clock.abbreviation()} – selesai"
        return {"day_date": clock.format_long_date(start), "time": time}


@transaction.atomic
def invitation_issue(
    *,
    actor: User,
    meeting: Meeting,
    signatory: Signatory | UUID | str | None = None,
    nature: str = "Penting",
    attachment: str = "-",
    subject: str = "",
) -> Meeting:
    """Fix the letter's facts and take its nomor surat from the tenant's pattern (once per meeting)."""
    policy.require(actor, "taskforces.manage_meeting", meeting)
    signatory = letter_signatory(tenant=meeting.tenant, signatory=signatory)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.letter_number:
        meeting.letter_on = clock.tenant_today(meeting.tenant)
        meeting.letter_number = letter_number_next(tenant=meeting.tenant, classification="005", on=meeting.letter_on)
    meeting.signatory = signatory
    meeting.letter_nature = nature.strip()[:60]
    meeting.letter_attachment = attachment.strip()[:60] or "-"
    meeting.letter_subject = (subject.strip() or meeting.letter_subject or meeting.title)[:200]
    meeting.full_clean()
    meeting.save()
    audit(
        actor=actor,
        action=Event.INVITATION_ISSUED,
        obj=meeting,
        fields=["letter_number", "signatory", "letter_subject"],
        extra={"number": meeting.letter_number},
    )
    return meeting


def _addressees(meeting: Meeting) -> list[str]:
    out = []
    for invitation in meeting.invitations.select_related("member__agency").order_by("member__organisation"):
        member = invitation.member
        out.append(member.agency.name if member.agency_id else member.organisation)
    return out


def invitation_pdf(*, meeting: Meeting) -> bytes:
    """The invitation letter: kop surat, Nomor/Sifat/Lampiran/Hal, Yth., day and date, time with zone,
    venue, agenda and the signatory with NIP. The caller checked `taskforces.view_meeting`."""
    if not meeting.letter_number:
        raise ValidationError(ERR_NOT_ISSUED, code="not_issued")
    context = {
        "meeting": meeting,
        "addressees": _addressees(meeting),
        "agenda": list(meeting.agenda.all()),
        **meeting_facts(meeting),
    }
    return render_letter_pdf(
        template="taskforces/letters/invitation.html",
        tenant=meeting.tenant,
        context=context,
        signatory=meeting.signatory,
        day=meeting.letter_on,
        number=meeting.letter_number,
    )


def _render_document(template: str, *, meeting: Meeting, context: dict) -> bytes:
    with translation.override("id"), clock.override_tenant(meeting.tenant):
        full = {
            **letter_context(tenant=meeting.tenant, signatory=meeting.signatory),
            "meeting": meeting,
            "generated_at": timezone.now(),
            **meeting_facts(meeting),
            **context,
        }
        return render_pdf(render_to_string(template, full))


def attendance_pdf(*, meeting: Meeting) -> bytes:
    """Daftar hadir: No, Nama, Jabatan, Instansi, time and a signature column."""
    return _render_document(
        "taskforces/letters/attendance.html", meeting=meeting, context={"rows": list(meeting.attendances.all())}
    )


def minutes_pdf(*, meeting: Meeting) -> bytes:
    agreements = list(meeting.agreements.filter(parent__isnull=True).select_related("owner").order_by("number"))
    return _render_document(
        "taskforces/letters/minutes.html",
        meeting=meeting,
        context={"agenda": list(meeting.agenda.all()), "agreements": agreements},
    )


def followup_report_rows(*, meeting: Meeting, agreements) -> list[dict[str, Any]]:
    rows = []
    for agreement in agreements:
        updates = list(agreement.updates.all())
        last = updates[0] if updates else None
        rows.append({"agreement": agreement, "last": last})
    return rows


def followup_report_pdf(*, meeting: Meeting, agreements) -> bytes:
    """Every agreement of the meeting with owner, status, last progress and evidence: for the next rakor.
    `agreements` is what the reader may see (selectors.agreements_for_report)."""
    return _render_document(
        "taskforces/letters/followup_report.html",
        meeting=meeting,
        context={"rows": followup_report_rows(meeting=meeting, agreements=agreements), "today": dt.date.today()},
    )


def _recipients(meeting: Meeting) -> list[tuple[str, str]]:
    out, seen = [], set()
    for invitation in meeting.invitations.select_related("member__agency"):
        member = invitation.member
        email = member.contact_email or (member.agency.email if member.agency_id else "")
        if email and email.lower() not in seen:
            seen.add(email.lower())
            out.append((member.contact_name or member.display_name, email))
    return out


@transaction.atomic
def invitation_send(*, actor: User, meeting: Meeting) -> int:
    """E-mail the invitation PDF to every invited member's contact address (delivery recorded per
    addressee by the mailer, sent by the worker); the earlier meeting's follow-up report goes with it
    when this meeting follows one up. Returns the number of addressees."""
    from sinergi.notifications.mailer import MailAttachment, mail_send

    policy.require(actor, "taskforces.manage_meeting", meeting)
    if not meeting.letter_number:
        raise ValidationError(ERR_NOT_ISSUED, code="not_issued")
    recipients = _recipients(meeting)
    if not recipients:
        raise ValidationError(ERR_NO_ADDRESS, code="no_address")
    attachments = [
        MailAttachment(
            filename=f"undangan-{meeting.letter_on:%Y%m%d}.pdf",
            content=invitation_pdf(meeting=meeting),
            mimetype="application/pdf",
        )
    ]
    if meeting.follows_up_id:
        earlier = meeting.follows_up
        from ..selectors import agreements_for_meeting

        attachments.append(
            MailAttachment(
                filename="laporan-tindak-lanjut.pdf",
                content=followup_report_pdf(
                    meeting=earlier, agreements=agreements_for_meeting(user=actor, meeting=earlier)
                ),
                mimetype="application/pdf",
            )
        )
    context = {"meeting": meeting, **meeting_facts(meeting), "office": meeting.tenant.office_name}
    with translation.override("id"):
        subject = f"Undangan: {meeting.letter_subject or meeting.title}"[:200]
    mail_send(
        tenant=meeting.tenant,
        actor=actor,
        recipients=recipients,
        subject=subject,
        template="taskforces/email/invitation",
        context=context,
        attachments=attachments,
        owner=meeting,
        kind="taskforces.invitation",
    )
    meeting.invitation_sent_at = timezone.now()
    meeting.save(update_fields=["invitation_sent_at"])
    audit(actor=actor, action=Event.INVITATION_SENT, obj=meeting, extra={"addressees": len(recipients)})
    return len(recipients)


# ---- DOCX copies (docxtpl): templates the office can edit in Word -------------------------------

MIME_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _render_docx(kind: str, meeting: Meeting, context: dict) -> bytes:
    """The office's current Word template of `kind` (or the committed default), filled in; user text is
    escaped (autoescape): titles and minutes never become Word XML."""
    from .templates import render_docx, template_source

    return render_docx(template_source(tenant=meeting.tenant, kind=kind), context)


def _docx_base(meeting: Meeting) -> dict:
    ctx = letter_context(tenant=meeting.tenant, signatory=meeting.signatory, day=meeting.letter_on)
    head = ctx["letterhead"]
    return {
        "letterhead": {**head, "address": " · ".join([*head["address_lines"], *head["contacts"]])},
        "signature": ctx["signature"] or {"position": "", "name": "", "rank": "", "nip": ""},
        "place_date": ctx["letter_place_date"],
        "title": meeting.title,
        "venue": meeting.venue or meeting.online_url,
        **meeting_facts(meeting),
    }


def invitation_docx(*, meeting: Meeting) -> bytes:
    """The invitation as an editable Word document (same facts as the PDF)."""
    if not meeting.letter_number:
        raise ValidationError(ERR_NOT_ISSUED, code="not_issued")
    return _render_docx(
        "undangan",
        meeting,
        {
            **_docx_base(meeting),
            "number": meeting.letter_number,
            "nature": meeting.letter_nature or "Biasa",
            "attachment": meeting.letter_attachment or "-",
            "subject": meeting.letter_subject,
            "addressees": _addressees(meeting),
            "agenda": [item.title for item in meeting.agenda.all()],
        },
    )


def minutes_docx(*, meeting: Meeting) -> bytes:
    agreements = meeting.agreements.filter(parent__isnull=True).select_related("owner").order_by("number")
    return _render_docx(
        "notulen",
        meeting,
        {
            **_docx_base(meeting),
            "chair": meeting.chair_user.display_name if meeting.chair_user_id else meeting.chair_name or "-",
            "note_taker": (
                meeting.note_taker_user.display_name if meeting.note_taker_user_id else meeting.note_taker_name or "-"
            ),
            "summary": meeting.minutes_summary,
            "agenda": list(meeting.agenda.all()),
            "agreements": [
                {
                    "label": a.label,
                    "text": a.text,
                    "owner": a.owner.short_name if a.owner_id else "-",
                    "due": formats_date(a.due_on),
                }
                for a in agreements
            ],
        },
    )


def formats_date(value) -> str:
    if value is None:
        return "-"
    from django.utils import formats

    with translation.override("id"):
        return formats.date_format(value, "j F Y")
