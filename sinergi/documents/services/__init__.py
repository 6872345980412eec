"""Storing, reading, serving and deleting encrypted documents.

Every file is sniffed from its bytes (never the extension or the client's content type), images are
re-encoded without metadata, and the bytes are encrypted before they touch the disk. Permission is
the caller's job for storing, reading and deleting (see policy.py); `document_link` checks both ends
itself because it joins two owners' permissions.
"""

# The modules tests patch through this package (services.audit.record, services.timezone.now).
from django.utils import timezone

from sinergi.audit import services as audit

from .common import (
    ALLOWED_MIMES,
    EXTENSIONS,
    MIME_DOCX,
    MIME_JPEG,
    MIME_ODS,
    MIME_ODT,
    MIME_PDF,
    MIME_PNG,
    MIME_TXT,
    MIME_XLSX,
    MSG_ALREADY_LINKED,
    MSG_BAD_KIND,
    MSG_CORRUPT_DOCX,
    MSG_CORRUPT_IMAGE,
    MSG_CORRUPT_PDF,
    MSG_EMPTY,
    MSG_MACRO,
    MSG_OWNER_TENANT,
    MSG_PDF_ACTIVE,
    MSG_PDF_ENCRYPTED,
    MSG_TEXT_ENCODING,
    MSG_TOO_LARGE,
    MSG_TYPE_NOT_ALLOWED,
)
from .documents import (
    PREVIEW_CSP,
    THUMBNAIL_SIZE,
    document_delete,
    document_link,
    document_preview_response,
    document_read,
    document_response,
    document_store,
)
from .maintenance import document_blobs_purge, document_blobs_rotate
from .validation import (
    _strip_image,
    image_strip_metadata,
    ooxml_declares_dtd,
    safe_filename,
    sniff_mime,
    xml_declares_dtd,
)

__all__ = [
    "ALLOWED_MIMES",
    "EXTENSIONS",
    "MIME_DOCX",
    "MIME_JPEG",
    "MIME_ODS",
    "MIME_ODT",
    "MIME_PDF",
    "MIME_PNG",
    "MIME_TXT",
    "MIME_XLSX",
    "MSG_ALREADY_LINKED",
    "MSG_BAD_KIND",
    "MSG_CORRUPT_DOCX",
    "MSG_CORRUPT_IMAGE",
    "MSG_CORRUPT_PDF",
    "MSG_EMPTY",
    "MSG_MACRO",
    "MSG_OWNER_TENANT",
    "MSG_PDF_ACTIVE",
    "MSG_PDF_ENCRYPTED",
    "MSG_TEXT_ENCODING",
    "MSG_TOO_LARGE",
    "MSG_TYPE_NOT_ALLOWED",
    "PREVIEW_CSP",
    "THUMBNAIL_SIZE",
    "_strip_image",
    "audit",
    "document_blobs_purge",
    "document_blobs_rotate",
    "document_delete",
    "document_link",
    "document_preview_response",
    "document_read",
    "document_response",
    "document_store",
    "image_strip_metadata",
    "ooxml_declares_dtd",
    "safe_filename",
    "sniff_mime",
    "timezone",
    "xml_declares_dtd",
]
