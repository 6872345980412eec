"""Referral.case_reported_on / case_created_at: the case's list order on the referral, for paging an
agency's case list from one index. Added nullable and filled from the cases here; made required in 0013 (its own transaction: PostgreSQL
refuses an ALTER TABLE with the UPDATE's trigger events pending)."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Referral = apps.get_model("cases", "Referral")
    case = Case.objects.filter(pk=OuterRef("case_id"))
    Referral.objects.using(schema_editor.connection.alias).update(
        case_reported_on=Subquery(case.values("reported_on")[:1]),
        case_created_at=Subquery(case.values("created_at")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_case_person_map_cover_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="case_created_at",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="referral",
            name="case_reported_on",
            field=models.DateField(editable=False, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
