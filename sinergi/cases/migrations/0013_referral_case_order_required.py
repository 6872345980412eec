"""Referral.case_reported_on / case_created_at required (filled in 0012), and the agency's list index."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0012_referral_case_order"),
    ]

    operations = [
        migrations.AlterField(
            model_name="referral",
            name="case_created_at",
            field=models.DateTimeField(editable=False),
        ),
        migrations.AlterField(
            model_name="referral",
            name="case_reported_on",
            field=models.DateField(editable=False),
        ),
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(
                fields=["tenant", "agency", "-case_reported_on", "-case_created_at", "-case", "status"],
                name="referral_agency_case_order",
            ),
        ),
    ]
