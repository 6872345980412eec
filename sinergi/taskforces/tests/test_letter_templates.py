"""The office's own Word templates: validated on upload (nothing saved when refused), versioned, used for
the DOCX copies, back to the committed default; page and API, secretariat only."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document as WordDocument

from sinergi.audit.models import AuditEvent
from sinergi.documents.models import Document
from sinergi.taskforces import services
from sinergi.taskforces.models import LetterTemplate
from sinergi.taskforces.services.templates import DEFAULTS

PAGE = reverse("taskforces:letter_templates")
API = "/api/v1/taskforces/templates/"


def _docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in WordDocument(io.BytesIO(data)).paragraphs)


def _template(extra: str, base: str = "undangan.docx") -> bytes:
    """The default template with one more paragraph, as the office would edit it in Word."""
    doc = WordDocument(str(DEFAULTS / base))
    doc.add_paragraph(extra)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _rezip(data: bytes, *, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, (replace or {}).get(info.filename, src.read(info)))
        for name, content in (add or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


def _upload(data: bytes, name: str = "undangan-kantor.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def _issued(world):
    return services.invitation_issue(actor=world.secretariat, meeting=world.meeting)


def test_a_broken_template_is_a_clear_400_with_the_error_and_nothing_is_saved(world, client_for):
    client = client_for(world.secretariat)
    good = _template("x")
    document_xml = zipfile.ZipFile(io.BytesIO(good)).read("word/document.xml")
    cases = {
        "syntax": (_template("Nomor {{ number "), "Templat tidak dapat diisi"),
        "unknown field": (_template("{{ nomor_yang_tidak_ada }}"), "nomor_yang_tidak_ada"),
        "dtd": (
            _rezip(
                good,
                replace={
                    "word/document.xml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>' + document_xml[38:]
                },
            ),
            "DTD",
        ),
        "macro": (_rezip(good, add={"word/vbaProject.bin": b"\x00" * 64}), "makro"),
        "not docx": (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "Word"),
    }
    documents = Document.objects.count()
    for label, (data, message) in cases.items():
        response = client.post(PAGE, {"kind": "undangan", "file": _upload(data)})
        assert response.status_code == 400, label
        assert message in response.content.decode(), label
        api = client.post(API, {"kind": "undangan", "file": _upload(data)})
        assert api.status_code == 400, label
        assert "file" in api.json()["error"]["details"], label
    assert not LetterTemplate.objects.exists()
    assert Document.objects.count() == documents
    # The letters still come from the committed default.
    assert "Mengingat pentingnya acara tersebut" in _docx_text(services.invitation_docx(meeting=_issued(world)))


def test_the_office_uploads_versions_that_the_docx_copies_use_until_it_goes_back_to_the_default(world, client_for):
    client = client_for(world.secretariat)
    meeting = _issued(world)
    assert PAGE in client.get(reverse("taskforces:home")).content.decode()
    response = client.post(PAGE, {"kind": "undangan", "file": _upload(_template("KOP KHUSUS v1 {{ number }}"))})
    assert response.status_code == 302
    text = _docx_text(services.invitation_docx(meeting=meeting))
    assert f"KOP KHUSUS v1 {meeting.letter_number}" in text
    # Typed text is still escaped in the office's template.
    assert "Rakor Perlindungan Anak" in text
    response = client.post(API, {"kind": "undangan", "file": _upload(_template("KOP KHUSUS v2"))})
    assert (response.status_code, response.json()["version"]) == (201, 2)
    assert "KOP KHUSUS v2" in _docx_text(client.get(reverse("taskforces:invitation_docx", args=[meeting.pk])).content)
    # The minutes template is separate: still the default.
    assert "KOP KHUSUS" not in _docx_text(services.minutes_docx(meeting=meeting))
    download = client.get(reverse("taskforces:letter_template_download", args=["undangan"]))
    assert "KOP KHUSUS v2" in _docx_text(download.content)
    listing = client.get(API).json()
    undangan = next(r for r in listing if r["kind"] == "undangan")
    assert (undangan["current_version"], [v["version"] for v in undangan["versions"]]) == (2, [2, 1])
    assert "Versi 2" in client.get(PAGE).content.decode()

    # Back to the default: versions kept (retired), the committed template is used again.
    response = client.post(f"{API}undangan/reset/")
    assert (response.status_code, response.json()["current_version"]) == (200, None)
    assert all(v["retired"] for v in response.json()["versions"])
    text = _docx_text(services.invitation_docx(meeting=meeting))
    assert "KOP KHUSUS" not in text
    assert meeting.letter_number in text
    actions = set(AuditEvent.objects.filter(action__startswith="taskforce.template_").values_list("action", flat=True))
    assert actions == {"taskforce.template_uploaded", "taskforce.template_reset"}
    # A new upload after the reset is version 3.
    client.post(PAGE, {"kind": "undangan", "file": _upload(_template("KOP KHUSUS v3"))})
    assert LetterTemplate.objects.get(retired_at__isnull=True).version == 3
    assert client.post(reverse("taskforces:letter_template_reset", args=["undangan"])).status_code == 302
    assert not LetterTemplate.objects.filter(retired_at__isnull=True).exists()


def test_only_the_secretariat_manages_templates_and_each_regency_has_its_own(world, client_for):
    data = _template("KOP PASER")
    for persona in (world.owner_staff, world.analyst, world.head):
        client = client_for(persona)
        assert client.get(PAGE).status_code == 403
        assert client.post(PAGE, {"kind": "undangan", "file": _upload(data)}).status_code == 403
        assert client.post(API, {"kind": "undangan", "file": _upload(data)}).status_code == 403
        assert client.post(f"{API}undangan/reset/").status_code == 403
    assert not LetterTemplate.objects.exists()
    # Another regency's secretariat uploads for its own regency only.
    assert (
        client_for(world.other_secretariat).post(PAGE, {"kind": "undangan", "file": _upload(data)}).status_code == 302
    )
    assert LetterTemplate.objects.get().tenant_id == world.other_tenant.pk
    assert "KOP PASER" not in _docx_text(services.invitation_docx(meeting=_issued(world)))
    template = LetterTemplate.objects.get()
    assert (
        client_for(world.secretariat).get(reverse("documents:download", args=[template.document_id])).status_code == 404
    )
    assert client_for(world.secretariat).post(f"{API}surat/reset/").status_code == 404
