"""0002-0004: today's single-owner documents become links to stored files, and back."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from sinergi.tenants.models import Agency
from sinergi.tenants.tests.factories import AgencyFactory, TenantFactory

BEFORE = [("documents", "0001_initial")]
AFTER = [("documents", "0004_document_file_required")]


@pytest.fixture(autouse=True)
def _latest_schema_afterwards():
    """Migrating this app back also unapplies the apps that depend on it (task forces, publications...):
    bring every app back to its latest migration, so later tests on this worker find their tables."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _old_document(apps, *, tenant, owner, blob_name: str):
    Document = apps.get_model("documents", "Document")
    return Document.objects.create(
        tenant_id=tenant.pk,
        owner_type_id=ContentType.objects.get_for_model(Agency).pk,
        owner_id=str(owner.pk),
        kind="visum",
        mime="application/pdf",
        size=123,
        sha256="f" * 64,
        blob_name=blob_name,
    )


@pytest.mark.django_db(transaction=True)
def test_each_document_becomes_one_link_to_its_own_stored_file_and_back():
    tenant = TenantFactory()
    owner = AgencyFactory(tenant=tenant)
    old_apps = _migrate(BEFORE)
    first = _old_document(old_apps, tenant=tenant, owner=owner, blob_name="ab" + "1" * 46)
    second = _old_document(old_apps, tenant=tenant, owner=owner, blob_name="cd" + "2" * 46)

    new_apps = _migrate(AFTER)
    Document = new_apps.get_model("documents", "Document")
    StoredFile = new_apps.get_model("documents", "StoredFile")
    assert StoredFile.objects.count() == 2
    migrated = Document.objects.select_related("file").get(pk=first.pk)
    assert (migrated.file.blob_name, migrated.file.mime, migrated.file.size) == (
        "ab" + "1" * 46,
        "application/pdf",
        123,
    )
    assert migrated.file.tenant_id == tenant.pk
    assert migrated.owner_id == str(owner.pk)
    assert Document.objects.get(pk=second.pk).file.blob_name == "cd" + "2" * 46

    old_apps = _migrate(BEFORE)
    Document = old_apps.get_model("documents", "Document")
    assert Document.objects.get(pk=first.pk).blob_name == "ab" + "1" * 46
    assert Document.objects.get(pk=second.pk).size == 123
    _migrate(AFTER)


@pytest.mark.django_db(transaction=True)
def test_migrating_back_refuses_while_a_file_has_two_owners():
    tenant = TenantFactory()
    owner = AgencyFactory(tenant=tenant)
    old_apps = _migrate(BEFORE)
    first = _old_document(old_apps, tenant=tenant, owner=owner, blob_name="ef" + "3" * 46)
    new_apps = _migrate(AFTER)
    Document = new_apps.get_model("documents", "Document")
    source = Document.objects.get(pk=first.pk)
    Document.objects.create(
        tenant_id=tenant.pk,
        file_id=source.file_id,
        owner_type_id=source.owner_type_id,
        owner_id=str(AgencyFactory(tenant=tenant).pk),
        kind="visum",
    )

    with pytest.raises(RuntimeError, match="more than one owner"):
        _migrate(BEFORE)
    _migrate(AFTER)
