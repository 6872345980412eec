"""A refused POST shows the same page again with the errors, status 400, and writes nothing (real HTTP)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sinergi.kla.models import Assignment, Deadline, RadActivity, Regulation, Review, ReviewStatus, SelfAssessment
from sinergi.kla.services import workspace as s
from sinergi.tenants.tests.factories import AgencyFactory

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def _body(response) -> str:
    return response.content.decode()


def test_a_revision_without_comment_is_shown_on_its_item_and_not_saved(kla, item, client_for):
    page = client_for(kla.secretariat).post(
        reverse("kla:evidence_review", args=[item.pk]), {"decision": ReviewStatus.REVISION, "comment": "  "}
    )
    assert page.status_code == 400
    body = _body(page)
    article = body.split(f'id="item-{item.pk}"', 1)[1].split("</article>", 1)[0]
    assert 'id="review-errors"' in article
    assert "Tuliskan apa yang harus diperbaiki." in article
    assert not Review.objects.filter(item=item).exists()
    item.refresh_from_db()
    assert item.status == ReviewStatus.SUBMITTED


def test_an_unknown_decision_is_refused(kla, item, client_for):
    page = client_for(kla.secretariat).post(reverse("kla:evidence_review", args=[item.pk]), {"decision": "deleted"})
    assert page.status_code == 400
    assert 'id="review-errors"' in _body(page)
    assert not Review.objects.filter(item=item).exists()


def test_a_replacement_that_is_not_a_document_keeps_the_old_file(kla, item, client_for):
    s.evidence_review(actor=kla.secretariat, item=item, decision=ReviewStatus.REVISION, comment="Tanda tangan")
    old = item.document
    officer = client_for(kla.dinsos_officer)
    url = reverse("kla:evidence_replace", args=[item.pk])
    for data in ({}, {"file": SimpleUploadedFile("x.pdf", b"MZ" + b"\x00" * 200)}):
        page = officer.post(url, data)
        assert page.status_code == 400
        assert 'id="replace-errors"' in _body(page)
    item.refresh_from_db()
    old.refresh_from_db()
    assert item.document_id == old.pk
    assert old.deleted_at is None
    assert item.status == ReviewStatus.REVISION


def test_self_assessment_above_the_maximum_is_refused(kla, client_for):
    url = reverse("kla:self_assessment", args=[kla.ind1.pk])
    page = client_for(kla.secretariat).post(url, {"points": kla.ind1.points + 1})
    assert page.status_code == 400
    assert "Nilai harus antara 0 dan nilai maksimum indikator." in _body(page)
    page = client_for(kla.secretariat).post(url, {"points": "banyak"})
    assert page.status_code == 400
    assert not SelfAssessment.objects.filter(indicator=kla.ind1).exists()


def test_an_activity_without_title_or_with_a_negative_budget_is_refused(kla, client_for):
    url = reverse("kla:activity_create", args=[kla.ind1.pk])
    base = {"title": "Sosialisasi", "agency": kla.w.dinsos.pk, "activity_year": YEAR, "status": "planned"}
    theirs = AgencyFactory(tenant=kla.w.other_tenant, name="Dinsos Paser", short_name="DinsosP")
    for bad in ({"title": ""}, {"budget": -5}, {"agency": theirs.pk}):
        page = client_for(kla.secretariat).post(url, base | bad)
        assert page.status_code == 400, bad
        assert "errorlist" in _body(page)
    assert not RadActivity.objects.exists()
    assert client_for(kla.secretariat).post(url, base).status_code == 302
    assert RadActivity.objects.count() == 1


def test_a_deadline_with_a_bad_date_is_shown_again(kla, client_for):
    page = client_for(kla.secretariat).post(
        reverse("kla:deadline_set"), {"year": YEAR, "kind": "collection", "due_on": "31-31-2026"}
    )
    assert page.status_code == 400
    assert "errorlist" in _body(page)
    assert not Deadline.objects.exists()


def test_a_regulation_without_number_is_shown_again(kla, client_for):
    page = client_for(kla.secretariat).post(
        reverse("kla:regulations"),
        {"kind": "perda", "title": "Perda KLA", "number": "", "issued_on": "2024-02-01", "issuer": "Bupati"},
    )
    assert page.status_code == 400
    assert "errorlist" in _body(page)
    assert not Regulation.objects.exists()


def test_an_assignment_without_agency_is_shown_again(kla, client_for):
    before = Assignment.objects.count()
    page = client_for(kla.secretariat).post(
        reverse("kla:assignments"), {"year": YEAR, "indicators": [str(kla.ind4.pk)], "agencies": []}
    )
    assert page.status_code == 400
    assert "errorlist" in _body(page)
    assert Assignment.objects.count() == before
