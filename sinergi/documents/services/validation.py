"""Validation and sanitising: sniff the type from the bytes, refuse active content, strip metadata."""

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from typing import Any

import magic
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageFile, ImageOps

from .common import (
    _DOCX_MACRO_MARKERS,
    _DOCX_MAX_ENTRIES,
    _DOCX_MAX_UNCOMPRESSED,
    _FALLBACK_MAX_PIXELS,
    _IMAGE_FORMATS,
    _ODF_MACRO_PREFIXES,
    _ODF_TYPES,
    _OOXML_TYPES,
    _PDF_ACTIVE_ACTIONS,
    _PDF_ACTIVE_KEYS,
    _PDF_MAX_OBJECTS,
    _SNIFF_BYTES,
    _UNSAFE_NAME_RE,
    _ZIP_MIMES,
    ALLOWED_MIMES,
    EXTENSIONS,
    MIME_PDF,
    MIME_TXT,
    MSG_CORRUPT_DOCX,
    MSG_CORRUPT_IMAGE,
    MSG_CORRUPT_PDF,
    MSG_EMPTY,
    MSG_MACRO,
    MSG_PDF_ACTIVE,
    MSG_PDF_ENCRYPTED,
    MSG_TEXT_ENCODING,
    MSG_TOO_LARGE,
    MSG_TYPE_NOT_ALLOWED,
)


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


def xml_declares_dtd(xml: bytes) -> bool:
    """True when an XML part declares a document type or an entity. Office never writes either, so a part
    that does is refused before any parser sees it (entity expansion, "billion laughs")."""
    upper = xml.upper()
    return b"<!DOCTYPE" in upper or b"<!ENTITY" in upper


def ooxml_declares_dtd(data: bytes) -> bool:
    """True when any XML part (`*.xml`, `*.rels`) of an Office Open XML zip declares a DTD or an entity."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return any(
            xml_declares_dtd(archive.read(info))
            for info in archive.infolist()
            if info.filename.lower().endswith((".xml", ".rels"))
        )


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
        objects: list[Any] = [reader.trailer]
        for num, gen in refs:
            obj = reader.get_object(IndirectObject(num, gen, reader))
            if obj is not None:
                objects.append(obj)
        # Walk each object's direct children too (an annotation's /A action is usually inline);
        # indirect references are not followed here because every indirect object is in the list.
        stack = objects
        children: Iterable[Any]
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
        img: Image.Image
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
