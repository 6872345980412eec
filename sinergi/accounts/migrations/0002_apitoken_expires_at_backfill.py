"""Give every API token that never expires an expiry: created_at + 90 days (the new maximum).

Tokens older than 90 days are expired from now on; their owners create new ones. Reversing leaves the
expiries in place: which tokens had none is not recorded, and tokens that expire are the safe state.
"""

from datetime import timedelta

from django.db import migrations

LIFETIME = timedelta(days=90)


def backfill_expiry(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    for token in ApiToken.objects.filter(expires_at__isnull=True).only("pk", "created_at").iterator():
        ApiToken.objects.filter(pk=token.pk).update(expires_at=token.created_at + LIFETIME)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(backfill_expiry, migrations.RunPython.noop),
    ]
