"""Database router for an optional PostgreSQL read replica (DATABASE_REPLICA_URL), with read-your-own-writes.

Reads go to the replica only where it is safe: inside a request that `ReadYourWritesMiddleware` marked as
replica-eligible (a safe method from a user who has not written within DATABASE_REPLICA_PIN_SECONDS), and
only until that request writes or opens a transaction. Who may do what — sessions, accounts, API tokens,
2FA devices, lockouts, permissions, tenants — is always read from the primary. Everything else — every write, the worker,
management commands, migrations — uses the primary. Without a replica the router sends everything to
`default` and changes nothing.
"""

from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

# Access state is read from the primary only. A logout (or "log out everywhere"), a password change, a
# deactivated account or tenant, a revoked API token or 2FA device must take effect at once, not when a
# lagging replica catches up; and a session read from the replica and saved again (the activity stamp)
# would overwrite newer session data on the primary.
PRIMARY_ONLY_APPS = frozenset({"sessions", "accounts", "auth", "otp_totp", "otp_static", "axes", "tenants"})

_replica_allowed: ContextVar[bool] = ContextVar("sinergi_replica_allowed", default=False)


def allow_replica_reads():
    """Let this context's reads use the replica (until it writes); returns a token for `reset_replica_reads`."""
    return _replica_allowed.set(True)


def reset_replica_reads(token) -> None:
    _replica_allowed.reset(token)


def pin_to_primary() -> None:
    """From now on, this context reads from the primary (it wrote, or must see the latest data)."""
    _replica_allowed.set(False)


def replica_alias() -> str:
    return getattr(settings, "SINERGI_DB_REPLICA", "")


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        alias = replica_alias()
        if not alias or not _replica_allowed.get() or model._meta.app_label in PRIMARY_ONLY_APPS:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            # Inside a transaction the primary's view is the consistent one (and may hold our own writes).
            return DEFAULT_DB_ALIAS
        return alias

    def db_for_write(self, model, **hints):
        pin_to_primary()
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: same rows, same ids

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
