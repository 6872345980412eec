"""Fill the name blind index for people registered before it existed.

One batch of people at a time, one name at a time: each is decrypted, turned into digests and dropped;
no list of names is built. Idempotent (people that already have digests are skipped)."""

from django.db import migrations, models
from django.db.models.functions import Cast

BATCH = 500


def fill(apps, schema_editor):
    from sinergi.cases import name_index

    Person = apps.get_model("cases", "Person")
    PersonNameKey = apps.get_model("cases", "PersonNameKey")
    alias = schema_editor.connection.alias
    named = (
        Person.objects.using(alias)
        .annotate(_raw_name=Cast("full_name", models.TextField()))
        .exclude(_raw_name="")
        .exclude(name_keys__isnull=False)
    )
    if not named.exists():
        return
    key_id = name_index.key_fingerprint()
    last_pk = None
    while True:
        qs = named.order_by("pk").only("pk", "tenant_id", "case_id", "full_name")
        if last_pk is not None:
            qs = qs.filter(pk__gt=last_pk)
        batch = list(qs[:BATCH])
        if not batch:
            return
        rows = []
        for person in batch:
            common = {
                "tenant_id": person.tenant_id,
                "case_id": person.case_id,
                "person_id": person.pk,
                "key_id": key_id,
            }
            rows += [
                PersonNameKey(kind=kind, digest=digest, **common)
                for kind, digest in name_index.name_digests(person.full_name)
            ]
        PersonNameKey.objects.using(alias).bulk_create(rows)
        last_pk = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_person_name_keys_referral_letter"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
