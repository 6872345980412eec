"""Tokens created before the 90-day ceiling (e.g. with the old "1 year" choice) expire at created_at + 90 days."""

from datetime import timedelta

from django.db import migrations

CEILING_DAYS = 90


def cap(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    for token in ApiToken.objects.filter(revoked_at__isnull=True).only("pk", "created_at", "expires_at").iterator():
        ceiling = token.created_at + timedelta(days=CEILING_DAYS)
        if token.expires_at > ceiling:
            ApiToken.objects.filter(pk=token.pk).update(expires_at=ceiling)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_loginthrottle")]

    # Not reversible in substance (the longer expiry is not kept); reversing leaves the capped dates.
    operations = [migrations.RunPython(cap, migrations.RunPython.noop)]
