"""Append-only, hash-chained audit events.

Nothing in the app updates or deletes an AuditEvent: the model refuses it, the admin and API are
read-only, and on PostgreSQL a trigger refuses UPDATE/DELETE on the table (migration 0002).
"""

import hashlib
import json
import uuid

from django.db import models

APPEND_ONLY = "Audit events are append-only."


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError(APPEND_ONLY)

    def delete(self):
        raise PermissionError(APPEND_ONLY)

    def bulk_update(self, objs, fields, batch_size=None):
        raise PermissionError(APPEND_ONLY)

    def bulk_create(self, objs, *args, **kwargs):
        # Rows written around `services.record` would not be linked into the hash chain.
        raise PermissionError("Write audit events with sinergi.audit.services.record().")


class AuditEvent(models.Model):
    id = models.BigAutoField(primary_key=True)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(db_index=True)
    tenant = models.ForeignKey("tenants.Tenant", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=60, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    # Names of fields touched or revealed. Never values of secret fields.
    fields = models.JSONField(default=list, blank=True)
    extra = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        # Only "view" exists as a Django permission: nobody may add, change or delete events by hand.
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["tenant", "object_type", "object_id"], name="audit_tenant_object"),
            models.Index(fields=["tenant", "actor", "-created_at"], name="audit_tenant_actor"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError(APPEND_ONLY)
        if not self.hash or self.hash != self.compute_hash():
            raise PermissionError("Write audit events with sinergi.audit.services.record().")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(APPEND_ONLY)

    def canonical_payload(self) -> str:
        return json.dumps(
            {
                "uuid": str(self.uuid),
                "created_at": self.created_at.isoformat(),
                "tenant": str(self.tenant_id) if self.tenant_id else None,
                "actor": str(self.actor_id) if self.actor_id else None,
                "actor_label": self.actor_label,
                "action": self.action,
                "object_type": self.object_type,
                "object_id": self.object_id,
                "fields": list(self.fields),
                "extra": self.extra,
                "ip": self.ip,
                "user_agent": self.user_agent,
                "request_id": self.request_id,
            },
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=True,
        )

    def compute_hash(self) -> str:
        return hashlib.sha256((self.prev_hash + self.canonical_payload()).encode()).hexdigest()


class AuditChainHead(models.Model):
    """Single row holding the newest hash; locked while appending so the chain stays linear."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    count = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"audit chain head: {self.count} events, {self.last_hash[:12]}…"
