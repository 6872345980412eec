import pytest

from sinergi.core import policy
from sinergi.documents.policy import owner_permission
from sinergi.tenants.models import Agency

from .factories import store_document

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agency_owner_perms")]


def test_owner_permission_names_follow_the_contract(owner):
    assert owner_permission(owner, "view") == "tenants.view_agency_documents"
    assert owner_permission(Agency, "manage") == "tenants.manage_agency_documents"


@pytest.mark.parametrize(
    ("persona", "may_view", "may_delete"),
    [("uploader", True, True), ("colleague", True, False), ("analyst", False, False), ("outsider", False, False)],
)
def test_document_permissions_follow_the_owner(request, document, persona, may_view, may_delete):
    user = request.getfixturevalue(persona)
    assert policy.can(user, "documents.view_document", document) is may_view
    assert policy.can(user, "documents.delete_document", document) is may_delete


def test_adding_documents_needs_manage_on_the_owner(uploader, colleague, outsider, owner):
    assert policy.can(uploader, "documents.add_document", owner)
    assert not policy.can(colleague, "documents.add_document", owner)
    assert not policy.can(outsider, "documents.add_document", owner)


def test_an_inactive_user_may_not_view(uploader, document):
    uploader.is_active = False
    assert not policy.can(uploader, "documents.view_document", document)


def test_an_owner_without_registered_permissions_denies_everyone(uploader, tenant):
    # Nobody registered tenants.view_tenant_documents: documents of such an owner stay closed.
    document = store_document(actor=uploader, owner=tenant)
    assert not policy.can(uploader, "documents.view_document", document)


def test_a_document_whose_owner_is_in_another_tenant_is_denied(uploader, document, other_tenant):
    # A corrupted row (owner moved or forged) must not open the document to the owner's tenant.
    owner = document.owner
    owner.tenant = other_tenant
    owner.save()
    document.refresh_from_db()
    assert not policy.can(uploader, "documents.view_document", document)
