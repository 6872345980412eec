"""Service performance per agency and per service, computed in the database (GROUP BY), cached per tenant.

Over the referrals requested in a period (tenant time): how many, how fast the agency answered and
completed, how many were declined, overdue now (sinergi.cases.overdue: still open past the due date) or
answered after the due date,
and, of the child victims referred to the agency whose needs were assessed, the share whose needed
rights are all fulfilled. The office's own time to first response is measured on the cases reported
in the period. Per month for the trend. Figures about agencies, not children: no small-count
protection, but only for readers with `maps.view_service_performance`.
"""

import datetime as dt
from typing import Any

from django.db.models import Avg, Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, Sum

from sinergi.cases import taxonomy as t
from sinergi.cases.models import Case, Referral, RightItem
from sinergi.cases.overdue import referral_overdue_q
from sinergi.cases.statistics import Period
from sinergi.core import policy
from sinergi.core.clock import tenant_today, tenant_zone
from sinergi.tenants.models import Agency, Tenant

from .office import cached, month_index, month_starts

ANSWERED = (t.ReferralStatus.ACCEPTED, t.ReferralStatus.COMPLETED)


def _hours(value: dt.timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 3600, 1)


def _bounds(tenant: Tenant, period: Period) -> tuple[dt.datetime, dt.datetime]:
    zone = tenant_zone(tenant)
    start = dt.datetime.combine(period.date_from, dt.time.min, zone)
    end = dt.datetime.combine(period.date_to + dt.timedelta(days=1), dt.time.min, zone)
    return start, end


def _duration(later: str, earlier: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(later) - F(earlier), output_field=DurationField())


COUNTS = ("referrals", "accepted", "declined", "completed", "overdue", "answered_late", "answered", "closed")
DURATIONS = ("answer_time", "completion_time")


def _referral_aggregates(today: dt.date) -> dict[str, Any]:
    """Counts and sums only, so that the groups of one GROUP BY add up to every coarser table."""
    return {
        "referrals": Count("pk"),
        "accepted": Count("pk", filter=Q(status__in=ANSWERED)),
        "declined": Count("pk", filter=Q(status=t.ReferralStatus.DECLINED)),
        "completed": Count("pk", filter=Q(status=t.ReferralStatus.COMPLETED)),
        "overdue": Count("pk", filter=referral_overdue_q(today=today)),
        "answered_late": Count("pk", filter=Q(responded_at__isnull=False, responded_at__date__gt=F("due_on"))),
        "answered": Count("pk", filter=Q(responded_at__isnull=False)),
        "answer_time": Sum(_duration("responded_at", "requested_at"), filter=Q(responded_at__isnull=False)),
        "closed": Count("pk", filter=Q(completed_at__isnull=False)),
        "completion_time": Sum(_duration("completed_at", "requested_at"), filter=Q(completed_at__isnull=False)),
    }


def _add(into: dict, values: dict) -> dict:
    for key in COUNTS:
        into[key] = into.get(key, 0) + values[key]
    for key in DURATIONS:
        if values[key] is not None:
            into[key] = into.get(key, dt.timedelta(0)) + values[key]
    return into


def _row(values: dict) -> dict:
    def mean(total: dt.timedelta | None, n: int) -> float | None:
        return _hours(total / n) if total is not None and n else None

    return {
        "referrals": values.get("referrals", 0),
        "accepted": values.get("accepted", 0),
        "declined": values.get("declined", 0),
        "completed": values.get("completed", 0),
        "overdue": values.get("overdue", 0),
        "answered_late": values.get("answered_late", 0),
        "answer_hours": mean(values.get("answer_time"), values.get("answered", 0)),
        "completion_hours": mean(values.get("completion_time"), values.get("closed", 0)),
    }


def service_performance(*, user: Any, tenant: Tenant, period: Period) -> dict:
    policy.require(user, "maps.view_service_performance", tenant)
    today = tenant_today(tenant)
    return cached(tenant, "performance", f"{period.slug}:{today}", lambda: _performance(tenant, period, today))


def _performance(tenant: Tenant, period: Period, today: dt.date) -> dict:
    start, end = _bounds(tenant, period)
    refs = Referral.objects.filter(tenant=tenant, requested_at__gte=start, requested_at__lt=end).order_by()
    agg = _referral_aggregates(today)
    names = dict(Agency.objects.filter(tenant=tenant).values_list("pk", "name"))

    # Child victims referred to each agency whose needs were assessed (a needed right), and of them
    # those with no needed right still open.
    needed = RightItem.objects.filter(victim=OuterRef("victim_id")).exclude(status=t.RightStatus.NOT_NEEDED)
    still_open = RightItem.objects.filter(victim=OuterRef("victim_id"), status__in=t.UNRESOLVED_RIGHT_STATUSES)
    rights = (
        refs.filter(victim__is_child=True)
        .annotate(has_needs=Exists(needed), has_open=Exists(still_open))
        .filter(has_needs=True)
    )
    rights_by = {
        (r["agency_id"], r["service_type"]): r
        for r in rights.values("agency_id", "service_type").annotate(
            children=Count("victim_id", distinct=True),
            fulfilled=Count("victim_id", distinct=True, filter=Q(has_open=False)),
        )
    }
    rights_agency = {
        r["agency_id"]: r
        for r in rights.values("agency_id").annotate(
            children=Count("victim_id", distinct=True),
            fulfilled=Count("victim_id", distinct=True, filter=Q(has_open=False)),
        )
    }

    def share(entry: dict | None) -> dict:
        if not entry or not entry["children"]:
            return {"child_victims_with_needs": 0, "all_rights_fulfilled": 0, "fulfilled_share": None}
        return {
            "child_victims_with_needs": entry["children"],
            "all_rights_fulfilled": entry["fulfilled"],
            "fulfilled_share": round(100 * entry["fulfilled"] / entry["children"], 1),
        }

    # One GROUP BY agency × service × month; the agency, month and overall tables are its sums.
    months = month_starts(period)
    zone = tenant_zone(tenant)
    instants = [dt.datetime.combine(m, dt.time.min, zone) for m in months]
    by_service: dict[tuple, dict] = {}
    by_agency: dict[Any, dict] = {}
    by_month: dict[int, dict] = {}
    overall: dict = {}
    groups = refs.annotate(m=month_index("requested_at", instants)).values("agency_id", "service_type", "m")
    for r in groups.annotate(**agg):
        _add(by_service.setdefault((r["agency_id"], r["service_type"]), {}), r)
        _add(by_agency.setdefault(r["agency_id"], {}), r)
        _add(by_month.setdefault(r["m"], {}), r)
        _add(overall, r)
    services_of: dict[Any, list[dict]] = {}
    service_labels = dict(t.ServiceType.choices)
    for (agency_id, service_type), values in by_service.items():
        services_of.setdefault(agency_id, []).append(
            {
                "service_type": service_type,
                "service_label": str(service_labels.get(service_type, service_type)),
                **_row(values),
                **share(rights_by.get((agency_id, service_type))),
            }
        )
    agencies = [
        {
            "agency_id": str(agency_id),
            "agency": names.get(agency_id, ""),
            **_row(values),
            **share(rights_agency.get(agency_id)),
            "services": sorted(services_of.get(agency_id, []), key=lambda s: s["service_type"]),
        }
        for agency_id, values in by_agency.items()
    ]
    agencies.sort(key=lambda a: a["agency"])
    trend = [{"month": months[m].strftime("%Y-%m"), **_row(by_month[m])} for m in sorted(by_month)]

    cases = Case.objects.filter(
        tenant=tenant, reported_on__gte=period.date_from, reported_on__lte=period.date_to
    ).order_by()
    first = cases.aggregate(
        cases=Count("pk"),
        responded=Count("pk", filter=Q(first_responded_at__isnull=False)),
        in_time=Count("pk", filter=Q(first_responded_at__lte=F("first_response_due_at"))),
        time=Avg(_duration("first_responded_at", "created_at"), filter=Q(first_responded_at__isnull=False)),
    )
    first_trend = {
        months[r["m"]].strftime("%Y-%m"): _hours(r["time"])
        for r in cases.annotate(m=month_index("reported_on", months))
        .values("m")
        .annotate(time=Avg(_duration("first_responded_at", "created_at"), filter=Q(first_responded_at__isnull=False)))
    }
    for row in trend:
        row["first_response_hours"] = first_trend.get(row["month"])
    return {
        "period": period.as_dict(),
        "first_response": {
            "cases": first["cases"],
            "responded": first["responded"],
            "in_time": first["in_time"],
            "hours": _hours(first["time"]),
        },
        "totals": _row(overall),
        "agencies": agencies,
        "trend": trend,
    }
