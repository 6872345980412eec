"""Messages, accepted types and the limits of uploaded documents."""

import re

from django.utils.translation import gettext_lazy as _

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
