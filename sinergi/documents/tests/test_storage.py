"""Blobs go through Django's Storage API: the local folder by default, any backend by settings."""

import stat
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from django.utils import timezone

from sinergi.documents import services
from sinergi.documents.models import Document
from sinergi.documents.storage import document_storage
from sinergi.tenants.tests.factories import AgencyFactory

from .factories import MINIMAL_PDF, store_document
from .test_services import blob_files

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agency_owner_perms")]

NEW_KEY = Fernet.generate_key().decode()


@pytest.fixture
def in_memory(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "sinergi_documents": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    return document_storage()


def stored_names(storage) -> list[str]:
    prefixes, _ = storage.listdir("")
    return sorted(f"{p}/{name}" for p in prefixes for name in storage.listdir(p)[1])


class TestLocalFolder:
    def test_the_blob_is_ciphertext_readable_by_the_owner_only(self, settings, uploader, owner):
        document = store_document(actor=uploader, owner=owner)

        [path] = blob_files(settings)
        assert path == settings.SINERGI_PRIVATE_STORAGE / document.blob_name[:2] / document.blob_name
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        assert MINIMAL_PDF[:8] not in path.read_bytes()
        assert not [p for p in path.parent.iterdir() if p.name.startswith(".tmp-")]

    def test_blobs_have_no_public_url(self, document):
        with pytest.raises(NotImplementedError):
            document_storage().url(f"{document.blob_name[:2]}/{document.blob_name}")

    def test_the_folder_follows_the_setting(self, settings, tmp_path, uploader, owner):
        settings.SINERGI_PRIVATE_STORAGE = tmp_path / "elsewhere"
        document = store_document(actor=uploader, owner=owner)
        assert (tmp_path / "elsewhere" / document.blob_name[:2] / document.blob_name).is_file()


class TestAnyStorageBackend:
    def test_upload_read_and_download_never_touch_the_local_folder(
        self, settings, in_memory, client_for, uploader, owner
    ):
        document = store_document(actor=uploader, owner=owner)

        assert stored_names(in_memory) == [f"{document.blob_name[:2]}/{document.blob_name}"]
        assert b"%PDF" not in in_memory.open(stored_names(in_memory)[0]).read()
        assert services.document_read(actor=uploader, document=document) == MINIMAL_PDF
        response = client_for(uploader).get(f"/documents/{document.pk}/download/")
        assert response.content == MINIMAL_PDF
        assert blob_files(settings) == []

    def test_linking_adds_no_object_and_the_purge_removes_it_after_the_last_link(
        self, in_memory, uploader, owner, tenant
    ):
        document = store_document(actor=uploader, owner=owner)
        link = services.document_link(actor=uploader, document=document, owner=AgencyFactory(tenant=tenant))
        assert len(stored_names(in_memory)) == 1

        services.document_delete(actor=uploader, document=document)
        services.document_delete(actor=uploader, document=link)
        Document.objects.update(deleted_at=timezone.now() - timedelta(days=31))
        assert services.document_blobs_purge() == {"deleted": 1, "orphans": 0}
        assert stored_names(in_memory) == []

    def test_the_orphan_sweep_works_through_the_backend(self, in_memory, uploader, owner, monkeypatch):
        from django.core.files.base import ContentFile

        document = store_document(actor=uploader, owner=owner)
        in_memory.save("ab/ab-orphan", ContentFile(b"x"))
        later = timezone.now() + timedelta(days=2)
        monkeypatch.setattr(services.timezone, "now", lambda: later)

        assert services.document_blobs_purge() == {"deleted": 0, "orphans": 1}
        assert stored_names(in_memory) == [f"{document.blob_name[:2]}/{document.blob_name}"]

    def test_key_rotation_works_on_a_backend_that_does_not_overwrite(self, settings, in_memory, uploader, owner):
        document = store_document(actor=uploader, owner=owner)
        settings.SINERGI_FIELD_KEYS = [NEW_KEY, *settings.SINERGI_FIELD_KEYS]

        assert services.document_blobs_rotate() == {"rotated": 1, "current": 0, "missing": 0}

        reloaded = Document.objects.select_related("file").get(pk=document.pk)
        assert reloaded.blob_name != document.blob_name
        [name] = stored_names(in_memory)
        assert name == f"{reloaded.blob_name[:2]}/{reloaded.blob_name}"
        assert Fernet(NEW_KEY.encode()).decrypt(in_memory.open(name).read()) == MINIMAL_PDF
        assert services.document_read(actor=uploader, document=reloaded) == MINIMAL_PDF
        assert services.document_blobs_rotate() == {"rotated": 0, "current": 1, "missing": 0}
