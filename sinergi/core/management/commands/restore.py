"""`manage.py restore SRC [--keys-from KEYS_DIR [--env-file PATH]] [--force]` (see sinergi.core.backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sinergi.core import backup, plugins


class Command(BaseCommand):
    help = (
        "Restore a backup set made by `backup` into the configured (empty) database, file storage and queue. "
        "Every checksum, the manifest signature and the keys are checked first: a damaged, altered or "
        "partial set is refused and nothing is touched. Stop the web and worker processes first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("src", help="Directory of the backup set (holds manifest.json).")
        parser.add_argument("--keys-from", metavar="KEYS_DIR", help="Keys backup made by `backup --keys-to`.")
        parser.add_argument(
            "--env-file",
            metavar="PATH",
            help="With --keys-from: write the keys into this environment file (mode 0600), keeping its other lines.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a non-empty database and queue; the existing file storage is moved aside, not deleted.",
        )
        parser.add_argument("--verify-only", action="store_true", help="Check the set and the keys, restore nothing.")

    def handle(
        self, *args, src: str, keys_from: str | None, env_file: str | None, force: bool, verify_only: bool, **options
    ) -> None:
        if env_file and not keys_from:
            raise CommandError("--env-file needs --keys-from.")
        try:
            if verify_only:
                keys = backup.read_keys(Path(keys_from)) if keys_from else backup.Keys.from_settings()
                manifest = backup.verify_set(Path(src), keys=keys)
                self.stdout.write(self.style.SUCCESS(f"Backup {manifest['backup_id']} is complete and intact."))
                return
            manifest = backup.restore(
                Path(src),
                keys_from=Path(keys_from) if keys_from else None,
                env_file=Path(env_file) if env_file else None,
                force=force,
            )
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        # Recorded in the restored chain, so the restore itself is on the audit trail.
        plugins.audit_record(actor=None, action="backup.restored", extra={"backup_id": manifest["backup_id"]})
        if manifest.get("_moved_aside"):
            self.stdout.write(f"The previous file storage was moved to {manifest['_moved_aside']}.")
        if keys_from and env_file:
            self.stdout.write(f"Keys written to {env_file}.")
        elif keys_from:
            self.stdout.write("The keys were checked; put them into the environment of the web and worker processes.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup {manifest['backup_id']} of {manifest['created_at']} restored. Next: `manage.py migrate`, "
                "`manage.py audit_verify`, then start the web and worker processes."
            )
        )
