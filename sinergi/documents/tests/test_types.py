"""Types decided by content: spreadsheets, OpenDocument, plain text, and PDFs that cannot act."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from sinergi.documents import services
from sinergi.documents.models import Document

from .factories import MINIMAL_PDF, docx_bytes, store_document
from .test_services import blob_files, error_code

pytestmark = pytest.mark.django_db


def xlsx_bytes(*, keep_vba: bool = False) -> bytes:
    workbook = Workbook()
    workbook.active["A1"] = "Jumlah kasus"
    workbook.active["B1"] = 12
    out = io.BytesIO()
    workbook.save(out)
    if not keep_vba:
        return out.getvalue()
    # An .xlsm: the same workbook with a VBA project and the macro-enabled content type.
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    macro = io.BytesIO()
    with zipfile.ZipFile(macro, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info))
        archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 fake ole")
    return macro.getvalue()


def odf_bytes(
    mime: str = services.MIME_ODT, *, compress_mimetype: bool = False, extra: dict | None = None, first="mimetype"
) -> bytes:
    parts = {
        "mimetype": mime,
        "content.xml": '<?xml version="1.0"?><office:document-content/>',
        "META-INF/manifest.xml": '<?xml version="1.0"?><manifest:manifest/>',
        **(extra or {}),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in [first, *(n for n in parts if n != first)]:
            method = zipfile.ZIP_DEFLATED if name != "mimetype" or compress_mimetype else zipfile.ZIP_STORED
            archive.writestr(name, parts[name], compress_type=method)
    return out.getvalue()


def pdf_bytes(tweak=None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if tweak:
        tweak(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def js_action(code: str = "app.alert(1)") -> DictionaryObject:
    return DictionaryObject({NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(code)})


def add_document_js(writer: PdfWriter, code: str = "app.alert('x');") -> None:
    """Document-level JavaScript (the catalog's /Names /JavaScript tree), as pypdf 6's add_js wrote it."""
    tree = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("js0"), writer._add_object(js_action(code))])}
    )
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): writer._add_object(tree)})


class TestAcceptedByContent:
    @pytest.mark.parametrize(
        ("make", "name", "mime"),
        [
            (xlsx_bytes, "rekap.xlsx", services.MIME_XLSX),
            (lambda: odf_bytes(services.MIME_ODT), "notulen.odt", services.MIME_ODT),
            (lambda: odf_bytes(services.MIME_ODS), "rekap.ods", services.MIME_ODS),
            (lambda: "Catatan pendamping: anak tenang — sudah makan.\n".encode(), "catatan.txt", services.MIME_TXT),
            (lambda: docx_bytes(), "notulen.docx", services.MIME_DOCX),
            (pdf_bytes, "laporan.pdf", services.MIME_PDF),
        ],
        ids=["xlsx", "odt", "ods", "txt", "docx", "pdf"],
    )
    def test_it_stores_the_file_with_its_sniffed_type_and_extension(self, uploader, owner, make, name, mime):
        data = make()
        document = store_document(actor=uploader, owner=owner, data=data, name="upload.bin")
        assert document.mime == mime
        assert document.original_name == "upload" + services.EXTENSIONS[mime]
        assert services.document_read(actor=uploader, document=document) == data

    def test_the_minimal_pdf_and_a_pdf_opening_at_a_page_are_fine(self, uploader, owner):
        def open_at_first_page(writer):
            writer._root_object[NameObject("/OpenAction")] = ArrayObject(
                [writer.pages[0].indirect_reference, NameObject("/Fit")]
            )

        assert store_document(actor=uploader, owner=owner, data=MINIMAL_PDF).mime == services.MIME_PDF
        assert store_document(actor=uploader, owner=owner, data=pdf_bytes(open_at_first_page)).mime == "application/pdf"


class TestRefusedByContent:
    @pytest.mark.parametrize(
        ("data", "code"),
        [
            (xlsx_bytes(keep_vba=True), "macro"),
            (odf_bytes(extra={"Basic/Standard/Module1.xml": "<script:module/>"}), "macro"),
            (odf_bytes(extra={"Scripts/python/run.py": "import os"}), "macro"),
            (odf_bytes("application/vnd.oasis.opendocument.presentation"), "type_not_allowed"),
            (odf_bytes(compress_mimetype=True), "type_not_allowed"),
            (odf_bytes(first="content.xml"), "type_not_allowed"),
            ("Catatan dalam Latin-1: anak berusia dua belas tahun, caf\xe9\n".encode("latin-1"), "text_encoding"),
        ],
        ids=["xlsm", "odf-basic", "odf-scripts", "odp", "odf-compressed-mimetype", "odf-mimetype-not-first", "latin1"],
    )
    def test_it_refuses_macros_and_unreliable_containers(self, settings, uploader, owner, data, code):
        with pytest.raises(ValidationError) as excinfo:
            store_document(actor=uploader, owner=owner, data=data, name="file.bin")
        assert error_code(excinfo) == code
        assert not Document.objects.exists()
        assert blob_files(settings) == []

    @pytest.mark.parametrize(
        "tweak",
        [
            lambda w: w._root_object.__setitem__(NameObject("/OpenAction"), w._add_object(js_action())),
            add_document_js,
            lambda w: w.pages[0].__setitem__(
                NameObject("/AA"), DictionaryObject({NameObject("/O"): w._add_object(js_action())})
            ),
            lambda w: w.add_attachment("payload.exe", b"MZ evil"),
            lambda w: w._root_object.__setitem__(
                NameObject("/OpenAction"),
                w._add_object(
                    DictionaryObject(
                        {
                            NameObject("/S"): NameObject("/Launch"),
                            NameObject("/F"): TextStringObject("cmd.exe"),
                        }
                    )
                ),
            ),
            lambda w: w.pages[0].__setitem__(
                NameObject("/Annots"),
                ArrayObject(
                    [
                        w._add_object(
                            DictionaryObject(
                                {
                                    NameObject("/Type"): NameObject("/Annot"),
                                    NameObject("/Subtype"): NameObject("/Link"),
                                    NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4),
                                    NameObject("/A"): DictionaryObject(
                                        {
                                            NameObject("/S"): NameObject("/Launch"),
                                            NameObject("/F"): TextStringObject("calc.exe"),
                                        }
                                    ),
                                }
                            )
                        )
                    ]
                ),
            ),
        ],
        ids=["openaction-js", "document-js", "page-aa", "embedded-file", "openaction-launch", "link-launch"],
    )
    def test_it_refuses_a_pdf_that_can_act_with_a_clear_message(self, settings, uploader, owner, tweak):
        with pytest.raises(ValidationError) as excinfo:
            store_document(actor=uploader, owner=owner, data=pdf_bytes(tweak), name="laporan.pdf")
        assert error_code(excinfo) == "pdf_active"
        assert "scripts, automatic actions or embedded files" in excinfo.value.messages[0]
        assert blob_files(settings) == []

    def test_it_finds_javascript_behind_a_hex_escaped_name(self, uploader, owner):
        # "/#4A#53" is "/JS" to a PDF reader; a byte scan would miss it, the parser decodes it.
        data = pdf_bytes(add_document_js)
        escaped = data.replace(b"/JS ", b"/#4A#53 ", 1)
        assert escaped != data
        with pytest.raises(ValidationError) as excinfo:
            store_document(actor=uploader, owner=owner, data=escaped, name="laporan.pdf")
        assert error_code(excinfo) == "pdf_active"

    def test_it_refuses_a_password_protected_pdf(self, uploader, owner):
        def lock(writer):
            writer.encrypt(user_password="rahasia", owner_password="rahasia", algorithm="AES-128")

        with pytest.raises(ValidationError) as excinfo:
            store_document(actor=uploader, owner=owner, data=pdf_bytes(lock), name="laporan.pdf")
        assert error_code(excinfo) == "pdf_encrypted"

    @pytest.mark.parametrize(
        ("tail", "code"),
        [
            (b"1 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj\n", "pdf_active"),
            (b"1 0 obj<</OpenAction 2 0 R/#41A<<>>>>endobj\n", "pdf_active"),
            (b"1 0 obj<</Type/ObjStm/N 1/First 4>>stream\nxx\nendstream endobj\n", "corrupt_pdf"),
        ],
        ids=["javascript", "hex-escaped-aa", "object-stream"],
    )
    def test_a_pdf_the_parser_cannot_read_is_refused_when_its_bytes_could_hide_actions(
        self, uploader, owner, tail, code
    ):
        data = b"%PDF-1.4\n" + tail + b"trailer<<>>\n%%EOF\n"
        with pytest.raises(ValidationError) as excinfo:
            store_document(actor=uploader, owner=owner, data=data, name="x.pdf")
        assert error_code(excinfo) == code

    def test_a_damaged_pdf_without_any_action_is_still_accepted(self, uploader, owner):
        # Old scanners write files pypdf cannot read but viewers repair; nothing in them can act.
        data = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
        assert store_document(actor=uploader, owner=owner, data=data, name="x.pdf").mime == services.MIME_PDF
