"""Roles are defined in `sinergi.core.roles` (the policy at the bottom layer needs them); re-exported here
so that callers keep importing them from accounts."""

from sinergi.core.roles import (
    AGENCY_READER_ROLES,
    IDENTITY_READER_ROLES,
    KLA_OPD_ROLES,
    KLA_SECRETARIAT_ROLES,
    SUPERVISOR_ROLES,
    TASKFORCE_AGENCY_ROLES,
    USER_ADMIN_ROLES,
    Role,
    requires_2fa,
    role_rank,
)

__all__ = [
    "AGENCY_READER_ROLES",
    "IDENTITY_READER_ROLES",
    "KLA_OPD_ROLES",
    "KLA_SECRETARIAT_ROLES",
    "SUPERVISOR_ROLES",
    "TASKFORCE_AGENCY_ROLES",
    "USER_ADMIN_ROLES",
    "Role",
    "requires_2fa",
    "role_rank",
]
