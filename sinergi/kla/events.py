"""The audit actions of the KLA workspace (declared with labels in plugin.py)."""

from enum import StrEnum


class Event(StrEnum):
    YEAR_LOADED = "kla.year_loaded"
    ASSIGNED = "kla.assigned"
    UNASSIGNED = "kla.unassigned"
    EVIDENCE_ADDED = "kla.evidence_added"
    EVIDENCE_REPLACED = "kla.evidence_replaced"
    EVIDENCE_REVIEWED = "kla.evidence_reviewed"
    REGULATION_SAVED = "kla.regulation_saved"
    REGULATION_RETIRED = "kla.regulation_retired"
    SELF_ASSESSED = "kla.self_assessed"
    DEADLINE_SET = "kla.deadline_set"
    DEADLINE_RETIRED = "kla.deadline_retired"
    ACTIVITY_SAVED = "kla.activity_saved"
    ACTIVITY_RETIRED = "kla.activity_retired"
    PACKAGE_EXPORTED = "kla.package_exported"
