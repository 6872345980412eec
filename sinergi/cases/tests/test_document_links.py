"""A document shared by two cases: each case's team sees it through its own case only."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from sinergi.accounts.roles import Role
from sinergi.cases import services
from sinergi.documents import services as document_services
from sinergi.documents.tests.factories import MINIMAL_PDF, upload

from .factories import make_case

pytestmark = pytest.mark.django_db
API = "/api/v1/cases/"


@pytest.fixture
def manager_a(make_user):
    return make_user(Role.CASE_MANAGER)


@pytest.fixture
def manager_b(make_user):
    return make_user(Role.CASE_MANAGER)


@pytest.fixture
def shared(head, manager_a, manager_b, tenant):
    """Case A (manager A) holds a police report that the office head links to case B (manager B)."""
    case_a = services.case_assign(actor=head, case=make_case(head, tenant), assignee=manager_a)
    case_b = services.case_assign(actor=head, case=make_case(head, tenant), assignee=manager_b)
    document = services.case_document_add(
        actor=manager_a, case=case_a, kind="police_report", uploaded_file=upload(MINIMAL_PDF), title="Laporan"
    )
    link = document_services.document_link(actor=head, document=document, owner=case_b)
    return case_a, case_b, document, link


def test_a_user_who_sees_case_a_but_not_case_b_never_sees_the_document_through_b(
    client_for, manager_a, manager_b, shared
):
    _case_a, case_b, document, link = shared
    a = client_for(manager_a)

    assert a.get(reverse("documents:download", args=[document.pk])).content == MINIMAL_PDF
    assert a.get(f"{API}{case_b.pk}/documents/").status_code == 404
    assert a.get(reverse("documents:download", args=[link.pk])).status_code == 404
    assert a.get(f"/api/v1/documents/{link.pk}/download/").status_code == 404
    assert a.post(reverse("documents:delete", args=[link.pk])).status_code == 404

    b = client_for(manager_b)
    assert [d["id"] for d in b.get(f"{API}{case_b.pk}/documents/").json()] == [str(link.pk)]
    assert b.get(reverse("documents:download", args=[link.pk])).content == MINIMAL_PDF
    assert b.get(reverse("documents:download", args=[document.pk])).status_code == 404


def test_linking_needs_manage_on_the_target_case(manager_a, shared):
    _case_a, case_b, document, _link = shared
    with pytest.raises(PermissionDenied):
        document_services.document_link(actor=manager_a, document=document, owner=case_b)


def test_case_b_deleting_its_link_leaves_case_a_its_document(client_for, manager_a, manager_b, shared):
    case_a, _case_b, document, link = shared
    assert client_for(manager_b).post(reverse("documents:delete", args=[link.pk])).status_code == 302

    listed = client_for(manager_a).get(f"{API}{case_a.pk}/documents/").json()
    assert [d["id"] for d in listed] == [str(document.pk)]
    assert client_for(manager_a).get(reverse("documents:download", args=[document.pk])).content == MINIMAL_PDF
