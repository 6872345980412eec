"""Writes of the name blind index: sync on every write of a person, the fill for existing rows, and the
rebuild after a change of SINERGI_BLIND_INDEX_KEY (a `key_rotation` hook of rotate_field_keys).

Each person is handled on its own (decrypt one name, write its digests, forget it): no list of names is
ever built, in memory or anywhere else.
"""

from collections.abc import Iterable

from django.db import models, transaction
from django.db.models.functions import Cast

from .. import name_index
from ..models import Person, PersonNameKey

BATCH = 500


def _keys_for(person: Person, key_id: str) -> list[PersonNameKey]:
    common = {"tenant_id": person.tenant_id, "case_id": person.case_id, "person_id": person.pk, "key_id": key_id}
    return [
        PersonNameKey(kind=kind, digest=digest, **common) for kind, digest in name_index.name_digests(person.full_name)
    ]


def person_name_index_sync(people: Iterable[Person]) -> int:
    """Replace the name digests of these (saved) people with those of their current names; returns rows."""
    people = list(people)
    if not people:
        return 0
    key_id = name_index.key_fingerprint()
    rows: list[PersonNameKey] = []
    for person in people:
        rows += _keys_for(person, key_id)
    with transaction.atomic():
        PersonNameKey.objects.filter(person_id__in=[p.pk for p in people]).delete()
        PersonNameKey.objects.bulk_create(rows)
    return len(rows)


def _rebuild(queryset) -> int:
    """Re-index the people of `queryset` in batches by primary key; returns how many were re-indexed."""
    done = 0
    last_pk = None
    while True:
        qs = queryset.order_by("pk").only("pk", "tenant_id", "case_id", "full_name")
        if last_pk is not None:
            qs = qs.filter(pk__gt=last_pk)
        batch = list(qs[:BATCH])
        if not batch:
            return done
        person_name_index_sync(batch)
        done += len(batch)
        last_pk = batch[-1].pk


def name_index_fill() -> int:
    """Index every person that has no digest yet (the data migration, and a repair after a bulk import)."""
    named = Person.objects.annotate(_raw_name=Cast("full_name", models.TextField())).exclude(_raw_name="")
    return _rebuild(named.exclude(name_keys__isnull=False))


def name_index_rotate() -> dict[str, int]:
    """After SINERGI_BLIND_INDEX_KEY changed: re-index every person whose digests were made with another key
    (and any named person missing from the index). Idempotent: a second run re-indexes nothing."""
    current = name_index.key_fingerprint()
    stale = PersonNameKey.objects.exclude(key_id=current).values("person_id")
    rotated = _rebuild(Person.objects.filter(pk__in=stale))
    missing = name_index_fill()
    indexed = PersonNameKey.objects.filter(kind=PersonNameKey.Kind.FULL).count()
    return {"rotated": rotated, "current": indexed - rotated - missing, "missing": missing}
