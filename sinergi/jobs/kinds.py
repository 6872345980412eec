"""Kinds of background job: who may start one, how its parameters are checked, and what runs it.

An app registers its kinds from its own `jobs.py` (found by JobsConfig.ready), so the jobs app never
imports the apps above it:

    register(
        "simfoni_xlsx",
        label=_("SIMFONI-PPA export (XLSX)"),
        permission="cases.export_simfoni",   # the same rule as the synchronous path
        prepare=prepare,                      # (actor=, params=) -> params to store; validates and audits
        run=run,                              # (job=, params=, progress=, path=) -> JobOutput
    )

`prepare` runs in the request of the user who starts the job: it raises ValidationError for bad
input, records the audit event of the action and returns the JSON parameters to store (never identity
data). `run` runs in the worker: it writes the result file at `path`, calls `progress(percent, message)`
as it goes, and returns the download name and content type. Raise `JobError` with a safe message to
fail the job with that text; any other exception fails it with a generic one (the trace goes to the log).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol


class JobError(Exception):
    """A failure whose message is safe to show to the requester (no identity data, no internals)."""


class Progress(Protocol):
    def __call__(self, percent: float, message: str = "") -> None: ...


@dataclass(frozen=True)
class JobOutput:
    name: str
    content_type: str


def _own_tenant(actor: Any, params: dict) -> Any:
    return actor.tenant


@dataclass(frozen=True)
class JobKind:
    slug: str
    label: Any  # lazy text
    permission: str
    prepare: Callable[..., dict] = field(compare=False)
    run: Callable[..., JobOutput] = field(compare=False)
    # (actor, params) -> the object the permission is checked on; by default the actor's tenant.
    target: Callable[[Any, dict], Any] = field(default=_own_tenant, compare=False)


_KINDS: dict[str, JobKind] = {}


def register(
    slug: str,
    *,
    label: Any,
    permission: str,
    prepare: Callable[..., dict],
    run: Callable[..., JobOutput],
    target: Callable[[Any, dict], Any] = _own_tenant,
) -> JobKind:
    """Register a job kind (see the module docstring)."""
    kind = JobKind(slug=slug, label=label, permission=permission, prepare=prepare, run=run, target=target)
    _KINDS[slug] = kind
    return kind


def get(slug: str) -> JobKind:
    """The registered kind; KeyError when no app registered it."""
    return _KINDS[slug]


def registered() -> list[JobKind]:
    return sorted(_KINDS.values(), key=lambda k: k.slug)


def label(slug: str) -> Any:
    kind = _KINDS.get(slug)
    return kind.label if kind else slug
