"""The per-tenant case counters behind the dashboard (models.CaseStageCount): one row per tenant, assignee
and stage. The case services move a case between rows in the same transaction as the change, through
`case_created` and `case_save`; reads sum a few rows instead of counting 100,000 cases.

Concurrency: a move is `UPDATE ... SET n = n + 1` (atomic in the database), and the row of a new key is
created inside a savepoint, so two transactions creating it at once end with one row and both counted.
The "before" key is read from the locked case row, never from a possibly stale instance.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum

from .models import Case, CaseStageCount
from .policy import visible_cases_parts
from .taxonomy import Stage

Key = tuple[Any, str]  # (assigned_to_id or None, stage)


def _bump(*, tenant_id: Any, key: Key, delta: int) -> None:
    assignee, stage = key
    rows = CaseStageCount.objects.filter(tenant_id=tenant_id, assigned_to_id=assignee, stage=stage)
    if rows.update(n=F("n") + delta):
        return
    try:
        with transaction.atomic():
            CaseStageCount.objects.create(tenant_id=tenant_id, assigned_to_id=assignee, stage=stage, n=delta)
    except IntegrityError:  # created by a concurrent transaction meanwhile (or n < 0: a bug, re-raised below)
        if not rows.update(n=F("n") + delta):
            raise


def _move(*, tenant_id: Any, before: Key | None, after: Key | None) -> None:
    if before == after:
        return
    if before is not None:
        _bump(tenant_id=tenant_id, key=before, delta=-1)
    if after is not None:
        _bump(tenant_id=tenant_id, key=after, delta=1)


def case_created(case: Case) -> None:
    """Count a case just inserted (inside the intake transaction)."""
    _move(tenant_id=case.tenant_id, before=None, after=(case.assigned_to_id, case.stage))


def case_save(case: Case, *, update_fields: list[str]) -> None:
    """`case.save(update_fields=...)` that keeps the counters: the stored key is read under a row lock."""
    if not {"stage", "assigned_to"} & set(update_fields):
        case.save(update_fields=update_fields)
        return
    before = Case.objects.select_for_update().filter(pk=case.pk).values_list("assigned_to_id", "stage").get()
    case.save(update_fields=update_fields)
    _move(tenant_id=case.tenant_id, before=tuple(before), after=(case.assigned_to_id, case.stage))


@transaction.atomic
def rebuild(*, tenant_id: Any | None = None) -> int:
    """Recompute the counters from the cases (after a bulk load, or to repair); returns the rows written."""
    cases = Case.objects.all() if tenant_id is None else Case.objects.filter(tenant_id=tenant_id)
    counters = CaseStageCount.objects.all() if tenant_id is None else CaseStageCount.objects.filter(tenant_id=tenant_id)
    counters.delete()
    rows = [
        CaseStageCount(tenant_id=r["tenant_id"], assigned_to_id=r["assigned_to_id"], stage=r["stage"], n=r["n"])
        for r in cases.order_by().values("tenant_id", "assigned_to_id", "stage").annotate(n=Count("pk"))
    ]
    CaseStageCount.objects.bulk_create(rows)
    return len(rows)


def stage_counts(*, tenant_id: Any, assignees: tuple | None, me: Any) -> dict[str, int]:
    """open / new / mine over the counter rows of `assignees` (None: every row of the tenant)."""
    rows = _rows(tenant_id=tenant_id, assignees=assignees)
    agg = rows.aggregate(
        open=Sum("n", filter=~Q(stage=Stage.CLOSED), default=0),
        new=Sum("n", filter=Q(stage=Stage.RECEIVED), default=0),
        mine=Sum("n", filter=Q(assigned_to_id=me) & ~Q(stage=Stage.CLOSED), default=0),
    )
    return {k: int(v) for k, v in agg.items()}


def _rows(*, tenant_id: Any, assignees: tuple | None):
    rows = CaseStageCount.objects.filter(tenant_id=tenant_id)
    if assignees is not None:
        scope = Q(pk__in=[])
        for assignee in assignees:
            scope |= Q(assigned_to__isnull=True) if assignee is None else Q(assigned_to_id=assignee)
        rows = rows.filter(scope)
    return rows


def total(*, tenant_id: Any, stage: str = "", assignees: tuple | None = None) -> int:
    """How many cases of the tenant (in `stage`, of `assignees` if given; None: unassigned) the counters hold."""
    rows = _rows(tenant_id=tenant_id, assignees=assignees)
    if stage:
        rows = rows.filter(stage=stage)
    return int(rows.aggregate(n=Sum("n", default=0))["n"])


def visible_total(*, user: Any, stage: str = "") -> int | None:
    """How many cases (in `stage`, if given) `user` may open, counted by parts; None: nothing visible.

    One COUNT over "assigned to me OR unassigned OR referred to my agency" walks every case of the tenant
    (SQLite does not split the OR over its indexes). By parts (policy.visible_cases_parts): the assignee part
    from the counters, plus the other branches, minus their overlap with the assignee part (read only when
    the other branches hold any case)."""
    parts = visible_cases_parts(user)
    if parts is None:
        return None
    base, assignees, others = parts
    if assignees is None:
        return total(tenant_id=user.tenant_id, stage=stage)
    n = total(tenant_id=user.tenant_id, stage=stage, assignees=assignees) if assignees else 0
    other = Case.objects.filter(base & others)
    if stage:
        other = other.filter(stage=stage)
    n_other = other.count()
    if n_other:
        for assignee in assignees:  # each its own index look-up (an OR of them would walk the tenant again)
            both = other.filter(assigned_to__isnull=True) if assignee is None else other.filter(assigned_to_id=assignee)
            n_other -= both.count()
    return n + n_other
