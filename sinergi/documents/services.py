"""Storing, reading, serving and deleting encrypted documents.

Every file is sniffed from its bytes (never the extension or the client's content type), images are
re-encoded without metadata, and the bytes are encrypted before they touch the disk. Permission is
the caller's job for storing, reading and deleting (see policy.py); `document_link` checks both ends
itself because it joins two owners' permissions.
"""

import hashlib
import io
import logging
import re
import secrets
import unicodedata
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import magic
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_slug
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFile, ImageOps

from sinergi.audit import services as audit
from sinergi.core import crypto, policy

from .models import Document, StoredFile
from .storage import document_storage, overwrites_in_place

logger = logging.getLogger(__name__)

MSG_EMPTY = _("The file is empty.")
MSG_TOO_LARGE = _("The file is too large (maximum %(max)s).")
MSG_TYPE_NOT_ALLOWED = _(
    "This file type is not allowed. Upload a PDF, JPEG, PNG, Word (.docx), Excel (.xlsx), "
    "OpenDocument (.odt, .ods) or plain text (.txt) file."
)
MSG_MACRO = _("Office files with macros are not allowed.")
MSG_CORRUPT_IMAGE = _("The image is damaged or too large to process.")
MSG_CORRUPT_DOCX = _("The office file is damaged.")
MSG_CORRUPT_PDF = _("The PDF file is damaged.")
MSG_PDF_ACTIVE = _(
    "This PDF contains scripts, automatic actions or embedded files, which are not allowed. "
    "Print it to a new PDF (or scan it) and upload that file."
)
MSG_PDF_ENCRYPTED = _("Password-protected PDF files are not allowed. Remove the password and upload it again.")
MSG_TEXT_ENCODING = _("Text files must be UTF-8 encoded.")
MSG_BAD_KIND = _("Unknown document kind.")
MSG_OWNER_TENANT = _("The document must belong to the same region as its owner.")
MSG_ALREADY_LINKED = _("This document is already attached here.")

MIME_PDF = "application/pdf"
MIME_JPEG = "image/jpeg"
MIME_PNG = "image/png"
MIME_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MIME_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MIME_ODT = "application/vnd.oasis.opendocument.text"
MIME_ODS = "application/vnd.oasis.opendocument.spreadsheet"
MIME_TXT = "text/plain"
ALLOWED_MIMES = frozenset({MIME_PDF, MIME_JPEG, MIME_PNG, MIME_DOCX, MIME_XLSX, MIME_ODT, MIME_ODS, MIME_TXT})
EXTENSIONS = {
    MIME_PDF: ".pdf",
    MIME_JPEG: ".jpg",
    MIME_PNG: ".png",
    MIME_DOCX: ".docx",
    MIME_XLSX: ".xlsx",
    MIME_ODT: ".odt",
    MIME_ODS: ".ods",
    MIME_TXT: ".txt",
}
# OOXML: the main part's content type and the part that must exist, per accepted type.
_OOXML_TYPES = {
    MIME_DOCX: (b"wordprocessingml.document.main+xml", "word/document.xml"),
    MIME_XLSX: (b"spreadsheetml.sheet.main+xml", "xl/workbook.xml"),
}
_ODF_TYPES = frozenset({MIME_ODT, MIME_ODS})
# libmagic names some office files by their container only.
_ZIP_MIMES = frozenset({"application/zip", "application/x-zip-compressed", "application/octet-stream"})
_IMAGE_FORMATS = {MIME_JPEG: "JPEG", MIME_PNG: "PNG"}
# libmagic reads at most this much of a file anyway; OOXML detection needs more than the first 8 KB.
_SNIFF_BYTES = 1024 * 1024
# Zip-bomb limits for office files: we never extract, but refuse absurd archives outright.
_DOCX_MAX_ENTRIES = 5000
_DOCX_MAX_UNCOMPRESSED = 200 * 1024 * 1024
_DOCX_MACRO_MARKERS = ("vbaproject.bin", "vbadata.xml", "activex")
# OpenDocument keeps macros (StarBasic, scripts) in these folders of the archive.
_ODF_MACRO_PREFIXES = ("basic/", "scripts/")
# PDF names that run code, act on opening or carry files. pypdf decodes #-escapes in names.
_PDF_ACTIVE_KEYS = frozenset(
    {"/JS", "/JavaScript", "/AA", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/EF", "/XFA", "/RichMedia"}
)
_PDF_ACTIVE_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/GoToE", "/RichMediaExecute", "/Rendition", "/Sound"}
)
_PDF_MAX_OBJECTS = 200_000
_FALLBACK_MAX_PIXELS = 89_478_485  # Pillow's default, used if someone set MAX_IMAGE_PIXELS to None

_UNSAFE_NAME_RE = re.compile(r"[\x00-\x1f\x7f/\\]")


# ---- Validation and sanitising ----------------------------------------------------------------


def _read_limited(uploaded_file: Any, *, max_bytes: int) -> bytes:
    declared = getattr(uploaded_file, "size", None)
    if declared is not None and declared > max_bytes:
        raise ValidationError(MSG_TOO_LARGE, code="too_large", params={"max": filesizeformat(max_bytes)})
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    buffer = io.BytesIO()
    chunks = uploaded_file.chunks() if hasattr(uploaded_file, "chunks") else iter([uploaded_file.read()])
    for chunk in chunks:
        buffer.write(chunk)
        # The declared size may lie (a File wrapping a stream): count what we actually read.
        if buffer.tell() > max_bytes:
            raise ValidationError(MSG_TOO_LARGE, code="too_large", params={"max": filesizeformat(max_bytes)})
    data = buffer.getvalue()
    if not data:
        raise ValidationError(MSG_EMPTY, code="empty")
    return data


def sniff_mime(data: bytes) -> str:
    """The allowed MIME type of `data`, decided from its bytes; ValidationError otherwise."""
    detected = magic.from_buffer(data[:_SNIFF_BYTES], mime=True)
    if data[:4] == b"PK\x03\x04" and (detected in _ZIP_MIMES or detected in _OOXML_TYPES or detected in _ODF_TYPES):
        return _check_office(data)
    if detected == MIME_PDF:
        _check_pdf(data)
        return MIME_PDF
    if detected == MIME_TXT:
        _check_text(data)
        return MIME_TXT
    if detected not in ALLOWED_MIMES:
        raise ValidationError(MSG_TYPE_NOT_ALLOWED, code="type_not_allowed")
    return detected


def _check_office(data: bytes) -> str:
    """An OOXML (docx, xlsx) or OpenDocument (odt, ods) file without macros; other zips are refused."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > _DOCX_MAX_ENTRIES or sum(i.file_size for i in infos) > _DOCX_MAX_UNCOMPRESSED:
                raise ValidationError(MSG_CORRUPT_DOCX, code="corrupt")
            names = {i.filename for i in infos}
            lowered = [n.lower() for n in names]
            if infos and infos[0].filename == "mimetype":
                return _check_odf(archive, infos[0], names, lowered)
            if "[Content_Types].xml" not in names:
                raise ValidationError(MSG_TYPE_NOT_ALLOWED, code="type_not_allowed")
            if any(marker in n for n in lowered for marker in _DOCX_MACRO_MARKERS):
                raise ValidationError(MSG_MACRO, code="macro")
            content_types_info = archive.getinfo("[Content_Types].xml")
            if content_types_info.file_size > 1024 * 1024:
                raise ValidationError(MSG_CORRUPT_DOCX, code="corrupt")
            content_types = archive.read(content_types_info).lower()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError, NotImplementedError) as exc:
        raise ValidationError(MSG_CORRUPT_DOCX, code="corrupt") from exc
    if b"macroenabled" in content_types or b"vbaproject" in content_types:
        raise ValidationError(MSG_MACRO, code="macro")
    for mime, (main_type, main_part) in _OOXML_TYPES.items():
        if main_type in content_types and main_part in names:
            return mime
    raise ValidationError(MSG_TYPE_NOT_ALLOWED, code="type_not_allowed")


def _check_odf(archive: zipfile.ZipFile, first: zipfile.ZipInfo, names: set, lowered: list) -> str:
    # OpenDocument 1.2 §3.3: the first member is "mimetype", stored uncompressed, holding exactly the
    # media type. That is what makes ODF sniffing reliable; anything looser is refused.
    if first.compress_type != zipfile.ZIP_STORED or first.file_size > 100:
        raise ValidationError(MSG_TYPE_NOT_ALLOWED, code="type_not_allowed")
    declared = archive.read(first).decode("ascii", errors="replace")
    if declared not in _ODF_TYPES or not {"content.xml", "META-INF/manifest.xml"} <= names:
        raise ValidationError(MSG_TYPE_NOT_ALLOWED, code="type_not_allowed")
    if any(n.startswith(_ODF_MACRO_PREFIXES) for n in lowered):
        raise ValidationError(MSG_MACRO, code="macro")
    return declared


def _check_text(data: bytes) -> None:
    """Plain UTF-8 text without NUL bytes (libmagic's text/plain already excludes HTML)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationError(MSG_TEXT_ENCODING, code="text_encoding") from exc
    if "\x00" in text:
        raise ValidationError(MSG_TYPE_NOT_ALLOWED, code="type_not_allowed")


def _check_pdf(data: bytes) -> None:
    """Refuse PDFs that can run code or act by themselves: JavaScript, launch/submit/import actions,
    additional actions (/AA), an /OpenAction that is an action (a plain destination is fine), XFA
    forms, rich media and embedded files. Every object is inspected, compressed ones included."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(MSG_PDF_ENCRYPTED, code="pdf_encrypted")
        refs = [(num, gen) for gen, table in reader.xref.items() for num in table]
        refs += [(num, 0) for num in reader.xref_objStm]
        if len(refs) > _PDF_MAX_OBJECTS:
            raise ValidationError(MSG_CORRUPT_PDF, code="corrupt_pdf")
        objects = [reader.trailer]
        for num, gen in refs:
            obj = reader.get_object(IndirectObject(num, gen, reader))
            if obj is not None:
                objects.append(obj)
        # Walk each object's direct children too (an annotation's /A action is usually inline);
        # indirect references are not followed here because every indirect object is in the list.
        stack = objects
        while stack:
            obj = stack.pop()
            if isinstance(obj, DictionaryObject):
                if _pdf_dict_is_active(obj, ArrayObject):
                    raise ValidationError(MSG_PDF_ACTIVE, code="pdf_active")
                children = obj.values()
            elif isinstance(obj, ArrayObject):
                children = obj
            else:
                continue
            stack.extend(c for c in children if isinstance(c, DictionaryObject | ArrayObject))
    except ValidationError:
        raise
    except Exception:
        # pypdf gives up on many damaged files (old scanners) that viewers still repair and open.
        # Fall back to the raw bytes, which is sound: outside object streams every dictionary key
        # is plain text in the file, so a file without them cannot hide an action key.
        _check_pdf_raw(data)


_PDF_NAME_RE = re.compile(rb"/([^\x00\t\n\x0c\r /\[\]<>(){}%]+)")
_PDF_HEX_ESCAPE_RE = re.compile(rb"#([0-9A-Fa-f]{2})")
# Object streams (compressed dictionaries) and encryption hide keys from a raw scan.
_PDF_RAW_REFUSED = frozenset(
    n.lstrip("/").encode() for n in (*_PDF_ACTIVE_KEYS, *_PDF_ACTIVE_ACTIONS, "/OpenAction", "/ObjStm", "/Encrypt")
)


def _check_pdf_raw(data: bytes) -> None:
    for match in _PDF_NAME_RE.finditer(data):
        name = _PDF_HEX_ESCAPE_RE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1))
        if name in _PDF_RAW_REFUSED:
            raise ValidationError(
                MSG_CORRUPT_PDF if name in (b"ObjStm", b"Encrypt") else MSG_PDF_ACTIVE,
                code="corrupt_pdf" if name in (b"ObjStm", b"Encrypt") else "pdf_active",
            )


def _pdf_dict_is_active(obj, array_type) -> bool:
    if _PDF_ACTIVE_KEYS & set(obj.keys()):
        return True
    if obj.get("/S") in _PDF_ACTIVE_ACTIONS or obj.get("/Type") == "/EmbeddedFile":
        return True
    if "/OpenAction" in obj:
        # A destination array ([page /Fit]) only chooses the first view; an action dictionary acts.
        return not isinstance(obj.get_object()["/OpenAction"].get_object(), array_type)
    return False


def _strip_image(data: bytes, *, mime: str) -> bytes:
    """Decode, apply the EXIF orientation and re-encode with no metadata (EXIF, GPS, XMP, comments)."""
    expected_format = _IMAGE_FORMATS[mime]
    # WeasyPrint sets this process-wide flag on import (it tolerates broken images in HTML); for
    # evidence a truncated image is corrupt, so insist on complete files every time we decode.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    max_pixels = Image.MAX_IMAGE_PIXELS or _FALLBACK_MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data), formats=[expected_format]) as img:
            if img.width * img.height > max_pixels:
                raise ValidationError(MSG_CORRUPT_IMAGE, code="corrupt_image")
            img.load()
            img = ImageOps.exif_transpose(img)
            img = _normalise_mode(img, expected_format)
            # A fresh image carries pixels only: Pillow copies some `info` (JPEG comment, ICC...)
            # into the output when re-saving the decoded image itself.
            clean = Image.new(img.mode, img.size)
            clean.paste(img)
            out = io.BytesIO()
            if expected_format == "JPEG":
                clean.save(out, format="JPEG", quality=90, optimize=True)
            else:
                clean.save(out, format="PNG", optimize=True)
    except ValidationError:
        raise
    except Exception as exc:
        # Decoders of hostile input fail in many ways (OSError, SyntaxError, struct.error, bombs...):
        # every one of them means "not an image we accept".
        raise ValidationError(MSG_CORRUPT_IMAGE, code="corrupt_image") from exc
    return out.getvalue()


def image_strip_metadata(*, data: bytes, mime: str) -> bytes:
    """A JPEG/PNG re-encoded without any metadata (EXIF, GPS, XMP, comments); for other apps' images."""
    return _strip_image(data, mime=mime)


def _normalise_mode(img: Image.Image, fmt: str) -> Image.Image:
    if fmt == "JPEG":
        return img if img.mode in ("L", "RGB") else img.convert("RGB")
    if img.mode in ("1", "L", "LA", "RGB", "RGBA"):
        return img
    has_alpha = img.mode in ("PA", "RGBa", "La") or "transparency" in img.info
    return img.convert("RGBA" if has_alpha else "RGB")


def safe_filename(name: str, *, mime: str) -> str:
    """A display/download name: no path, no control characters, extension matching the real type."""
    name = unicodedata.normalize("NFC", name or "")
    name = _UNSAFE_NAME_RE.sub("_", name.replace("\\", "/").rsplit("/", 1)[-1]).strip(" .")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem.strip(" .")[:150] or "document"
    return stem + EXTENSIONS.get(mime, "")


# ---- Blob storage ----------------------------------------------------------------------------


def _new_blob_name() -> str:
    return secrets.token_hex(24)


def _storage_name(blob_name: str) -> str:
    return f"{blob_name[:2]}/{blob_name}"


def _write_blob(blob_name: str, data: bytes) -> None:
    storage = document_storage()
    name = _storage_name(blob_name)
    saved = storage.save(name, ContentFile(data))
    if saved != name:
        # The backend picked another name (it will not overwrite): never leave a stray copy.
        _remove_blob(saved)
        raise RuntimeError("The document storage did not keep the blob name.")


def _read_blob(blob_name: str) -> bytes:
    with document_storage().open(_storage_name(blob_name), "rb") as fh:
        return fh.read()


def _remove_blob(name: str) -> None:
    """Delete one storage name (`ab/ab…`); a failure is logged, the purge retries next night."""
    try:
        document_storage().delete(name)
    except Exception:
        logger.exception("Could not remove document blob %s", name.rsplit("/", 1)[-1])


# ---- Services --------------------------------------------------------------------------------


def _owner_tenant_id(owner: Any):
    return owner.pk if owner.__class__.__name__ == "Tenant" else getattr(owner, "tenant_id", None)


def _owner_ref(owner: Any) -> dict:
    return {"owner_type": owner._meta.label_lower, "owner_id": str(owner.pk)}


def document_store(*, actor: Any, tenant: Any, owner: Any, kind: str, uploaded_file: Any, title: str = "") -> Document:
    """Validate, clean, encrypt and store a file for `owner`; the caller has checked permission."""
    _check_kind(kind)
    owner_tenant_id = _owner_tenant_id(owner)
    if owner_tenant_id is not None and owner_tenant_id != tenant.pk:
        raise ValidationError(MSG_OWNER_TENANT, code="owner_tenant")

    data = _read_limited(uploaded_file, max_bytes=settings.SINERGI_UPLOAD_MAX_BYTES)
    mime = sniff_mime(data)
    if mime in _IMAGE_FORMATS:
        data = _strip_image(data, mime=mime)

    original_name = safe_filename(getattr(uploaded_file, "name", "") or "", mime=mime)
    title = (title or "").strip() or original_name.rsplit(".", 1)[0]
    blob_name = _new_blob_name()
    _write_blob(blob_name, crypto.encrypt_bytes(data))
    # If this transaction (or the caller's) rolls back, the blob is an orphan; a failure here
    # removes it at once and `document_blobs_purge` sweeps anything left by an outer rollback.
    try:
        with transaction.atomic():
            stored = StoredFile(
                tenant=tenant,
                mime=mime,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                blob_name=blob_name,
            )
            stored.full_clean()
            stored.save()
            document = Document(
                tenant=tenant,
                file=stored,
                owner_type=ContentType.objects.get_for_model(owner),
                owner_id=str(owner.pk),
                kind=kind,
                title=title[:500],
                original_name=original_name,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            document.full_clean()
            document.save()
            audit.record(
                actor=actor,
                action="document.uploaded",
                obj=document,
                fields=["kind", "mime", "size"],
                extra={"kind": kind, "mime": mime, "size": len(data), **_owner_ref(owner)},
            )
    except BaseException:
        _remove_blob(_storage_name(blob_name))
        raise
    return document


def _check_kind(kind: str) -> None:
    try:
        validate_slug(kind)
    except ValidationError as exc:
        raise ValidationError(MSG_BAD_KIND, code="bad_kind") from exc


@transaction.atomic
def document_link(
    *, actor: Any, document: Document, owner: Any, kind: str | None = None, title: str | None = None
) -> Document:
    """Link the stored file of `document` to a second `owner`: a new link row, never a second blob.

    The actor must be allowed to view the source link (else 404: its existence is not revealed)
    and to manage the documents of the target owner (else 403). The new link has its own kind,
    title and permission (the target owner's rules); deleting either link leaves the other intact.
    """
    policy.require_visible(actor, "documents.view_document", document)
    if document.is_deleted:
        raise Http404
    policy.require(actor, "documents.add_document", owner)
    if _owner_tenant_id(owner) != document.tenant_id:
        raise ValidationError(MSG_OWNER_TENANT, code="owner_tenant")
    kind = kind or document.kind
    _check_kind(kind)
    owner_type = ContentType.objects.get_for_model(owner)
    # Lock the file row: a concurrent purge must not remove the blob while we add a link to it.
    stored = StoredFile.objects.select_for_update().get(pk=document.file_id)
    if stored.purged_at is not None:
        raise Http404
    if Document.objects.live().filter(file=stored, owner_type=owner_type, owner_id=str(owner.pk)).exists():
        raise ValidationError(MSG_ALREADY_LINKED, code="already_linked")
    link = Document(
        tenant_id=document.tenant_id,
        file=stored,
        owner_type=owner_type,
        owner_id=str(owner.pk),
        kind=kind,
        title=((title or "").strip() or document.title)[:500],
        original_name=document.original_name,
        is_sensitive=document.is_sensitive,
        linked_from=document,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    link.full_clean()
    link.save()
    audit.record(
        actor=actor,
        action="document.linked",
        obj=link,
        fields=["kind"],
        extra={"kind": kind, "source_id": str(document.pk), "file_id": str(stored.pk), **_owner_ref(owner)},
    )
    return link


def document_read(*, actor: Any, document: Document) -> bytes:
    """Decrypted bytes of a live document; the caller has checked `documents.view_document`."""
    if document.is_deleted:
        raise Document.DoesNotExist
    return crypto.decrypt_bytes(_read_blob(document.file.blob_name))


@transaction.atomic
def document_delete(*, actor: Any, document: Document) -> None:
    """Unlink: soft-delete this owner's link; the row stays for the audit trail. The stored file
    stays while another owner links it; `document_blobs_purge` removes it once no link is left."""
    if document.is_deleted:
        return
    document.deleted_at = timezone.now()
    document.save(update_fields=["deleted_at"])
    links_left = Document.objects.live().filter(file_id=document.file_id).count()
    audit.record(
        actor=actor,
        action="document.deleted",
        obj=document,
        extra={"kind": document.kind, "links_left": links_left},
    )


def document_response(*, actor: Any, document: Document) -> HttpResponse:
    """The decrypted file as a download, never rendered inline; records `document.downloaded`."""
    data = document_read(actor=actor, document=document)
    audit.record(
        actor=actor,
        action="document.downloaded",
        obj=document,
        fields=["file"],
        extra={"kind": document.kind, "mime": document.mime},
    )
    response = HttpResponse(data, content_type=document.mime)
    filename = safe_filename(document.original_name, mime=document.mime)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    # Should a browser render it anyway, nothing in it may run or load.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


THUMBNAIL_SIZE = (320, 320)
# An image document shown inline may load nothing and run nothing; sandboxed like a download.
PREVIEW_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def document_preview_response(*, actor: Any, document: Document, thumbnail: bool = False) -> HttpResponse:
    """An image document inline (or a thumbnail of it); records `document.previewed`.

    Only JPEG and PNG, which `document_store` re-encoded without metadata, are ever shown inline;
    any other type raises Http404 here (it is downloaded as an attachment instead).
    """
    if not document.is_previewable:
        raise Http404
    data = document_read(actor=actor, document=document)
    if thumbnail:
        data = _thumbnail(data, mime=document.mime)
    audit.record(
        actor=actor,
        action="document.previewed",
        obj=document,
        fields=["file"],
        extra={"kind": document.kind, "mime": document.mime, "thumbnail": thumbnail},
    )
    response = HttpResponse(data, content_type=document.mime)
    filename = safe_filename(document.original_name, mime=document.mime)
    response["Content-Disposition"] = content_disposition_header(as_attachment=False, filename=filename)
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Content-Security-Policy"] = PREVIEW_CSP
    return response


def _thumbnail(data: bytes, *, mime: str) -> bytes:
    fmt = _IMAGE_FORMATS[mime]
    with Image.open(io.BytesIO(data), formats=[fmt]) as img:
        img.thumbnail(THUMBNAIL_SIZE)
        out = io.BytesIO()
        img.save(out, format=fmt)
    return out.getvalue()


# ---- Maintenance -----------------------------------------------------------------------------


def _blob_names() -> Iterator[str]:
    """Storage names of every blob (`ab/ab…`): two-character folders, one level deep."""
    storage = document_storage()
    try:
        prefixes, _files = storage.listdir("")
    except FileNotFoundError:
        return
    for prefix in sorted(prefixes):
        if len(prefix) == 2:
            yield from (f"{prefix}/{name}" for name in sorted(storage.listdir(prefix)[1]))


def _purgeable_files(*, now, deleted_before: timedelta, orphan_grace: timedelta):
    """Stored files no link holds any more: every link deleted before the cutoff (or none at all)."""
    holding = Document.objects.filter(file=OuterRef("pk")).filter(
        Q(deleted_at__isnull=True) | Q(deleted_at__gte=now - deleted_before)
    )
    # A file without any link is the leftover of a failed transaction: give it the orphan grace.
    any_link = Document.objects.filter(file=OuterRef("pk"))
    return (
        StoredFile.objects.filter(purged_at__isnull=True)
        .exclude(Exists(holding))
        .filter(Q(Exists(any_link)) | Q(created_at__lt=now - orphan_grace))
    )


def document_blobs_purge(
    *, deleted_before: timedelta = timedelta(days=30), orphan_grace: timedelta = timedelta(hours=24)
) -> dict[str, int]:
    """Remove blobs no link has held for `deleted_before`, and files no row refers to."""
    now = timezone.now()
    storage = document_storage()
    removed_deleted = 0
    for pk in _purgeable_files(now=now, deleted_before=deleted_before, orphan_grace=orphan_grace).values_list(
        "pk", flat=True
    ):
        # One transaction per file, re-checked under a row lock: a link made meanwhile keeps the blob.
        with transaction.atomic():
            stored = (
                _purgeable_files(now=now, deleted_before=deleted_before, orphan_grace=orphan_grace)
                .select_for_update()
                .filter(pk=pk)
                .first()
            )
            if stored is None:
                continue
            name = _storage_name(stored.blob_name)
            if storage.exists(name):
                _remove_blob(name)
                removed_deleted += 1
            stored.purged_at = now
            stored.save(update_fields=["purged_at"])

    # Leftover temp files of interrupted writes and blobs of rolled-back uploads. The grace period
    # keeps blobs of uploads whose transaction is still open.
    cutoff = now - orphan_grace
    candidates = [name for name in _blob_names() if storage.get_modified_time(name) < cutoff]
    removed_orphans = 0
    for start in range(0, len(candidates), 500):
        batch = {name.rsplit("/", 1)[-1]: name for name in candidates[start : start + 500]}
        known = set(StoredFile.objects.filter(blob_name__in=list(batch)).values_list("blob_name", flat=True))
        for blob_name, name in batch.items():
            if blob_name not in known:
                _remove_blob(name)
                removed_orphans += 1
    return {"deleted": removed_deleted, "orphans": removed_orphans}


def document_blobs_rotate() -> dict[str, int]:
    """Re-encrypt every stored blob under the newest key in SINERGI_FIELD_KEYS (idempotent).

    A backend that overwrites (the local folder, S3) gets the blob rewritten under its own name;
    any other gets a new name, switched in the database row before the old blob is removed.
    """
    storage = document_storage()
    in_place = overwrites_in_place(storage)
    counts = {"rotated": 0, "current": 0, "missing": 0}
    files = StoredFile.objects.filter(purged_at__isnull=True).order_by("pk")
    for pk, blob_name in files.values_list("pk", "blob_name").iterator():
        if not storage.exists(_storage_name(blob_name)):
            counts["missing"] += 1
            continue
        token = _read_blob(blob_name)
        if crypto.is_current_bytes(token):
            counts["current"] += 1
            continue
        if in_place:
            _write_blob(blob_name, crypto.rotate_bytes(token))
        else:
            new_name = _new_blob_name()
            _write_blob(new_name, crypto.rotate_bytes(token))
            StoredFile.objects.filter(pk=pk).update(blob_name=new_name)
            _remove_blob(_storage_name(blob_name))
        counts["rotated"] += 1
    return counts
