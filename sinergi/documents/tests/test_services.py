import hashlib
import io
import os
import time
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.utils import timezone
from PIL import Image

from sinergi.audit.models import AuditEvent
from sinergi.documents import services
from sinergi.documents.models import Document
from sinergi.tenants.tests.factories import AgencyFactory

from .factories import (
    DOCM_MAIN,
    EXE_BYTES,
    HTML_BYTES,
    MINIMAL_PDF,
    SECRET_MARK,
    docx_bytes,
    jpeg_with_gps,
    plain_png,
    png_with_gps,
    store_document,
    upload,
)

pytestmark = pytest.mark.django_db


def blob_files(settings) -> list:
    root = settings.SINERGI_PRIVATE_STORAGE
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def error_code(excinfo) -> str:
    return excinfo.value.error_list[0].code


class TestDocumentStore:
    def test_it_stores_a_pdf_encrypted_with_its_metadata(self, uploader, owner, settings):
        document = store_document(actor=uploader, owner=owner, title="Laporan polisi Siti Aminah")

        document.refresh_from_db()
        assert document.mime == "application/pdf"
        assert document.size == len(MINIMAL_PDF)
        assert document.sha256 == hashlib.sha256(MINIMAL_PDF).hexdigest()
        assert document.title == "Laporan polisi Siti Aminah"
        assert document.original_name == "laporan.pdf"
        assert document.owner == owner
        assert document.tenant == owner.tenant
        assert document.created_by == uploader
        assert services.document_read(actor=uploader, document=document) == MINIMAL_PDF

    def test_the_blob_on_disk_is_not_the_plaintext(self, uploader, owner, settings):
        document = store_document(actor=uploader, owner=owner)

        [path] = blob_files(settings)
        assert path == document.blob_path
        assert path.parent.name == document.blob_name[:2]
        stored = path.read_bytes()
        assert not stored.startswith(b"%PDF")
        assert b"/Catalog" not in stored
        assert "laporan" not in path.name

    def test_it_audits_the_upload_without_title_or_name(self, uploader, owner):
        document = store_document(actor=uploader, owner=owner, title="Visum Siti Aminah")

        event = AuditEvent.objects.get(action="document.uploaded")
        assert event.object_id == str(document.pk)
        assert event.tenant_id == owner.tenant_id
        assert event.actor == uploader
        assert event.extra["kind"] == "police_report"
        assert event.extra["mime"] == "application/pdf"
        assert event.extra["size"] == len(MINIMAL_PDF)
        serialized = str(event.extra) + str(event.fields)
        assert "Siti" not in serialized
        assert "laporan" not in serialized

    def test_it_defaults_the_title_to_the_file_name(self, uploader, owner):
        document = store_document(actor=uploader, owner=owner, title="", name="BAP korban.pdf")
        assert document.title == "BAP korban"

    def test_it_ignores_a_misleading_extension_and_uses_the_sniffed_type(self, uploader, owner):
        document = store_document(actor=uploader, owner=owner, data=plain_png(), name="scan.pdf")
        assert document.mime == "image/png"
        assert document.original_name == "scan.png"

    def test_it_strips_exif_gps_xmp_and_comments_from_a_jpeg(self, uploader, owner):
        document = store_document(actor=uploader, owner=owner, data=jpeg_with_gps(size=(40, 20)), name="foto.jpg")

        data = services.document_read(actor=uploader, document=document)
        assert SECRET_MARK not in data
        assert b"PhoneMaker" not in data
        with Image.open(io.BytesIO(data)) as img:
            assert img.format == "JPEG"
            assert dict(img.getexif()) == {}
            assert not {"exif", "xmp", "comment"} & set(img.info)
            # Orientation 6 (rotate 90°) was applied to the pixels before the tag was dropped.
            assert img.size == (20, 40)
        assert document.mime == "image/jpeg"
        assert document.size == len(data)
        assert document.sha256 == hashlib.sha256(data).hexdigest()

    def test_it_strips_exif_and_text_chunks_from_a_png(self, uploader, owner):
        document = store_document(actor=uploader, owner=owner, data=png_with_gps(), name="foto.png")

        data = services.document_read(actor=uploader, document=document)
        assert SECRET_MARK not in data
        with Image.open(io.BytesIO(data)) as img:
            assert img.format == "PNG"
            assert dict(img.getexif()) == {}
            assert img.info == {} or set(img.info) <= {"dpi", "gamma"}
            assert img.mode == "RGBA"

    @pytest.mark.parametrize(
        ("data", "name"),
        [
            (EXE_BYTES, "laporan.pdf"),
            (HTML_BYTES, "laporan.pdf"),
            (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "foto.png"),
            (b"\x00\x01\x02\x03\xfe\xff binary junk", "catatan.docx"),
        ],
        ids=["exe", "html", "gif", "binary"],
    )
    def test_it_refuses_types_outside_the_allowlist(self, uploader, owner, settings, data, name):
        with pytest.raises(ValidationError) as excinfo:
            store_document(actor=uploader, owner=owner, data=data, name=name)
        assert error_code(excinfo) == "type_not_allowed"
        assert not Document.objects.exists()
        assert blob_files(settings) == []

    def test_it_refuses_an_oversized_file(self, uploader, owner, settings):
        settings.SINERGI_UPLOAD_MAX_BYTES = 100
        with pytest.raises(ValidationError) as excinfo:
            store_document(actor=uploader, owner=owner, data=MINIMAL_PDF + b"\n" * 100)
        assert error_code(excinfo) == "too_large"
        assert not Document.objects.exists()

    def test_it_counts_the_bytes_read_not_the_declared_size(self, uploader, owner, settings):
        settings.SINERGI_UPLOAD_MAX_BYTES = 100

        class LyingFile(File):
            size = 10

        stream = LyingFile(io.BytesIO(MINIMAL_PDF + b"\n" * 100), name="laporan.pdf")
        with pytest.raises(ValidationError) as excinfo:
            services.document_store(
                actor=uploader, tenant=owner.tenant, owner=owner, kind="minutes", uploaded_file=stream
            )
        assert error_code(excinfo) == "too_large"

    def test_it_accepts_a_file_exactly_at_the_limit(self, uploader, owner, settings):
        settings.SINERGI_UPLOAD_MAX_BYTES = len(MINIMAL_PDF)
        assert store_document(actor=uploader, owner=owner).size == len(MINIMAL_PDF)

    def test_it_refuses_an_empty_file(self, uploader, owner):
        with pytest.raises(ValidationError) as excinfo:
            store_document(actor=uploader, owner=owner, data=b"")
        assert error_code(excinfo) == "empty"

    def test_it_refuses_a_corrupt_image_cleanly(self, uploader, owner, settings):
        truncated = plain_png(size=(64, 64))[:60]
        with pytest.raises(ValidationError) as excinfo:
            store_document(actor=uploader, owner=owner, data=truncated, name="foto.png")
        assert error_code(excinfo) == "corrupt_image"
        assert blob_files(settings) == []

    def test_it_refuses_a_decompression_bomb(self, uploader, owner, monkeypatch):
        monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
        with pytest.raises(ValidationError) as excinfo:
            store_document(actor=uploader, owner=owner, data=plain_png(size=(100, 100)), name="bom.png")
        assert error_code(excinfo) == "corrupt_image"

    @pytest.mark.parametrize("first", ["[Content_Types].xml", "_rels/.rels"], ids=["docx-magic", "zip-magic"])
    def test_it_accepts_a_docx_whatever_libmagic_calls_it(self, uploader, owner, first):
        data = docx_bytes(first=first)
        document = store_document(actor=uploader, owner=owner, data=data, name="notulen.docx")
        assert document.mime == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        assert services.document_read(actor=uploader, document=document) == data

    @pytest.mark.parametrize(
        "data",
        [
            docx_bytes(extra={"word/vbaProject.bin": "macro"}),
            docx_bytes(main_type=DOCM_MAIN),
            docx_bytes(extra={"word/activeX/activeX1.xml": "<ax/>"}),
        ],
        ids=["vba-project", "macro-enabled-type", "activex"],
    )
    def test_it_refuses_macro_enabled_word_files(self, uploader, owner, data):
        with pytest.raises(ValidationError) as excinfo:
            store_document(actor=uploader, owner=owner, data=data, name="notulen.docx")
        assert error_code(excinfo) == "macro"

    def test_it_refuses_a_zip_that_is_not_a_word_document(self, uploader, owner):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("xl/workbook.xml", "<workbook/>")
        with pytest.raises(ValidationError) as excinfo:
            store_document(actor=uploader, owner=owner, data=out.getvalue(), name="data.docx")
        assert error_code(excinfo) == "type_not_allowed"

    def test_it_refuses_an_owner_from_another_tenant(self, uploader, other_tenant, tenant):
        foreign_owner = AgencyFactory(tenant=other_tenant)
        with pytest.raises(ValidationError) as excinfo:
            services.document_store(
                actor=uploader,
                tenant=tenant,
                owner=foreign_owner,
                kind="visum",
                uploaded_file=upload(MINIMAL_PDF),
            )
        assert error_code(excinfo) == "owner_tenant"

    def test_it_refuses_a_kind_that_is_not_a_slug(self, uploader, owner):
        with pytest.raises(ValidationError):
            store_document(actor=uploader, owner=owner, kind="../etc")

    def test_a_failed_transaction_leaves_no_blob_behind(self, uploader, owner, settings, monkeypatch):
        def broken_record(**kwargs):
            raise RuntimeError("audit down")

        monkeypatch.setattr(services.audit, "record", broken_record)
        with pytest.raises(RuntimeError):
            store_document(actor=uploader, owner=owner)
        assert not Document.objects.exists()
        assert blob_files(settings) == []


class TestDocumentDelete:
    def test_it_soft_deletes_and_audits(self, uploader, document):
        services.document_delete(actor=uploader, document=document)

        document.refresh_from_db()
        assert document.deleted_at is not None
        assert document.blob_path.exists()  # removed later by the purge
        event = AuditEvent.objects.get(action="document.deleted")
        assert event.object_id == str(document.pk)

    def test_a_deleted_document_cannot_be_read(self, uploader, document):
        services.document_delete(actor=uploader, document=document)
        with pytest.raises(Document.DoesNotExist):
            services.document_read(actor=uploader, document=document)


class TestDocumentBlobsPurge:
    def test_it_removes_blobs_of_long_deleted_documents_and_old_orphans_only(self, uploader, owner, settings):
        live = store_document(actor=uploader, owner=owner)
        recently_deleted = store_document(actor=uploader, owner=owner)
        long_deleted = store_document(actor=uploader, owner=owner)
        services.document_delete(actor=uploader, document=recently_deleted)
        Document.objects.filter(pk=long_deleted.pk).update(deleted_at=timezone.now() - timedelta(days=31))
        old_orphan = settings.SINERGI_PRIVATE_STORAGE / "ab" / "ab-orphan"
        fresh_orphan = settings.SINERGI_PRIVATE_STORAGE / "ab" / "ab-fresh"
        old_orphan.parent.mkdir(parents=True, exist_ok=True)
        old_orphan.write_bytes(b"x")
        fresh_orphan.write_bytes(b"x")
        two_days_ago = time.time() - 2 * 86400
        os.utime(old_orphan, (two_days_ago, two_days_ago))
        os.utime(live.blob_path, (two_days_ago, two_days_ago))

        counts = services.document_blobs_purge()

        assert counts == {"deleted": 1, "orphans": 1}
        assert live.blob_path.exists()
        assert recently_deleted.blob_path.exists()
        assert not long_deleted.blob_path.exists()
        assert not old_orphan.exists()
        assert fresh_orphan.exists()


class TestSafeFilename:
    @pytest.mark.parametrize(
        ("name", "mime", "expected"),
        [
            ("../../etc/passwd.pdf", "application/pdf", "passwd.pdf"),
            ("C:\\Users\\x\\visum.PDF", "application/pdf", "visum.pdf"),
            ("foto\r\nSet-Cookie: a=b.jpg", "image/jpeg", "foto__Set-Cookie: a=b.jpg"),
            ("report.exe", "application/pdf", "report.pdf"),
            ("", "image/png", "document.png"),
            ("....", "image/png", "document.png"),
            ("Laporan Ibu Ani.docx", services.MIME_DOCX, "Laporan Ibu Ani.docx"),
        ],
    )
    def test_it_keeps_only_a_harmless_name_with_the_real_extension(self, name, mime, expected):
        assert services.safe_filename(name, mime=mime) == expected


def test_a_truncated_image_is_refused_even_after_weasyprint_relaxed_pillow(monkeypatch):
    """WeasyPrint turns on ImageFile.LOAD_TRUNCATED_IMAGES process-wide; evidence must stay strict."""
    from PIL import ImageFile

    from sinergi.documents.services import _strip_image
    from sinergi.documents.tests.factories import plain_png

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with pytest.raises(ValidationError):
        _strip_image(plain_png(size=(64, 64))[:60], mime="image/png")
