"""Writing audit events. Call `record` inside the transaction of the change it describes."""

import json
import logging
import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import validate_ipv46_address
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from sinergi.core import plugins, policy
from sinergi.core.context import current_meta

from . import selectors
from .models import AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64
EXPORTED = "audit.exported"
MASK = "[masked]"

# `extra` must never hold secrets; as a safety net, values under keys that look secret are masked
# before they are stored (and so before they are hashed, shown or exported).
_SECRET_KEY_PARTS = frozenset(
    {
        "password",
        "passwd",
        "secret",
        "token",
        "key",
        "otp",
        "pin",
        "cookie",
        "session",
        "authorization",
        "credential",
        "csrf",
        "nik",
        "kk",
        "ciphertext",
    }
)
_KEY_SPLIT = re.compile(r"[^a-z0-9]+")
logger = logging.getLogger(__name__)


class UndeclaredAuditAction(ValueError):
    """An action no app declared with `sinergi.core.plugins.audit_events`."""


def _check_action(action: str) -> None:
    if plugins.is_audit_event(action):
        return
    if settings.SINERGI_AUDIT_STRICT_EVENTS:
        raise UndeclaredAuditAction(f"Audit action {action!r} is not declared (sinergi.core.plugins.audit_events).")
    # In production the event is still written: losing an audit event, or failing the change it
    # describes, for want of a label would be worse. The test of declared actions catches it first.
    logger.error("Undeclared audit action %r recorded", action)


def _is_secret_key(key: str) -> bool:
    parts = _KEY_SPLIT.split(re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", str(key)).lower())
    return any(part in _SECRET_KEY_PARTS for part in parts)


def _scrub(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: MASK if _is_secret_key(k) else _scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def _clean_extra(extra: dict | None) -> dict:
    # Round-trip through JSON so the hashed payload is exactly what the JSONField stores and reads
    # back (UUIDs, dates and Decimals become strings).
    plain = json.loads(json.dumps(extra or {}, cls=DjangoJSONEncoder))
    return _scrub(plain)


def _clean_ip(ip: str | None) -> str | None:
    # Stored in the same normal form the database returns, so the hash verifies after a round trip;
    # anything that is not an IP address (e.g. a unix socket peer) is dropped rather than failing the write.
    if not ip:
        return None
    try:
        validate_ipv46_address(ip)
    except ValidationError:
        return None
    return clean_ipv6_address(ip) if ":" in ip else ip


def _object_ref(obj: Any) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk)


def _actor_label(actor: Any) -> str:
    if actor is None:
        return "system"
    if not getattr(actor, "is_authenticated", False):
        return "anonymous"
    return (getattr(actor, "username", "") or "system")[:150]


def record(
    *,
    actor: Any,
    action: str,
    obj: Any = None,
    tenant: Any = None,
    fields: Iterable[str] = (),
    extra: dict | None = None,
    object_type: str = "",
    object_id: str = "",
) -> AuditEvent:
    """Append one event. `fields` are names only; never pass secret values in `extra`.

    `action` is declared by its app (sinergi.core.plugins.audit_events).
    """
    _check_action(action)
    meta = current_meta()
    otype, oid = _object_ref(obj)
    if tenant is None and obj is not None:
        # Same convention as core.policy.in_same_tenant: a Tenant belongs to itself.
        tenant_id = obj.pk if otype == "tenants.tenant" else getattr(obj, "tenant_id", None)
    else:
        tenant_id = getattr(tenant, "pk", tenant)
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    if tenant_id is None and is_user:
        tenant_id = actor.tenant_id
    with transaction.atomic():
        # The head row lock serialises appends, so ids, created_at and the chain share one order.
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        event = AuditEvent(
            created_at=timezone.now(),
            tenant_id=tenant_id,
            actor=actor if is_user else None,
            actor_label=_actor_label(actor),
            action=action,
            object_type=object_type or otype,
            object_id=str(object_id or oid),
            fields=sorted({str(f) for f in fields}),
            extra=_clean_extra(extra),
            ip=_clean_ip(meta.ip),
            user_agent=meta.user_agent[:300],
            request_id=meta.request_id,
            prev_hash=head.last_hash,
        )
        event.hash = event.compute_hash()
        event.save()
        AuditChainHead.objects.filter(pk=1).update(last_hash=event.hash, count=head.count + 1)
    return event


def verify_chain(*, batch_size: int = 2000) -> tuple[bool, int, int | None]:
    """Walk the chain in order. Returns (ok, events_checked, id_of_first_bad_event)."""
    # Read the head first: events appended while we walk come after it and are not judged.
    head = AuditChainHead.objects.filter(pk=1).first()
    prev = GENESIS_HASH
    checked = 0
    last_id = 0
    reached_head = False
    while not reached_head:
        batch = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            break
        for event in batch:
            if event.prev_hash != prev or event.compute_hash() != event.hash:
                return False, checked, event.id
            prev = event.hash
            checked += 1
            last_id = event.id
            if head is not None and event.hash == head.last_hash:
                reached_head = True
                break
    if head is None or head.last_hash == GENESIS_HASH:
        # No head row, or a head that never moved: valid only for an empty log.
        return checked == 0 and (head is None or head.count == 0), checked, None
    if not reached_head or head.count != checked:
        # Events removed at the tail (or the head row tampered with) break the link to the head.
        return False, checked, None
    return True, checked, None


# ---- Export ------------------------------------------------------------------------------------

EXPORT_HEADER = [
    "time",
    "event_id",
    "actor_id",
    "actor",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "fields",
    "extra",
    "ip",
    "user_agent",
    "request_id",
    "hash",
]
# A cell starting with one of these is read as a formula by spreadsheet programs (CSV injection).
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> str:
    """Text for one CSV cell that a spreadsheet will not evaluate as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


def _export_row(event: AuditEvent) -> list[str]:
    actor = event.actor
    cells = [
        timezone.localtime(event.created_at).isoformat(),
        event.uuid,
        event.actor_id or "",
        event.actor_label,
        actor.display_name if actor is not None else "",
        event.action,
        event.object_type,
        event.object_id,
        ";".join(event.fields),
        json.dumps(event.extra, sort_keys=True, ensure_ascii=False) if event.extra else "",
        event.ip or "",
        event.user_agent,
        event.request_id,
        event.hash,
    ]
    return [csv_safe(c) for c in cells]


def audit_event_export(
    *,
    actor: Any,
    object_type: str | None = None,
    object_id: str | None = None,
    actor_id: Any = None,
    action: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> Iterator[list[str]]:
    """Record an `audit.exported` event and return the CSV rows (header first) of the filtered events."""
    policy.require(actor, "audit.export_auditevent", actor.tenant)
    filters = {
        "object_type": object_type,
        "object_id": object_id,
        "actor_id": actor_id,
        "action": action,
        "date_from": date_from,
        "date_to": date_to,
    }
    events = selectors.audit_event_list_for_user(user=actor, **filters)
    # Snapshot: the export holds exactly the events counted here (not the export event itself).
    snapshot = events.aggregate(last_id=Max("id"), rows=Count("id"))
    record(
        actor=actor,
        action=EXPORTED,
        tenant=actor.tenant,
        extra={
            "format": "csv",
            "rows": snapshot["rows"],
            "filters": {k: v for k, v in filters.items() if v not in (None, "")},
        },
    )
    events = events.filter(id__lte=snapshot["last_id"] or 0)

    def rows() -> Iterator[list[str]]:
        yield EXPORT_HEADER
        for event in events.iterator(chunk_size=1000):
            yield _export_row(event)

    return rows()
