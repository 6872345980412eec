from django.core.management.base import BaseCommand, CommandError

from sinergi.audit.models import AuditChainHead, AuditEvent
from sinergi.audit.services import GENESIS_HASH, verify_chain


class Command(BaseCommand):
    help = "Verify the audit hash chain: each event links to the one before it, and the head matches."

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="HASH",
            help="A head hash printed by an earlier run and kept outside the database; the chain must "
            "still contain it (detects a rewritten chain). May be given several times.",
        )

    def handle(self, *args, anchor: list[str], **options):
        ok, checked, bad_id = verify_chain()
        if not ok:
            if bad_id is not None:
                raise CommandError(f"Audit chain BROKEN at event id {bad_id} ({checked} events verified before it).")
            raise CommandError(
                f"Audit chain BROKEN: head mismatch after {checked} events "
                "(events removed at the end, or the chain head was altered)."
            )
        for anchor_hash in anchor:
            if anchor_hash != GENESIS_HASH and not AuditEvent.objects.filter(hash=anchor_hash).exists():
                raise CommandError(f"Audit chain BROKEN: anchor {anchor_hash} is no longer in the chain.")
        head = AuditChainHead.objects.filter(pk=1).first()
        self.stdout.write(self.style.SUCCESS(f"{checked} audit events checked: OK"))
        self.stdout.write(f"Head hash: {head.last_hash if head else GENESIS_HASH}")
