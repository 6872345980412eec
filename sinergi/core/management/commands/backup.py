"""`manage.py backup DEST [--keys-to KEYS_DIR]`: one consistent, signed backup set (see sinergi.core.backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sinergi.core import backup, plugins


class Command(BaseCommand):
    help = (
        "Back up the database, the encrypted file storage and the huey queue into DEST (a new directory), "
        "with a signed manifest of SHA-256 checksums. The keys are written only with --keys-to, into a "
        "different place: never beside the data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dest", nargs="?", help="New or empty directory for the backup set.")
        parser.add_argument(
            "--keys-to",
            metavar="KEYS_DIR",
            help="Also write DJANGO_SECRET_KEY, SINERGI_FIELD_KEYS and SINERGI_BLIND_INDEX_KEY into this new "
            "directory (mode 0700/0600). It may not be inside, around or next to DEST. Without DEST: keys only.",
        )

    def handle(self, *args, dest: str | None, keys_to: str | None, **options) -> None:
        if not dest and not keys_to:
            raise CommandError("Give DEST (data backup), --keys-to KEYS_DIR (keys backup), or both.")
        try:
            if not dest:
                assert keys_to  # one of the two is given (checked above)
                backup.write_keys(Path(keys_to))
                plugins.audit_record(actor=None, action="backup.keys_exported", extra={})
                self.stdout.write(self.style.SUCCESS(f"Keys written to {keys_to}. Keep them apart from the data."))
                return
            manifest = backup.backup(Path(dest), keys_dest=Path(keys_to) if keys_to else None)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        plugins.audit_record(
            actor=None,
            action="backup.created",
            extra={"backup_id": manifest["backup_id"], "keys_exported": bool(keys_to)},
        )
        counts = manifest["counts"]
        self.stdout.write(
            f"Database ({manifest['database']['vendor']}): {sum(counts.values())} rows in {len(counts)} tables; "
            f"files: {manifest['storage']['count']}; queue: {manifest['queue']['kind']}."
        )
        if keys_to:
            self.stdout.write(f"Keys written to {keys_to}: store them apart from {dest}.")
        else:
            self.stdout.write("The keys are not in this set: back them up once with `backup --keys-to KEYS_DIR`.")
        self.stdout.write(self.style.SUCCESS(f"Backup {manifest['backup_id']} written to {dest}."))
