"""What may be linked as KLA evidence: meeting and agreement documents only, never a case document, even
when the actor (the office head) may open it: a link would hand the file to the task-force secretariat
and into the national evidence package."""

import pytest
from django.urls import reverse

from sinergi.cases import services as case_services
from sinergi.cases.tests.factories import make_case
from sinergi.documents.models import Document
from sinergi.kla.models import EvidenceItem

from .conftest import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_document(kla):
    case = make_case(kla.head, kla.w.tenant)
    return case_services.case_document_add(
        actor=kla.head, case=case, kind="police_report", uploaded_file=pdf("lp.pdf"), title="Laporan polisi"
    )


def test_the_office_head_cannot_link_a_case_document_as_evidence_through_the_api(kla, case_document, client_for):
    head = client_for(kla.head)
    assert head.get(reverse("documents:download", args=[case_document.pk])).status_code == 200  # it may open it
    r = head.post(
        reverse("kla_api:evidence"),
        {"indicator_id": str(kla.ind1.pk), "evidence_type": "uang", "document_id": str(case_document.pk)},
        content_type="application/json",
    )
    assert r.status_code == 400, r.content
    assert not EvidenceItem.objects.exists()
    assert Document.objects.filter(linked_from=case_document).count() == 0


def test_a_meeting_document_is_still_linked_through_the_api(kla, client_for):
    r = client_for(kla.head).post(
        reverse("kla_api:evidence"),
        {"indicator_id": str(kla.ind1.pk), "evidence_type": "uang", "document_id": str(kla.minutes.pk)},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["is_linked"] is True
