"""Text out of an uploaded draft: UTF-8 text, DOCX (read as the Office Open XML it is) or PDF (pypdf).

DOCX is parsed with the standard library (zipfile + ElementTree on word/document.xml): no extra
dependency, and nothing in the file is executed. Sizes are bounded against zip bombs.
"""

import io
import zipfile
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sinergi.documents.services import xml_declares_dtd

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_TEXT_CHARS = 200_000
_MAX_XML_BYTES = 20 * 1024 * 1024
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

ERROR_TOO_LARGE = _("The file is too large (at most 5 MB).")
ERROR_UNREADABLE = _("The file could not be read as text, DOCX or PDF.")
ERROR_EMPTY = _("The file contains no text.")
ERROR_TEXT_TOO_LONG = _("The text is too long (at most 200,000 characters).")


def _docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("word/document.xml")
        if info.file_size > _MAX_XML_BYTES:
            raise ValidationError(ERROR_TOO_LARGE)
        xml = archive.read(info)
    # Word never writes a DTD; refusing one rules out entity expansion (billion laughs) before parsing.
    if xml_declares_dtd(xml):
        raise ValidationError(ERROR_UNREADABLE)
    root = ElementTree.fromstring(xml)  # noqa: S314 - no DTD (checked above), no external entities in ElementTree
    paragraphs = []
    for p in root.iter(f"{_W}p"):
        parts = []
        for node in p.iter():
            if node.tag == f"{_W}t" and node.text:
                parts.append(node.text)
            elif node.tag == f"{_W}tab":
                parts.append("\t")
            elif node.tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
        paragraphs.append("".join(parts))
    return "\n".join(paragraphs)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join((page.extract_text() or "") for page in reader.pages[:200])


def extract_text(*, data: bytes, filename: str = "") -> str:
    """The text of an uploaded file; raises ValidationError for anything else."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(ERROR_TOO_LARGE)
    name = filename.lower()
    try:
        if data[:4] == b"PK\x03\x04" or name.endswith(".docx"):
            text = _docx_text(data)
        elif data[:5] == b"%PDF-" or name.endswith(".pdf"):
            text = _pdf_text(data)
        else:
            text = data.decode("utf-8-sig")
    except ValidationError:
        raise
    except Exception as exc:  # any parser error is the same answer to the user: not readable
        raise ValidationError(ERROR_UNREADABLE) from exc
    text = text.replace("\r\n", "\n").replace("\x00", "")
    if not text.strip():
        raise ValidationError(ERROR_EMPTY)
    if len(text) > MAX_TEXT_CHARS:
        raise ValidationError(ERROR_TEXT_TOO_LONG)
    return text
