"""Writing audit events. Call `record` inside the transaction of the change it describes."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from sinergi.core.context import current_meta

from .models import AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64


def _object_ref(obj: Any) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk)


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
    """Append one event. `fields` are names only; never pass secret values in `extra`."""
    meta = current_meta()
    otype, oid = _object_ref(obj)
    if tenant is None and obj is not None:
        tenant_id = getattr(obj, "tenant_id", None)
    else:
        tenant_id = getattr(tenant, "pk", tenant)
    if tenant_id is None and actor is not None and getattr(actor, "is_authenticated", False):
        tenant_id = actor.tenant_id
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        event = AuditEvent(
            created_at=timezone.now(),
            tenant_id=tenant_id,
            actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
            actor_label=(getattr(actor, "username", "") or "system")[:150] if actor else "system",
            action=action,
            object_type=object_type or otype,
            object_id=object_id or oid,
            fields=sorted(set(fields)),
            extra=extra or {},
            ip=meta.ip,
            user_agent=meta.user_agent,
            request_id=meta.request_id,
            prev_hash=head.last_hash,
        )
        event.hash = event.compute_hash()
        event.save()
        AuditChainHead.objects.filter(pk=1).update(last_hash=event.hash, count=head.count + 1)
    return event


def verify_chain(*, batch_size: int = 2000) -> tuple[bool, int, int | None]:
    """Walk the chain in order. Returns (ok, events_checked, id_of_first_bad_event)."""
    prev = GENESIS_HASH
    checked = 0
    last_id = 0
    while True:
        batch = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            break
        for event in batch:
            if event.prev_hash != prev or event.compute_hash() != event.hash:
                return False, checked, event.id
            prev = event.hash
            checked += 1
            last_id = event.id
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_hash != prev or head.count != checked):
        # Events removed at the tail (or the head tampered with) break the link to the head.
        return False, checked, None
    return True, checked, None
