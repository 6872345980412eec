import uuid

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Schema step 1 of 3: the stored file becomes its own row; the old per-document columns turn
    nullable so that the backfill (0003) can be reversed."""

    dependencies = [
        ("documents", "0001_initial"),
        ("tenants", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="StoredFile",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("mime", models.CharField(max_length=100)),
                ("size", models.PositiveBigIntegerField()),
                ("sha256", models.CharField(max_length=64)),
                ("blob_name", models.CharField(max_length=64, unique=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("purged_at", models.DateTimeField(blank=True, null=True)),
                (
                    "tenant",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="tenants.tenant"
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="document",
            name="file",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="links",
                to="documents.storedfile",
            ),
        ),
        migrations.AddField(
            model_name="document",
            name="linked_from",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="documents.document",
            ),
        ),
        migrations.AlterField(
            model_name="document", name="blob_name", field=models.CharField(max_length=64, null=True, unique=True)
        ),
        migrations.AlterField(model_name="document", name="mime", field=models.CharField(max_length=100, null=True)),
        migrations.AlterField(model_name="document", name="size", field=models.PositiveBigIntegerField(null=True)),
        migrations.AlterField(model_name="document", name="sha256", field=models.CharField(max_length=64, null=True)),
    ]
