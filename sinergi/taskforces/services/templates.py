"""The office's own Word templates (docxtpl) for the invitation and the minutes.

An upload is checked before anything is saved: a Word document by its bytes (the document store's sniffing:
no macros, no other zip), no DTD in any XML part (entity expansion), and it must render with a sample
meeting (every {{ field }} it uses must exist; Jinja syntax errors are shown with their message). Each
upload is a new version; the newest one not retired is used, and "back to the default" retires them all so
the committed template in `taskforces/docx/` is used again.
"""

import io
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import User
from sinergi.audit.services import record as audit
from sinergi.core import policy
from sinergi.documents.services import MIME_DOCX, document_read, document_store, ooxml_declares_dtd, sniff_mime

from ..events import Event
from ..models import LetterTemplate, LetterTemplateKind

DEFAULTS = Path(__file__).resolve().parent.parent / "docx"
DEFAULT_FILES = {LetterTemplateKind.UNDANGAN: "undangan.docx", LetterTemplateKind.NOTULEN: "notulen.docx"}

ERR_KIND = _("Unknown template kind.")
ERR_NOT_DOCX = _("The template must be a Word document (.docx).")
ERR_DTD = _("The template contains a document type definition (DTD); Word never writes one. Save it again in Word.")
ERR_RENDER = _("The template cannot be filled in: %(error)s")
ERR_TOO_LARGE = _("The template is too large.")

_LETTERHEAD = {
    "parent": "Pemerintah Kabupaten Contoh",
    "office": "Dinas Pemberdayaan Perempuan dan Perlindungan Anak",
    "address": "Jl. Contoh No. 1 · Telp. (0541) 000000",
    "address_lines": ["Jl. Contoh No. 1"],
    "contacts": ["Telp. (0541) 000000"],
    "unit": "UPTD PPA",
    "logo": "",
}
_SIGNATURE = {"position": "Kepala Dinas", "name": "Nama Penandatangan", "rank": "Pembina", "nip": "197001011990031001"}
_BASE = {
    "letterhead": _LETTERHEAD,
    "signature": _SIGNATURE,
    "place_date": "Tenggarong, 2 Januari 2023",
    "title": "Rapat Koordinasi Gugus Tugas KLA",
    "venue": "Ruang Rapat",
    "day_date": "Rabu, 4 Januari 2023",
    "time": "09.00 – 12.00 WITA",
}
_AGENDA_ITEM = {
    "position": 1,
    "title": "Pembukaan",
    "discussion": "Pembahasan",
    "speakers": "Nama (Instansi)",
    "decisions": "Keputusan",
}
# The fields each template is filled in with (the same keys as letters.invitation_docx / minutes_docx).
SAMPLE_CONTEXTS: dict[str, dict[str, Any]] = {
    LetterTemplateKind.UNDANGAN: {
        **_BASE,
        "number": "005/001/DPPPA/I/2023",
        "nature": "Penting",
        "attachment": "-",
        "subject": "Rapat Koordinasi",
        "addressees": ["Dinas Sosial", "Dinas Pendidikan"],
        "agenda": ["Pembukaan", "Kesepakatan"],
    },
    LetterTemplateKind.NOTULEN: {
        **_BASE,
        "chair": "Ketua Rapat",
        "note_taker": "Notulis",
        "summary": "Ringkasan",
        "agenda": [_AGENDA_ITEM],
        "agreements": [{"label": "1", "text": "Kesepakatan", "owner": "Dinsos", "due": "31 Maret 2023"}],
    },
}


def _check_kind(kind: str) -> None:
    if kind not in LetterTemplateKind.values:
        raise ValidationError({"kind": ERR_KIND})


def _refuse_dtd(data: bytes) -> None:
    """No XML part may declare a DTD or an entity (sizes are bounded by the store's sniffing)."""
    if ooxml_declares_dtd(data):
        raise ValidationError({"file": ERR_DTD}, code="dtd")


def render_docx(source: Any, context: dict, *, strict: bool = False) -> bytes:
    """Fill a docxtpl template (path or bytes) in; user text is escaped (autoescape), never Word XML."""
    import jinja2
    from docxtpl import DocxTemplate

    template = DocxTemplate(io.BytesIO(source) if isinstance(source, bytes) else source)
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined if strict else jinja2.Undefined)
    template.render(context, jinja_env=env, autoescape=True)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def template_validate(*, kind: str, data: bytes) -> None:
    """A clear ValidationError if `data` is not a Word template that fills in with the sample meeting."""
    _check_kind(kind)
    try:
        mime = sniff_mime(data)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    if mime != MIME_DOCX:
        raise ValidationError({"file": ERR_NOT_DOCX}, code="not_docx")
    _refuse_dtd(data)
    try:
        render_docx(data, SAMPLE_CONTEXTS[kind], strict=True)
    except Exception as exc:  # Jinja, lxml and docx errors all mean "this template is broken"
        message = " ".join(str(exc).split())[:300] or type(exc).__name__
        raise ValidationError({"file": ERR_RENDER % {"error": message}}, code="render") from exc


def current_template(*, tenant: Any, kind: str) -> LetterTemplate | None:
    return (
        LetterTemplate.objects.filter(tenant_id=tenant.pk, kind=kind, retired_at__isnull=True)
        .select_related("document__file")
        .order_by("-version")
        .first()
    )


def template_source(*, tenant: Any, kind: str) -> Path | bytes:
    """The template a letter of `tenant` is filled in with: its newest upload, else the default file."""
    template = current_template(tenant=tenant, kind=kind)
    if template is None or template.document is None or template.document.is_deleted:
        return DEFAULTS / DEFAULT_FILES[kind]
    return document_read(actor=None, document=template.document)


def template_upload(*, actor: User, tenant: Any, kind: str, uploaded_file: Any) -> LetterTemplate:
    """Validate and store a new version; nothing is saved when the template is refused."""
    policy.require(actor, "taskforces.manage_templates", tenant)
    _check_kind(kind)
    if getattr(uploaded_file, "size", 0) > settings.SINERGI_UPLOAD_MAX_BYTES:
        raise ValidationError({"file": ERR_TOO_LARGE}, code="too_large")
    data = b"".join(uploaded_file.chunks()) if hasattr(uploaded_file, "chunks") else uploaded_file.read()
    if len(data) > settings.SINERGI_UPLOAD_MAX_BYTES:
        raise ValidationError({"file": ERR_TOO_LARGE}, code="too_large")
    template_validate(kind=kind, data=data)
    with transaction.atomic():
        # Lock this tenant's rows of the kind: two uploads at once get versions n and n+1.
        list(LetterTemplate.objects.select_for_update().filter(tenant_id=tenant.pk, kind=kind))
        last = LetterTemplate.objects.filter(tenant_id=tenant.pk, kind=kind).aggregate(m=Max("version"))["m"]
        template = LetterTemplate.objects.create(tenant=tenant, kind=kind, version=(last or 0) + 1, uploaded_by=actor)
        name = getattr(uploaded_file, "name", "") or f"{kind}.docx"
        template.document = document_store(
            actor=actor,
            tenant=tenant,
            owner=template,
            kind="letter_template",
            uploaded_file=SimpleUploadedFile(name, data, MIME_DOCX),
            title=f"{LetterTemplateKind(kind).label} v{template.version}",
        )
        template.save(update_fields=["document"])
        audit(
            actor=actor, action=Event.TEMPLATE_UPLOADED, obj=template, extra={"kind": kind, "version": template.version}
        )
    return template


@transaction.atomic
def template_reset(*, actor: User, tenant: Any, kind: str) -> int:
    """Back to the committed default: retire every uploaded version of `kind` (kept as history)."""
    policy.require(actor, "taskforces.manage_templates", tenant)
    _check_kind(kind)
    retired = LetterTemplate.objects.filter(tenant_id=tenant.pk, kind=kind, retired_at__isnull=True).update(
        retired_at=timezone.now()
    )
    audit(actor=actor, action=Event.TEMPLATE_RESET, tenant=tenant, extra={"kind": kind, "retired": retired})
    return retired
