"""The checker page: wiring, personas, highlighting, accept suggestion, uploads, htmx partial."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sinergi.audit.models import AuditEvent
from sinergi.publications.models import PpraCheck

from .conftest import BREACHING, COMPLIANT

pytestmark = pytest.mark.django_db
URL = "/publications/"


def test_communications_officer_sees_findings_highlighted(humas, client_for):
    response = client_for(humas).post(URL, {"text": BREACHING})
    assert response.status_code == 200
    body = response.content.decode()
    assert '<mark class="ppra-block"' in body
    assert "Melati Kusumawardani</a><sup>1</sup>" in body
    assert "ayah tirinya</a><sup>8</sup>" in body
    assert 'data-point="8"' in body
    assert not PpraCheck.objects.exists()  # nothing stored unless asked


def test_analyst_may_not_use_the_checker(analyst, client_for):
    assert client_for(analyst).get(URL).status_code == 403
    assert client_for(analyst).post(URL, {"text": BREACHING}).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_accepting_a_suggestion_replaces_the_text_and_rechecks(humas, client_for):
    client = client_for(humas)
    first = client.post(URL, {"text": BREACHING})
    body = first.content.decode()
    assert "Accept suggestion" in body or "Terima saran" in body
    # Finding 0 is the first in the text: the child's name, replaced by her initials.
    response = client.post(URL, {"text": BREACHING, "accept": "0"})
    body = response.content.decode()
    assert "Melati Kusumawardani" not in body
    assert "bernama MK (14)" in body


def test_keep_stores_the_check_with_an_audit_event(humas, client_for):
    client_for(humas).post(URL, {"text": BREACHING, "keep": "on"})
    check = PpraCheck.objects.get()
    assert (check.verdict, check.tenant_id, check.created_by_id) == ("block", humas.tenant_id, humas.pk)
    assert AuditEvent.objects.filter(action="ppra.check_stored", object_id=str(check.pk)).exists()


def test_compliant_text_gets_no_highlight(humas, client_for):
    body = client_for(humas).post(URL, {"text": COMPLIANT}).content.decode()
    assert "<mark" not in body


def test_empty_input_is_a_clear_error_and_nothing_is_stored(humas, client_for):
    response = client_for(humas).post(URL, {"text": "   ", "keep": "on"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not PpraCheck.objects.exists()


def _docx(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


def test_docx_upload_is_checked(humas, client_for):
    upload = SimpleUploadedFile("rilis.docx", _docx(BREACHING))
    body = client_for(humas).post(URL, {"file": upload}).content.decode()
    assert "Melati Kusumawardani</a><sup>1</sup>" in body


def test_txt_upload_is_checked(humas, client_for):
    upload = SimpleUploadedFile("rilis.txt", BREACHING.encode())
    assert "<sup>8</sup>" in client_for(humas).post(URL, {"file": upload}).content.decode()


def test_a_docx_with_a_dtd_is_refused(humas, client_for):
    evil = io.BytesIO()
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("word/document.xml", '<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')
    response = client_for(humas).post(URL, {"file": SimpleUploadedFile("x.docx", evil.getvalue())})
    assert response.status_code == 200
    # The refusal is a field error (on the text), under the id its aria-describedby names.
    body = response.content.decode()
    assert 'id="id_text_error"' in body
    assert 'aria-describedby="id_text_helptext id_text_error"' in body


def test_htmx_gets_the_checker_partial_only(humas, client_for):
    response = client_for(humas).post(URL, {"text": BREACHING}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="checker">')
    assert "<html" not in body


def test_dashboard_shows_the_checker_card_to_its_users(humas, analyst, client_for):
    assert "/publications/" in client_for(humas).get("/").content.decode()
    assert 'id="widget-ppra"' not in client_for(analyst).get("/").content.decode()
