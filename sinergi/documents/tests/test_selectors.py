import uuid

import pytest
from django.http import Http404

from sinergi.documents import selectors, services
from sinergi.tenants.tests.factories import AgencyFactory

from .factories import store_document

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agency_owner_perms")]


class TestDocumentGetForUser:
    def test_the_uploader_and_a_colleague_get_the_document(self, uploader, colleague, document):
        assert selectors.document_get_for_user(user=uploader, pk=document.pk) == document
        assert selectors.document_get_for_user(user=colleague, pk=str(document.pk)) == document

    @pytest.mark.parametrize("persona", ["analyst", "outsider"])
    def test_users_without_access_get_404(self, request, document, persona):
        with pytest.raises(Http404):
            selectors.document_get_for_user(user=request.getfixturevalue(persona), pk=document.pk)

    def test_an_unknown_id_is_404(self, uploader):
        with pytest.raises(Http404):
            selectors.document_get_for_user(user=uploader, pk=uuid.uuid4())

    def test_a_deleted_document_is_404(self, uploader, document):
        services.document_delete(actor=uploader, document=document)
        with pytest.raises(Http404):
            selectors.document_get_for_user(user=uploader, pk=document.pk)


def test_documents_for_owner_lists_only_live_documents_of_that_owner(uploader, owner, tenant):
    first = store_document(actor=uploader, owner=owner)
    second = store_document(actor=uploader, owner=owner)
    deleted = store_document(actor=uploader, owner=owner)
    services.document_delete(actor=uploader, document=deleted)
    store_document(actor=uploader, owner=AgencyFactory(tenant=tenant))

    assert set(selectors.documents_for_owner(owner=owner)) == {first, second}
