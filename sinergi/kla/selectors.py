"""Reads of the KLA workspace, scoped by kla/policy.py (anything not visible is a 404)."""

from typing import Any
from uuid import UUID

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import Http404

from sinergi.accounts.models import User
from sinergi.core import clock, policy
from sinergi.documents.models import Document

from . import scoring
from .models import Assignment, Deadline, EvaluationYear, EvidenceItem, Indicator, RadActivity, Regulation
from .policy import is_secretariat, visible_evidence_q, visible_indicators_q


def year_get(*, year: int | None = None, tenant: Any = None) -> EvaluationYear:
    """The evaluation year asked for, else the latest loaded year not after the tenant's current year."""
    qs = EvaluationYear.objects.all()
    if year is not None:
        found = qs.filter(year=year).first()
    else:
        this_year = clock.tenant_today(tenant).year if tenant is not None else None
        found = (qs.filter(year__lte=this_year).order_by("-year").first() if this_year else None) or qs.order_by(
            "-year"
        ).first()
    if found is None:
        raise Http404
    return found


def indicators_for_user(*, user: User, year: EvaluationYear) -> QuerySet[Indicator]:
    return Indicator.objects.filter(visible_indicators_q(user), year=year).select_related("cluster").order_by("order")


def indicator_get_for_user(*, user: User, pk: UUID | str) -> Indicator:
    indicator = Indicator.objects.filter(visible_indicators_q(user), pk=pk).select_related("cluster", "year").first()
    if indicator is None:
        raise Http404
    policy.require_visible(user, "kla.view_indicator", indicator)
    return indicator


def evidence_for_user(*, user: User) -> QuerySet[EvidenceItem]:
    return (
        EvidenceItem.objects.filter(visible_evidence_q(user))
        .select_related("agency", "indicator", "indicator__cluster", "document", "regulation")
        .prefetch_related("reviews")
    )


def evidence_get_for_user(*, user: User, pk: UUID | str) -> EvidenceItem:
    item = evidence_for_user(user=user).filter(pk=pk).first()
    if item is None:
        raise Http404
    policy.require_visible(user, "kla.view_evidenceitem", item)
    return item


def assignments_for_user(*, user: User, year: EvaluationYear) -> QuerySet[Assignment]:
    qs = Assignment.objects.filter(tenant_id=user.tenant_id, indicator__year=year).select_related("agency", "indicator")
    if is_secretariat.test(user):
        return qs
    if policy.can(user, "kla.view_workspace", user.tenant):
        return qs.filter(agency_id=user.agency_id)
    return qs.none()


def regulations_for_user(*, user: User) -> QuerySet[Regulation]:
    if not policy.can(user, "kla.view_workspace", user.tenant):
        return Regulation.objects.none()
    return Regulation.objects.filter(tenant_id=user.tenant_id, retired_at__isnull=True)


def regulation_get_for_user(*, user: User, pk: UUID | str) -> Regulation:
    reg = regulations_for_user(user=user).filter(pk=pk).first()
    if reg is None:
        raise Http404
    return reg


def _linkable_owners() -> list[tuple[int, Any, Any]]:
    """The objects whose documents may be linked as KLA evidence, each with its visibility rule: meetings
    and agreements (their UANG files, minutes and evidence) — never a case or referral."""
    from sinergi.taskforces.models import Agreement, Meeting
    from sinergi.taskforces.policy import visible_agreements_q, visible_meetings_q

    return [
        (ContentType.objects.get_for_model(model).pk, model, visible_q)
        for model, visible_q in ((Meeting, visible_meetings_q), (Agreement, visible_agreements_q))
    ]


def linkable_documents(*, user: User) -> list[Document]:
    """Meeting and agreement documents `user` may see (their UANG files, minutes and evidence), newest first."""
    docs: list[Document] = []
    for owner_type_id, model, visible_q in _linkable_owners():
        owners = [str(pk) for pk in model.objects.filter(visible_q(user)).values_list("pk", flat=True)[:500]]
        docs += list(
            Document.objects.live()
            .filter(tenant_id=user.tenant_id, owner_type_id=owner_type_id, owner_id__in=owners)
            .select_related("file")[:200]
        )
    return docs


def document_is_linkable(*, user: User, document: Document) -> bool:
    """Whether `document` is one `linkable_documents` offers: a live document of a meeting or agreement of
    the user's tenant that the user may see (never a case or referral document, whoever may open it)."""
    if document.tenant_id != user.tenant_id or document.is_deleted:
        return False
    for owner_type_id, model, visible_q in _linkable_owners():
        if document.owner_type_id == owner_type_id:
            return model.objects.filter(visible_q(user), pk=document.owner_id).exists()
    return False


def deadline_get_for_user(*, user: User, pk: UUID | str) -> Deadline:
    if not policy.can(user, "kla.view_workspace", user.tenant):
        raise Http404
    row = Deadline.objects.filter(tenant_id=user.tenant_id, retired_at__isnull=True, pk=pk).first()
    if row is None:
        raise Http404
    return row


def activity_get_for_user(*, user: User, pk: UUID | str) -> RadActivity:
    row = RadActivity.objects.filter(pk=pk, retired_at__isnull=True).first()
    if row is None or not activities_for_user(user=user, year=row.indicator.year).filter(pk=pk).exists():
        raise Http404
    return row


def deadlines_for(*, tenant: Any, year: EvaluationYear) -> QuerySet[Deadline]:
    return Deadline.objects.filter(tenant=tenant, year=year, retired_at__isnull=True)


def activities_for_user(*, user: User, year: EvaluationYear) -> QuerySet[RadActivity]:
    qs = RadActivity.objects.filter(
        tenant_id=user.tenant_id, indicator__year=year, retired_at__isnull=True
    ).select_related("indicator", "agency", "agreement")
    if is_secretariat.test(user):
        return qs
    if policy.can(user, "kla.view_workspace", user.tenant):
        return qs.filter(agency_id=user.agency_id)
    return qs.none()


def score_for_user(*, user: User, year: EvaluationYear) -> scoring.YearScore:
    """The whole tenant's scores for the secretariat; an OPD officer's view covers its own assignments only."""
    policy.require_visible(user, "kla.view_workspace", user.tenant)
    agency_id = None if is_secretariat.test(user) else user.agency_id
    return scoring.year_score(tenant=user.tenant, year=year, agency_id=agency_id)


def overdue_agencies(*, score: scoring.YearScore, tenant: Any, year: EvaluationYear) -> list[tuple[str, int]]:
    """Agencies with incomplete assigned indicators once the collection deadline has passed: (name, count)."""
    from .models import DeadlineKind

    deadline = deadlines_for(tenant=tenant, year=year).filter(kind=DeadlineKind.COLLECTION).first()
    from .overdue import is_passed

    if deadline is None or not is_passed(deadline.due_on, clock.tenant_today(tenant)):
        return []
    counts: dict[str, int] = {}
    for ind in score.indicators:
        if ind.completeness < 100:
            for _ag_id, name in ind.agencies:
                counts[name] = counts.get(name, 0) + 1
    return sorted(counts.items(), key=lambda kv: -kv[1])


def special_protection_counts(*, user: User, year: EvaluationYear) -> dict | None:
    """Case counts for cluster V from the statistics selectors (counts only), for the year before the
    evaluation; None when the user may not see case statistics."""
    from sinergi.cases.statistics import monthly_statistics

    if not policy.can(user, "cases.view_statistics", user.tenant):
        return None
    stats = monthly_statistics(user=user, tenant=user.tenant, year=year.year - 1)
    return dict(stats.totals) | {"year": year.year - 1}
