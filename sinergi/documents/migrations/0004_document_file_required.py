import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Schema step 3 of 3: every document links a stored file; the old per-document columns go."""

    dependencies = [("documents", "0003_storedfile_backfill")]

    operations = [
        migrations.RemoveField(model_name="document", name="blob_name"),
        migrations.RemoveField(model_name="document", name="mime"),
        migrations.RemoveField(model_name="document", name="size"),
        migrations.RemoveField(model_name="document", name="sha256"),
        migrations.AlterField(
            model_name="document",
            name="file",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="links", to="documents.storedfile"
            ),
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.UniqueConstraint(
                condition=models.Q(deleted_at__isnull=True),
                fields=("file", "owner_type", "owner_id"),
                name="document_one_live_link_per_owner",
            ),
        ),
    ]
