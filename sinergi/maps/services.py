"""Writes of the maps app: the release ledger."""

import hashlib
import json

from django.db import IntegrityError, transaction

from sinergi.audit.services import record as audit
from sinergi.tenants.models import Tenant

from .disclosure import Release
from .models import PublishedRelease

EVENT_RELEASE_PUBLISHED = "maps.release_published"


def _digest(*, table: str, rows: list[str], cols: list[str], release: Release) -> str:
    body = json.dumps([table, rows, cols, release.as_dict()], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


def release_record(
    *, tenant: Tenant, table: str, year: int, rows: list[str], cols: list[str], release: Release
) -> PublishedRelease:
    """Keep a published table in the ledger (once: the same equations are stored a single time)."""
    digest = _digest(table=table, rows=rows, cols=cols, release=release)
    existing = PublishedRelease.objects.filter(tenant=tenant, digest=digest).first()
    if existing is not None:
        return existing
    data = release.as_dict()
    try:
        with transaction.atomic():
            entry = PublishedRelease.objects.create(
                tenant=tenant,
                table=table,
                year=year,
                atoms=data["atoms"],
                rows=rows,
                cols=cols,
                published=data["published"],
                digest=digest,
            )
            audit(
                actor=None,
                action=EVENT_RELEASE_PUBLISHED,
                obj=entry,
                tenant=tenant,
                extra={"table": table, "atoms": data["atoms"], "hidden": _hidden_count(rows, cols, release)},
            )
    except IntegrityError:  # a concurrent request stored the same release first
        return PublishedRelease.objects.get(tenant=tenant, digest=digest)
    return entry


def _hidden_count(rows: list[str], cols: list[str], release: Release) -> int:
    everything = len(rows) * len(cols) + len(rows) + len(cols) + 1
    return everything - len(release.published)
