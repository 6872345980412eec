from django.db import migrations
from django.db.models import Count

BATCH = 500


def forwards(apps, schema_editor):
    """Each existing document (one owner) becomes one link to its own stored file; no blob moves."""
    Document = apps.get_model("documents", "Document")
    StoredFile = apps.get_model("documents", "StoredFile")
    pending = Document.objects.filter(file__isnull=True).order_by("pk")
    while batch := list(pending[:BATCH]):
        for document in batch:
            stored = StoredFile.objects.create(
                tenant_id=document.tenant_id,
                mime=document.mime,
                size=document.size,
                sha256=document.sha256,
                blob_name=document.blob_name,
            )
            # created_at is auto_now_add: keep the upload time, not the migration time.
            StoredFile.objects.filter(pk=stored.pk).update(created_at=document.created_at)
            Document.objects.filter(pk=document.pk).update(file=stored)


def backwards(apps, schema_editor):
    """Copy the file's facts back onto its document. Only possible while no file has a second link:
    the old schema holds one owner per blob (blob_name is unique), so shared files would need a copy."""
    Document = apps.get_model("documents", "Document")
    StoredFile = apps.get_model("documents", "StoredFile")
    shared = StoredFile.objects.annotate(n=Count("links")).filter(n__gt=1).count()
    if shared:
        raise RuntimeError(
            f"{shared} stored files are linked to more than one owner; the single-owner schema cannot hold them. "
            "Unlink the extra owners (documents.services.document_delete) before migrating back."
        )
    for document in Document.objects.filter(file__isnull=False).select_related("file").iterator():
        Document.objects.filter(pk=document.pk).update(
            mime=document.file.mime,
            size=document.file.size,
            sha256=document.file.sha256,
            blob_name=document.file.blob_name,
            file=None,
        )
    StoredFile.objects.all().delete()


class Migration(migrations.Migration):
    """Data step: today's single owner becomes a link."""

    dependencies = [("documents", "0002_storedfile")]

    operations = [migrations.RunPython(forwards, backwards)]
