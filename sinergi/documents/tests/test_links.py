"""One stored file, many owners: links share the blob, never the permission."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from sinergi.audit.models import AuditEvent
from sinergi.core import policy
from sinergi.documents import selectors, services
from sinergi.documents.models import Document, StoredFile
from sinergi.tenants.tests.factories import AgencyFactory

from .factories import MINIMAL_PDF
from .test_services import blob_files

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agency_owner_perms")]


@pytest.fixture
def second_owner(tenant):
    return AgencyFactory(tenant=tenant)


def long_ago(document: Document) -> None:
    Document.objects.filter(pk=document.pk).update(deleted_at=timezone.now() - timedelta(days=31))


class TestDocumentLink:
    def test_linking_to_a_second_owner_adds_no_file_to_storage(self, settings, uploader, document, second_owner):
        before = blob_files(settings)

        link = services.document_link(actor=uploader, document=document, owner=second_owner, kind="minutes")

        assert blob_files(settings) == before
        assert StoredFile.objects.count() == 1
        assert link.file_id == document.file_id
        assert link.owner == second_owner
        assert link.kind == "minutes"
        assert link.title == document.title
        assert link.linked_from == document
        assert set(selectors.documents_for_owner(owner=second_owner)) == {link}
        assert services.document_read(actor=uploader, document=link) == MINIMAL_PDF

    def test_the_link_is_audited_without_the_title(self, uploader, document, second_owner):
        link = services.document_link(actor=uploader, document=document, owner=second_owner)

        event = AuditEvent.objects.get(action="document.linked")
        assert event.object_id == str(link.pk)
        assert event.actor == uploader
        assert event.extra["source_id"] == str(document.pk)
        assert event.extra["owner_id"] == str(second_owner.pk)
        assert "Siti" not in str(event.extra)

    def test_an_actor_who_may_not_view_the_source_gets_404(self, analyst, document, second_owner):
        with pytest.raises(Http404):
            services.document_link(actor=analyst, document=document, owner=second_owner)
        assert Document.objects.count() == 1

    def test_an_actor_who_may_not_manage_the_target_gets_403(self, colleague, document, second_owner):
        # The colleague may view the source, but only case managers may manage agency documents.
        with pytest.raises(PermissionDenied):
            services.document_link(actor=colleague, document=document, owner=second_owner)
        assert Document.objects.count() == 1

    def test_a_target_in_another_tenant_is_refused(self, uploader, document, other_tenant):
        with pytest.raises((PermissionDenied, ValidationError)):
            services.document_link(actor=uploader, document=document, owner=AgencyFactory(tenant=other_tenant))
        assert Document.objects.count() == 1

    def test_linking_twice_to_the_same_owner_is_refused(self, uploader, document, second_owner):
        services.document_link(actor=uploader, document=document, owner=second_owner)
        with pytest.raises(ValidationError) as excinfo:
            services.document_link(actor=uploader, document=document, owner=second_owner)
        assert excinfo.value.error_list[0].code == "already_linked"

    def test_a_deleted_source_cannot_be_linked(self, uploader, document, second_owner):
        services.document_delete(actor=uploader, document=document)
        with pytest.raises(Http404):
            services.document_link(actor=uploader, document=document, owner=second_owner)


class TestPurgeWithLinks:
    def test_deleting_one_owner_keeps_the_blob(self, settings, uploader, document, second_owner):
        link = services.document_link(actor=uploader, document=document, owner=second_owner)
        services.document_delete(actor=uploader, document=document)
        long_ago(document)

        counts = services.document_blobs_purge()

        assert counts["deleted"] == 0
        assert document.blob_path.exists()
        assert services.document_read(actor=uploader, document=link) == MINIMAL_PDF
        assert AuditEvent.objects.get(action="document.deleted").extra["links_left"] == 1

    def test_deleting_the_last_link_lets_the_purge_remove_the_blob(self, settings, uploader, document, second_owner):
        link = services.document_link(actor=uploader, document=document, owner=second_owner)
        services.document_delete(actor=uploader, document=document)
        services.document_delete(actor=uploader, document=link)
        long_ago(document)

        # The second link was deleted only now: the retention period still holds the blob.
        assert services.document_blobs_purge()["deleted"] == 0
        assert document.blob_path.exists()

        long_ago(link)
        assert services.document_blobs_purge() == {"deleted": 1, "orphans": 0}
        assert not document.blob_path.exists()
        assert blob_files(settings) == []
        assert StoredFile.objects.get().purged_at is not None
        # The links stay as rows for the audit trail; a second purge has nothing left to do.
        assert Document.objects.count() == 2
        assert services.document_blobs_purge() == {"deleted": 0, "orphans": 0}

    def test_a_purged_file_cannot_be_linked_again(self, uploader, document, second_owner):
        StoredFile.objects.update(purged_at=timezone.now())
        document.refresh_from_db()
        with pytest.raises(Http404):
            services.document_link(actor=uploader, document=document, owner=second_owner)


def test_each_link_has_the_permission_of_its_own_owner(uploader, colleague, document, tenant):
    # A second link whose owner (the tenant itself) registers no document rules: closed to everyone,
    # while the first link stays open to the colleague. Same blob, two permissions.
    link = services.document_link(actor=uploader, document=document, owner=AgencyFactory(tenant=tenant))
    Document.objects.filter(pk=link.pk).update(
        owner_type=ContentType.objects.get_for_model(tenant), owner_id=str(tenant.pk)
    )
    link.refresh_from_db()

    assert policy.can(colleague, "documents.view_document", document)
    assert not policy.can(colleague, "documents.view_document", link)
    with pytest.raises(Http404):
        selectors.document_get_for_user(user=colleague, pk=link.pk)
