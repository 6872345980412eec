"""Small valid (and hostile) files built in memory, and a helper that stores one through the service."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from sinergi.documents import services
from sinergi.documents.models import Document

MINIMAL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 200
HTML_BYTES = b"<!DOCTYPE html><html><head><title>x</title></head><body><script>alert(1)</script></body></html>"
GPS_LATITUDE = (0.0, 30.0, 15.0)
SECRET_MARK = b"SECRET-METADATA-MARK"


def exif_with_gps(*, orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "S", 2: GPS_LATITUDE, 3: "E", 4: (117.0, 9.0, 0.0)}  # GPSInfo
    return exif


def jpeg_with_gps(*, size: tuple[int, int] = (40, 20), orientation: int = 6) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(
        out,
        "JPEG",
        exif=exif_with_gps(orientation=orientation).tobytes(),
        comment=SECRET_MARK,
        xmp=b"<x:xmpmeta>" + SECRET_MARK + b"</x:xmpmeta>",
    )
    return out.getvalue()


def png_with_gps(*, size: tuple[int, int] = (30, 10)) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SECRET_MARK.decode())
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>" + SECRET_MARK.decode() + "</x:xmpmeta>")
    out = io.BytesIO()
    Image.new("RGBA", size, (10, 200, 10, 128)).save(out, "PNG", exif=exif_with_gps().tobytes(), pnginfo=info)
    return out.getvalue()


def plain_png(*, size: tuple[int, int] = (8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "blue").save(out, "PNG")
    return out.getvalue()


_DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="{main}"/></Types>'
)
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"


def docx_bytes(*, main_type: str = DOCX_MAIN, first: str = "[Content_Types].xml", extra: dict | None = None) -> bytes:
    parts = {
        "[Content_Types].xml": _DOCX_TYPES.format(main=main_type),
        "_rels/.rels": "<Relationships/>",
        "word/document.xml": "<w:document><w:body><w:p>Laporan</w:p></w:body></w:document>",
        **(extra or {}),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in [first, *(n for n in parts if n != first)]:
            archive.writestr(name, parts[name])
    return out.getvalue()


def upload(data: bytes, name: str = "laporan.pdf", content_type: str = "application/pdf") -> SimpleUploadedFile:
    # The client's content type is deliberately whatever the test says: the service must ignore it.
    return SimpleUploadedFile(name, data, content_type=content_type)


def store_document(*, actor, owner, data: bytes = MINIMAL_PDF, name: str = "laporan.pdf", **kwargs) -> Document:
    kwargs.setdefault("kind", "police_report")
    kwargs.setdefault("title", "Laporan polisi Siti Aminah")
    kwargs.setdefault("tenant", getattr(owner, "tenant", owner))
    return services.document_store(actor=actor, owner=owner, uploaded_file=upload(data, name), **kwargs)
