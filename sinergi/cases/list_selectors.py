"""Reads of the case list: the cases a user may open, the list's filters, search by number and by a child's
exact name (blind name index), and the list's paging (ids, count, rows). Re-exported by cases.selectors."""

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models import Case as DbCase
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.roles import Role
from sinergi.core.crypto import name_birth_index, nik_index

from . import case_counts, name_index, overdue
from .models import Case, Person, PersonNameKey, Referral
from .policy import VISIBLE_REFERRAL_STATUSES, is_case_worker, referred_only_agency, visible_cases_q
from .taxonomy import Stage


def case_queryset_for_user(*, user: Any) -> QuerySet[Case]:
    q = visible_cases_q(user)
    if q is None:
        return Case.objects.none()
    return Case.objects.filter(q)


@dataclass(frozen=True)
class CaseFilters:
    stage: str = ""
    risk: str = ""
    category: str = ""
    district: str = ""
    overdue: bool = False
    mine: bool = False
    referred_to_my_agency: bool = False
    number: str = ""
    identity_nik: str = ""
    identity_name: str = ""
    identity_birth_date: dt.date | None = None
    reported_from: dt.date | None = None
    reported_to: dt.date | None = None


# Filters on case-team data: used by anyone else they would let a referred agency or a Satgas volunteer
# infer the category, risk, kecamatan or deadlines of a case it may open (e.g. "which of my referrals is
# sexual violence?"), so they are refused outside the case team, as the HTML form leaves them out.
TEAM_ONLY_FILTERS = ("risk", "category", "district", "overdue", "mine")
ERR_TEAM_FILTER = _("These filters are for the case team: %(filters)s.")


# What a list row (HTML or API) never shows: not read, so the encrypted columns are not decrypted either.
LIST_DEFERRED_FIELDS = ("chronology", "closure_note", "closure_override_reason", "triage", "forms", "channel_detail")


def case_list_for_user(*, user: Any, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """Cases the user may see, filtered on the server. Identity search goes through blind indexes."""
    f = filters or CaseFilters()
    used = [name for name in TEAM_ONLY_FILTERS if getattr(f, name)]
    if used and not is_case_worker.test(user):
        raise ValidationError(ERR_TEAM_FILTER, params={"filters": ", ".join(used)}, code="team_only_filter")
    qs = case_queryset_for_user(user=user)
    if f.stage:
        qs = qs.filter(stage=f.stage)
    if f.risk:
        qs = qs.filter(risk_level=f.risk)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.district:
        qs = qs.filter(district_id=f.district)
    if f.reported_from:
        qs = qs.filter(reported_on__gte=f.reported_from)
    if f.reported_to:
        qs = qs.filter(reported_on__lte=f.reported_to)
    if f.mine:
        qs = qs.filter(assigned_to_id=user.pk)
    if f.referred_to_my_agency:
        qs = qs.filter(
            pk__in=Referral.objects.filter(agency_id=user.agency_id, status__in=VISIBLE_REFERRAL_STATUSES).values(
                "case_id"
            )
        )
    if f.overdue:
        qs = qs.filter(_overdue_q())
    if f.number:
        qs = qs.filter(case_number_q(f.number))
    # Exact identity search only for the case team (blind index: equality, never partial match).
    if (f.identity_nik or f.identity_name) and user.role in (Role.CASE_MANAGER, Role.OFFICE_HEAD):
        person_q = Q(pk__in=[])
        if f.identity_nik:
            person_q |= Q(nik_bidx=nik_index(f.identity_nik))
        if f.identity_name and f.identity_birth_date:
            person_q |= Q(name_dob_bidx=name_birth_index(f.identity_name, f.identity_birth_date))
        elif f.identity_name:  # the exact full name alone, through the name index
            person_q |= Q(pk__in=_name_keys(tenant_id=user.tenant_id, name=f.identity_name).values("person_id"))
        qs = qs.filter(pk__in=Person.objects.filter(person_q, tenant_id=user.tenant_id).values("case_id"))
    elif f.identity_nik or f.identity_name:
        qs = qs.none()
    return (
        qs.select_related("district", "assigned_to")
        .defer(*LIST_DEFERRED_FIELDS)
        .order_by("-reported_on", "-created_at", "-pk")  # total: pages never overlap on ties
    )


def case_number_q(term: str) -> Q:
    """A case number, or part of one: "PPA/KKR/2026/00017", "00017", "2026/0001"; digits alone shorter than
    the sequence are also read as the sequence itself ("17" finds …/00017)."""
    term = term.strip()
    q = Q(number__icontains=term)
    if term.isdigit() and len(term) < 5:
        q |= Q(number__endswith=f"/{term.zfill(5)}")
    return q


def _name_keys(*, tenant_id: Any, name: str) -> QuerySet[PersonNameKey]:
    """Index rows of people of the tenant whose normalised full name is exactly `name`."""
    digest = name_index.full_name_digest(name)
    if not digest:
        return PersonNameKey.objects.none()
    return PersonNameKey.objects.filter(tenant_id=tenant_id, kind=PersonNameKey.Kind.FULL, digest=digest)


def registered_child_names(*, tenant: Any, names: list[str]) -> set[str]:
    """Which of `names` name a child in the tenant's case register (the PPRA register cross-check).

    A name matches when its normalised form is a child's full name, or when it has two tokens or more and
    every one of them is a token of one child's name ("Siti Aminah" for "Siti Nur Aminah"). Answers names
    only: never which case, how many, or anything about the child.
    """
    children = PersonNameKey.objects.filter(tenant_id=tenant.pk, person__is_child=True)
    found: set[str] = set()
    for name in dict.fromkeys(names):
        full = name_index.full_name_digest(name)
        if not full:
            continue
        if children.filter(kind=PersonNameKey.Kind.FULL, digest=full).exists():
            found.add(name)
            continue
        tokens = name_index.token_digests(name)
        if len(tokens) < 2:
            continue
        one_child_with_all = (
            children.filter(kind=PersonNameKey.Kind.TOKEN, digest__in=tokens)
            .values("person_id")
            .annotate(n=Count("digest", distinct=True))
            .filter(n=len(tokens))
        )
        if one_child_with_all.exists():
            found.add(name)
    return found


def _overdue_q() -> Q:
    """An open case whose first response, or one of whose open referrals, is past due."""
    overdue_referrals = Referral.objects.filter(
        overdue.referral_overdue_q(today=timezone.localdate()), case_id=OuterRef("pk")
    )
    return overdue.first_response_overdue_q(now=timezone.now()) | (
        Q(Exists(overdue_referrals)) & ~Q(stage=Stage.CLOSED)
    )


def _filters_set(filters: CaseFilters | None) -> set[str]:
    """The names of the filters given a value."""
    f = filters or CaseFilters()
    return {field.name for field in dataclasses.fields(f) if getattr(f, field.name)}


def case_list_page_ids(*, user: Any, filters: CaseFilters | None = None) -> QuerySet | None:
    """The ids of `case_list_for_user(user, filters)` in the same (total) order, read from one referral
    index, when the user sees exactly the cases referred to their agency and no filter narrows them;
    None otherwise (the list pages its cases). A referred agency's officer has some 10,000 of 100,000
    cases: paging them through the tenant's case index probes every case; this reads the agency's part
    of referral_agency_case_order only (two referrals of one case to one agency: one row, DISTINCT)."""
    if _filters_set(filters) - {"referred_to_my_agency"}:
        return None
    agency_id = referred_only_agency(user)
    if agency_id is None:
        return None
    return (
        Referral.objects.filter(tenant_id=user.tenant_id, agency_id=agency_id, status__in=VISIBLE_REFERRAL_STATUSES)
        .order_by("-case_reported_on", "-case_created_at", "-case_id")
        .values_list("case_id", flat=True)
        .distinct()
    )


def case_list_count(*, user: Any, filters: CaseFilters | None = None) -> int | None:
    """The length of `case_list_for_user(user, filters)` counted by parts (case_counts.visible_total) when at
    most a stage filter is set, or from the referrals (case_list_page_ids); None otherwise (the list counts
    its cases)."""
    f = filters or CaseFilters()
    ids = case_list_page_ids(user=user, filters=f)
    if ids is not None:
        return ids.count()
    if _filters_set(f) - {"stage"}:
        return None
    return case_counts.visible_total(user=user, stage=f.stage)


def case_list_rows(ids: list, *, tenant_id: Any) -> list[Case]:
    """The rows of a list page chosen by `case_list_for_user` or `case_list_page_ids` (visible and filtered),
    loaded by primary key, with what a row shows. Not running the visibility filter again matters: its
    "referred to my agency" subquery would read all of the agency's referrals for 25 rows. The tenant is
    checked again all the same (ids read from the referrals rest on the referral's own tenant), on the
    loaded rows: as a WHERE term SQLite (no ANALYZE) would walk the tenant's index instead of the 25 keys."""
    rows = case_list_with_overdue_flag(
        Case.objects.filter(pk__in=ids).select_related("district", "assigned_to").defer(*LIST_DEFERRED_FIELDS)
    )
    return [case for case in rows if case.tenant_id == tenant_id]


def case_list_with_overdue_flag(qs: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate `is_overdue` (same rule as the "overdue" filter) in the same query."""
    return qs.annotate(
        is_overdue=DbCase(When(_overdue_q(), then=Value(True)), default=Value(False), output_field=BooleanField())
    )
