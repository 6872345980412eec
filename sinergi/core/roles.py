"""Roles: the only place that names them. Permission rules use these sets, never string compares."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    OFFICE_HEAD = "office_head", _("Office head (kepala dinas)")
    CASE_MANAGER = "case_manager", _("Case manager (UPTD PPA)")
    SERVICE_PROVIDER = "service_provider", _("Service provider (referred agency officer)")
    SATGAS_VOLUNTEER = "satgas_volunteer", _("Satgas PPA volunteer")
    TASKFORCE_SECRETARIAT = "taskforce_secretariat", _("Task-force secretariat")
    OPD_EVIDENCE_OFFICER = "opd_evidence_officer", _("OPD evidence officer")
    COMMUNICATIONS_OFFICER = "communications_officer", _("Communications officer")
    ANALYST = "analyst", _("Analyst (aggregates only)")


# Roles that can read victim identities (in full or per need-to-know): TOTP is mandatory for them.
IDENTITY_READER_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.OFFICE_HEAD, Role.CASE_MANAGER, Role.SERVICE_PROVIDER})
SUPERVISOR_ROLES = frozenset({Role.OFFICE_HEAD, Role.SYSTEM_ADMIN})
# Who, at a referred agency, may open the referred case (need-to-know; all of them use TOTP). Other
# roles of the same office (evidence, communications, analysts...) never see case data.
AGENCY_READER_ROLES = frozenset({Role.SERVICE_PROVIDER, Role.CASE_MANAGER, Role.OFFICE_HEAD})
# Agency staff in the task forces: they see the meetings their agency is invited to and the agreements it
# owns or supports, and update those it owns.
TASKFORCE_AGENCY_ROLES = frozenset(
    {Role.SERVICE_PROVIDER, Role.CASE_MANAGER, Role.OPD_EVIDENCE_OFFICER, Role.COMMUNICATIONS_OFFICER}
)

# KLA evaluation: the secretariat (DP3A office roles) runs the workspace; an OPD evidence officer works
# only on the indicators assigned to its own agency.
KLA_SECRETARIAT_ROLES = frozenset({Role.TASKFORCE_SECRETARIAT, Role.OFFICE_HEAD})
KLA_OPD_ROLES = frozenset({Role.OPD_EVIDENCE_OFFICER})


def requires_2fa(role: str) -> bool:
    return role in IDENTITY_READER_ROLES


# Who may grant what: an administrator grants roles up to their own rank, never above it.
_ROLE_RANK: dict[str, int] = {Role.SYSTEM_ADMIN: 2, Role.OFFICE_HEAD: 1}
USER_ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.OFFICE_HEAD})


def role_rank(role: str) -> int:
    return _ROLE_RANK.get(role, 0)
