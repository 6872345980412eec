"""Steps of the backup/restore round trip (driven by scripts/ci_backup_roundtrip.sh).

    python scripts/backup_roundtrip.py seed --cases 30 --docs 10 --expected FILE
    python scripts/backup_roundtrip.py writer --stop-file FILE --report FILE
    python scripts/backup_roundtrip.py check --manifest FILE --expected FILE [--no-counts]

Every step runs against the installation the environment configures (DATABASE_URL, SINERGI_DATA_DIR,
keys), through the service layer: cases are created by `case_intake`, documents stored by
`case_document_add` and read back by `documents.services.document_response`. The expected-values file
holds only SHA-256 digests of the seeded identities and documents, never a plaintext.
"""

import argparse
import hashlib
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from sinergi.accounts.models import User  # noqa: E402
from sinergi.accounts.roles import Role  # noqa: E402
from sinergi.cases import services as case_services  # noqa: E402
from sinergi.cases.fieldsets import IDENTITY_FIELDS  # noqa: E402
from sinergi.cases.models import Case, Person  # noqa: E402
from sinergi.core.backup import _tables  # noqa: E402
from sinergi.documents import services as document_services  # noqa: E402
from sinergi.documents.models import Document  # noqa: E402

USERNAME = "roundtrip-manager"


def _identity_digest(person: Person) -> str:
    return hashlib.sha256("\x00".join(str(getattr(person, f) or "") for f in IDENTITY_FIELDS).encode()).hexdigest()


def _pdf(n: int) -> bytes:
    body = f"Roundtrip document {n} {os.urandom(8).hex()}".encode()
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n% "
        + body
        + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def _actor():
    from sinergi.accounts.tests.factories import UserFactory
    from sinergi.tenants.tests.factories import TenantFactory

    user = User.objects.filter(username=USERNAME).first()
    if user is None:
        user = UserFactory(username=USERNAME, role=Role.CASE_MANAGER, tenant=TenantFactory(code="64.02"))
    return user


def _new_case(actor, n: int, *, with_document: bool) -> Case:
    from sinergi.cases.tests.factories import make_case

    case = make_case(actor, actor.tenant)
    if with_document:
        case_services.case_document_add(
            actor=actor,
            case=case,
            kind="police_report",
            uploaded_file=SimpleUploadedFile(f"laporan-{n}.pdf", _pdf(n), content_type="application/pdf"),
        )
    return case


def seed(args) -> None:
    from huey.contrib.djhuey import HUEY

    from sinergi.cases.tasks import escalate_overdue

    actor = _actor()
    for n in range(args.cases):
        _new_case(actor, n, with_document=n < args.docs)
    # Queue state to carry over: tasks scheduled for tomorrow (no worker runs during the round trip).
    for _ in range(2):
        escalate_overdue.schedule(delay=86400)
    expected = {
        "identities": {str(p.pk): _identity_digest(p) for p in Person.objects.all()},
        "documents": {str(d.pk): d.sha256 for d in Document.objects.all()},
    }
    Path(args.expected).write_text(json.dumps(expected))
    print(
        f"seeded {Case.objects.count()} cases, {Document.objects.count()} documents, "
        f"{HUEY.pending_count()} queued tasks"
    )


def writer(args) -> None:
    """Create cases (every third with a document) until the stop file appears."""
    actor = _actor()
    stop = Path(args.stop_file)
    created = errors = 0
    started = time.monotonic()
    while not stop.exists() and time.monotonic() - started < args.max_seconds:
        try:
            _new_case(actor, 10_000 + created, with_document=created % 3 == 0)
            created += 1
            Path(args.report).write_text(json.dumps({"created": created, "errors": errors, "running": True}))
        except Exception as exc:  # a failed write is counted and retried; the round trip checks the rest
            errors += 1
            print(f"writer: {type(exc).__name__}", file=sys.stderr)
            time.sleep(0.05)
    Path(args.report).write_text(json.dumps({"created": created, "errors": errors}))
    print(f"writer: {created} cases created during the backup, {errors} errors")


def _fail(message: str) -> None:
    print(f"ROUNDTRIP FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def check(args) -> None:
    from huey.contrib.djhuey import HUEY

    manifest = json.loads(Path(args.manifest).read_text())
    expected = json.loads(Path(args.expected).read_text())
    if not args.no_counts:
        # Counts first: checking the documents below adds audit events of its own.
        with connection.cursor() as cur:
            for label, table in _tables().items():
                cur.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - table names come from models
                got = cur.fetchone()[0]
                want = manifest["counts"].get(label)
                if label == "audit.AuditEvent":
                    want += 1  # the restore records itself in the chain
                if got != want:
                    _fail(f"{label}: {got} rows after restore, {want} at backup time")
        if manifest["counts"]["cases.Case"] <= args.min_cases:
            _fail(f"the backup holds {manifest['counts']['cases.Case']} cases: no write ran during the backup")
        if (HUEY.pending_count(), HUEY.scheduled_count()) != (
            manifest["queue"]["pending"],
            manifest["queue"]["scheduled"],
        ):
            _fail("huey queue state differs from the backup")
        print(
            f"counts equal for {len(manifest['counts'])} tables "
            f"({manifest['counts']['cases.Case']} cases, {manifest['counts']['documents.Document']} documents)"
        )
    call_command("audit_verify")
    people = 0
    for person in Person.objects.order_by("pk").iterator():
        digest = _identity_digest(person)  # raises if any identity field fails to decrypt
        if str(person.pk) in expected["identities"] and expected["identities"][str(person.pk)] != digest:
            _fail(f"person {person.pk}: identity differs after restore")
        people += 1
    missing_seeded = set(expected["identities"]) - {str(pk) for pk in Person.objects.values_list("pk", flat=True)}
    if missing_seeded:
        _fail(f"{len(missing_seeded)} seeded people are missing")
    actor = _actor()
    documents = 0
    for document in Document.objects.live().order_by("pk").iterator():
        response = document_services.document_response(actor=actor, document=document)
        digest = hashlib.sha256(response.content).hexdigest()
        if digest != document.sha256 or expected["documents"].get(str(document.pk), digest) != digest:
            _fail(f"document {document.pk}: checksum differs after restore")
        documents += 1
    if not set(expected["documents"]) <= {str(pk) for pk in Document.objects.values_list("pk", flat=True)}:
        _fail("seeded documents are missing")
    print(f"OK: {people} identities decrypt, {documents} documents download with equal checksums")


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="step", required=True)
    p = sub.add_parser("seed")
    p.add_argument("--cases", type=int, default=30)
    p.add_argument("--docs", type=int, default=10)
    p.add_argument("--expected", required=True)
    p = sub.add_parser("writer")
    p.add_argument("--stop-file", required=True)
    p.add_argument("--report", required=True)
    p.add_argument("--max-seconds", type=float, default=300)
    p = sub.add_parser("check")
    p.add_argument("--manifest", required=True)
    p.add_argument("--expected", required=True)
    p.add_argument("--min-cases", type=int, default=0)
    p.add_argument("--no-counts", action="store_true")
    args = parser.parse_args()
    {"seed": seed, "writer": writer, "check": check}[args.step](args)


if __name__ == "__main__":
    main()
