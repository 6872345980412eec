from django.db import migrations, models

import sinergi.accounts.models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_apitoken_expires_at_backfill"),
    ]

    operations = [
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(default=sinergi.accounts.models.api_token_default_expires_at),
        ),
    ]
