"""The case summary PDF: what each persona's PDF holds, and a renderer that never leaves the machine."""

import json
import urllib.request
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from sinergi.audit.models import AuditEvent
from sinergi.cases import pdf
from sinergi.cases import taxonomy as t

from .factories import PersonInputFactory, make_case
from .reports_support import *  # noqa: F403  (fixtures)
from .reports_support import CHRONOLOGY_A, IDENTITY_STRINGS, pdf_text, squash

pytestmark = pytest.mark.django_db


def summary_url(case) -> str:
    return reverse("cases:summary_pdf", args=[case.pk])


def test_case_manager_pdf_holds_identity_and_is_audited(world, client_for):
    case = world["cases"]["a"]
    response = client_for(world["users"]["cm"]).get(summary_url(case))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="summary-PPA-6402-2025-00001-')
    assert response["Cache-Control"] == "no-store"
    text = pdf_text(response.content)
    assert squash(case.number) in text
    for value in ("Anindya Puspitasari", "6402015103150002", CHRONOLOGY_A, "Bramantyo Ayah"):
        assert squash(value) in text
    event = AuditEvent.objects.get(action="case.summary_exported")
    assert event.actor == world["users"]["cm"]
    assert {"victim.full_name", "victim.nik", "perpetrator.full_name", "reporter.full_name"} <= set(event.fields)
    dumped = json.dumps([event.fields, event.extra], ensure_ascii=False)
    assert not [value for value in IDENTITY_STRINGS if value in dumped]


def test_schooling_agency_pdf_has_no_name_and_no_chronology(world, client_for):
    case = world["cases"]["a"]
    response = client_for(world["users"]["disdik"]).get(summary_url(case))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert squash(case.number) in text
    for value in ("Anindya", "Puspitasari", "6402015103150002", CHRONOLOGY_A, "dipukul", "Bramantyo", "Pelapor"):
        assert squash(value) not in text
    # Its field set is there, masked: the child's name shape and the school, but no other agency's referral.
    assert squash("A••• P•••") in text
    assert "RSUD" not in text
    assert "Dinsos" not in text
    event = AuditEvent.objects.get(action="case.summary_exported")
    assert event.fields == []


def test_medical_agency_pdf_has_the_chronology_but_masked_identity(world, client_for):
    text = pdf_text(client_for(world["users"]["rsud"]).get(summary_url(world["cases"]["a"])).content)
    assert squash(CHRONOLOGY_A) in text
    assert squash("Anindya") not in text


def test_abh_case_pdf_never_prints_the_childs_identity(world, client_for, tenant):
    cm = world["users"]["cm"]
    case = make_case(
        cm,
        tenant,
        category=t.Category.ABH,
        people=[PersonInputFactory(full_name="Satria Mahardika", age=14, birth_date=None)],
    )
    text = pdf_text(client_for(cm).get(summary_url(case)).content)
    assert squash("Satria") not in text
    assert squash("UU SPPA") in text


def test_pdf_persona_refusals(world, client_for):
    case = world["cases"]["a"]
    users = world["users"]
    # Not visible: 404 (no referral, declined referral, no case access, another regency).
    for key in ("shelter", "police", "analyst", "other_head", "other_cm"):
        assert client_for(users[key]).get(summary_url(case)).status_code == 404, key
    assert client_for(users["cm"]).get(reverse("cases:summary_pdf", args=[uuid.uuid4()])).status_code == 404
    # Visible but not allowed: the Satgas volunteer who reported case C sees its stage only.
    assert client_for(users["satgas"]).get(summary_url(world["cases"]["c"])).status_code == 403
    assert not AuditEvent.objects.filter(action="case.summary_exported").exists()


def test_pdf_service_refuses_without_permission(world):
    with pytest.raises(PermissionDenied):
        pdf.case_summary_pdf(user=world["users"]["analyst"], case=world["cases"]["a"])


# ---- the PDF renderer never leaves the machine ------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "https://example.com/style.css",
        "file:///etc/passwd",
        "data:text/css,body{}",
        "https://sinergi.invalid/media/secret.pdf",
        "https://sinergi.invalid/static/../../../etc/passwd",
        "https://sinergi.invalid/static/%2e%2e/%2e%2e/etc/passwd",
        "https://sinergi.invalid/static/does-not-exist.css",
    ],
)
def test_url_fetcher_refuses_anything_but_our_static_files(url):
    with pytest.raises(ValueError, match=r"refused|not found"):
        pdf.StaticOnlyURLFetcher().fetch(url)


def test_url_fetcher_serves_static_files_from_disk():
    response = pdf.StaticOnlyURLFetcher().fetch("https://sinergi.invalid/static/css/sinergi.css")
    assert response.content_type == "text/css"
    assert b"--pico-primary" in response.read()


def test_rendering_makes_no_network_request(monkeypatch):
    opened = []
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", lambda self, *a, **kw: opened.append(a))
    html = (
        '<link rel="stylesheet" href="https://example.com/x.css">'
        '<img src="http://127.0.0.1:9/tracker.png"><img src="/static/img/favicon.svg"><p>Halo</p>'
    )
    data = pdf.render_pdf(html)
    assert data.startswith(b"%PDF")
    assert opened == []
