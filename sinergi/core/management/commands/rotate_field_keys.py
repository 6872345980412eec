"""Re-encrypt every EncryptedTextField value, and what apps register (document blobs), under the newest key.

Reads the raw ciphertext (a Cast to a plain TextField skips decryption), rotates values that are not
yet under the newest key with MultiFernet.rotate, and writes them back with an UPDATE that does not
go through the field (no double encryption, no save() side effects such as auto_now). One
transaction per batch, rows locked while rotated. Idempotent: a second run rotates nothing.
"""

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.db.models import Value
from django.db.models.functions import Cast

from sinergi.core import crypto, plugins
from sinergi.core.crypto import EncryptedTextField


def encrypted_fields() -> list[tuple[type[models.Model], list[EncryptedTextField]]]:
    """(model, its own EncryptedTextFields) for every concrete model that stores some."""
    found = []
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed or meta.swapped:
            continue
        # local_concrete_fields: a field inherited through multi-table inheritance is rotated once,
        # with the parent model that owns its table.
        fields = [f for f in meta.local_concrete_fields if isinstance(f, EncryptedTextField)]
        if fields:
            found.append((model, fields))
    return found


def rotate_model(model: type[models.Model], fields: list[EncryptedTextField], *, batch_size: int) -> dict[str, int]:
    counts = {"rotated": 0, "current": 0, "empty": 0}
    raw = {f"_raw_{f.attname}": f for f in fields}
    last_pk = None
    while True:
        with transaction.atomic():
            qs = model._base_manager.order_by("pk").select_for_update()
            if last_pk is not None:
                qs = qs.filter(pk__gt=last_pk)
            rows = list(
                qs.annotate(**{alias: Cast(f.attname, models.TextField()) for alias, f in raw.items()}).values(
                    "pk", *raw
                )[:batch_size]
            )
            if not rows:
                return counts
            for row in rows:
                updates = {}
                for alias, field in raw.items():
                    value = row[alias]
                    if not value:
                        counts["empty"] += 1
                        continue
                    try:
                        if crypto.is_current_str(value):
                            counts["current"] += 1
                            continue
                        rotated = crypto.rotate_str(value)
                    except (ImproperlyConfigured, ValueError) as exc:
                        # Names the row, never the value. Earlier batches stay rotated: rerun after fixing.
                        raise CommandError(f"{model._meta.label}.{field.name} pk={row['pk']}: {exc}") from exc
                    # Value() with a plain TextField: the ciphertext is written as is.
                    updates[field.attname] = Value(rotated, output_field=models.TextField())
                    counts["rotated"] += 1
                if updates:
                    model._base_manager.filter(pk=row["pk"]).update(**updates)
            last_pk = rows[-1]["pk"]


class Command(BaseCommand):
    help = "Re-encrypt all encrypted fields and document files under the newest key in SINERGI_FIELD_KEYS."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size: int, **options) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            crypto.newest_fernet()
            totals = {"rotated": 0, "current": 0, "empty": 0}
            for model, fields in encrypted_fields():
                counts = rotate_model(model, fields, batch_size=batch_size)
                for key, value in counts.items():
                    totals[key] += value
                self.stdout.write(
                    f"{model._meta.label}: {counts['rotated']} rotated, {counts['current']} already current, "
                    f"{counts['empty']} empty"
                )
            self.stdout.write(
                f"Fields: {totals['rotated']} rotated, {totals['current']} already current, {totals['empty']} empty"
            )
            # Data encrypted outside model fields (stored files) is rotated by its app's hook.
            others: dict[str, dict[str, int]] = {}
            for rotation in plugins.key_rotations():
                counts = others[rotation.key] = dict(rotation.rotate())
                self.stdout.write(
                    f"{rotation.label}: {counts['rotated']} rotated, {counts['current']} already current, "
                    f"{counts['missing']} missing"
                )
        except (ImproperlyConfigured, ValueError) as exc:
            # A value no configured key can decrypt: stop, keep every key, and investigate.
            raise CommandError(f"Rotation stopped: {exc}") from exc
        plugins.audit_record(actor=None, action="crypto.keys_rotated", extra={"fields": totals, **others})
        self.stdout.write(self.style.SUCCESS("Done. Once nothing is left to rotate, the old keys can be removed."))
