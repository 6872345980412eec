"""The audit app's own tests record synthetic actions (no app owns them): they are declared here, for
the test session only, like any app declares its actions (sinergi.core.plugins.audit_events)."""

from sinergi.core import plugins

SYNTHETIC_ACTIONS = (
    "a.b",
    "auth.login",
    "case.create",
    "case.update",
    "cases_archive.read",
    "report.submit",
    "report.submitted",
    "system.check",
    "system.job",
    "test.none",
    "test.scrub",
    "user.looked_up",
    "user.update",
    "user.updated",
)
plugins.audit_events({action: f"test: {action}" for action in SYNTHETIC_ACTIONS})
