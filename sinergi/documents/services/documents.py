"""Services: store, link, read, delete and serve a document."""

import hashlib
import io
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from PIL import Image

from sinergi.accounts.models import User
from sinergi.audit import services as audit
from sinergi.core import crypto, policy
from sinergi.core.tenancy import tenant_id_of

from ..models import Document, StoredFile
from .blobs import _new_blob_name, _read_blob, _remove_blob, _storage_name, _write_blob
from .common import _IMAGE_FORMATS, MSG_ALREADY_LINKED, MSG_BAD_KIND, MSG_OWNER_TENANT
from .validation import _read_limited, _strip_image, safe_filename, sniff_mime


def _owner_ref(owner: Any) -> dict:
    return {"owner_type": owner._meta.label_lower, "owner_id": str(owner.pk)}


def document_store(*, actor: User, tenant: Any, owner: Any, kind: str, uploaded_file: Any, title: str = "") -> Document:
    """Validate, clean, encrypt and store a file for `owner`; the caller has checked permission."""
    _check_kind(kind)
    owner_tenant_id = tenant_id_of(owner)
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
    *, actor: User, document: Document, owner: Any, kind: str | None = None, title: str | None = None
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
    if tenant_id_of(owner) != document.tenant_id:
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


def document_read(*, actor: User, document: Document) -> bytes:
    """Decrypted bytes of a live document; the caller has checked `documents.view_document`."""
    if document.is_deleted:
        raise Document.DoesNotExist
    return crypto.decrypt_bytes(_read_blob(document.file.blob_name))


@transaction.atomic
def document_delete(*, actor: User, document: Document) -> None:
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


def document_response(*, actor: User, document: Document) -> HttpResponse:
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


def document_preview_response(*, actor: User, document: Document, thumbnail: bool = False) -> HttpResponse:
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
    disposition = content_disposition_header(as_attachment=False, filename=filename)
    assert disposition is not None  # always set when a filename is given
    response["Content-Disposition"] = disposition
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
