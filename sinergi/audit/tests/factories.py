"""Audit events can only be written through `services.record`, so the "factory" is a helper around it."""

from typing import Any

from sinergi.audit.models import AuditEvent
from sinergi.audit.services import record


def make_events(n: int, *, actor: Any, action: str = "case.update", obj: Any = None, **kwargs) -> list[AuditEvent]:
    return [record(actor=actor, action=action, obj=obj, **kwargs) for _ in range(n)]
