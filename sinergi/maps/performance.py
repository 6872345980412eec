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
import uuid
from typing import Any

from django.db.models import Avg, CharField, Count, ExpressionWrapper, F, Q, Sum
from django.db.models.expressions import TemporalSubtraction
from django.db.models.functions import TruncDate
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from sinergi.cases import taxonomy as t
from sinergi.cases.models import Case, Person, Referral, RightItem
from sinergi.cases.overdue import referral_overdue_q
from sinergi.cases.statistics import Period
from sinergi.core import policy
from sinergi.core.clock import tenant_today, tenant_zone
from sinergi.tenants.models import Agency, Tenant

from .office import cached, month_index, month_starts

ANSWERED = (t.ReferralStatus.ACCEPTED, t.ReferralStatus.COMPLETED)
MICROSECOND = dt.timedelta(microseconds=1)


def _hours(value: dt.timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 3600, 1)


def _bounds(tenant: Tenant, period: Period) -> tuple[dt.datetime, dt.datetime]:
    zone = tenant_zone(tenant)
    start = dt.datetime.combine(period.date_from, dt.time.min, zone)
    end = dt.datetime.combine(period.date_to + dt.timedelta(days=1), dt.time.min, zone)
    return start, end


# A datetime as SQLite stores it ('YYYY-MM-DD HH:MM:SS[.ffffff]', UTC) in whole microseconds, with SQLite's
# own functions: whole seconds from strftime('%s'), the fraction's digits padded to six.
_SQLITE_MICROSECONDS = (
    "(CAST(strftime('%%s', {0}) AS INTEGER) * 1000000 + CAST(substr({0} || '000000', 21, 6) AS INTEGER))"
)


class Elapsed(TemporalSubtraction):
    """`later - earlier` of two datetime columns, as a duration.

    Django computes it on SQLite with a Python function called per row (django_timestamp_diff: 0.8 s of
    the page at 100,000 cases); here the same exact microseconds come from SQLite's own functions. Other
    databases subtract natively, as before.
    """

    def __init__(self, later: str, earlier: str) -> None:
        super().__init__(F(later), F(earlier))

    def as_sqlite(self, compiler: Any, connection: Any) -> tuple[str, list]:
        lhs, lhs_params = compiler.compile(self.lhs)
        rhs, rhs_params = compiler.compile(self.rhs)
        sql = f"({_SQLITE_MICROSECONDS.format(lhs)} - {_SQLITE_MICROSECONDS.format(rhs)})"
        return sql, [*lhs_params, *lhs_params, *rhs_params, *rhs_params]


class LocalDate(TruncDate):
    """The date of a datetime column in the current time zone (`field__date`).

    Django casts it on SQLite with a Python function per row (0.4 s of the page at 100,000 cases). When
    the zone keeps one UTC offset over the dates concerned (`offset`; Indonesia's zones have no daylight
    saving time), SQLite's own date() with that offset gives the same date; otherwise Django's cast.
    """

    def __init__(self, field: str, *, offset: dt.timedelta | None) -> None:
        super().__init__(field)
        self.offset = offset

    def as_sqlite(self, compiler: Any, connection: Any) -> tuple[str, list]:
        if self.offset is None or connection.timezone_name != "UTC":
            return self.as_sql(compiler, connection)
        sql, params = compiler.compile(self.lhs)
        return f"date({sql}, %s)", [*params, f"{int(self.offset.total_seconds()):+d} seconds"]


def fixed_offset(zone: dt.tzinfo, start: dt.datetime, end: dt.datetime) -> dt.timedelta | None:
    """The zone's UTC offset if it is the same on every day from `start` to `end`, else None."""
    offsets = {(start + dt.timedelta(days=d)).astimezone(zone).utcoffset() for d in range((end - start).days + 2)}
    return offsets.pop() if len(offsets) == 1 else None


COUNTS = ("referrals", "accepted", "declined", "completed", "overdue", "answered_late", "answered", "closed")
DURATIONS = ("answer_time", "completion_time")


def _referral_aggregates(today: dt.date, *, offset: dt.timedelta | None) -> dict[str, Any]:
    """Counts and sums only, so that the groups of one GROUP BY add up to every coarser table.

    Counted over requested_at (never null, like the pk) so that an index holding the columns used here
    answers the query alone. `offset`: see LocalDate (the responses' local date against the due date).
    """
    n = "requested_at"
    answered_late = GreaterThan(LocalDate("responded_at", offset=offset), F("due_on"))
    return {
        "referrals": Count(n),
        "accepted": Count(n, filter=Q(status__in=ANSWERED)),
        "declined": Count(n, filter=Q(status=t.ReferralStatus.DECLINED)),
        "completed": Count(n, filter=Q(status=t.ReferralStatus.COMPLETED)),
        "overdue": Count(n, filter=referral_overdue_q(today=today)),
        "answered_late": Count(n, filter=Q(responded_at__isnull=False) & Q(answered_late)),
        "answered": Count(n, filter=Q(responded_at__isnull=False)),
        "answer_time": Sum(Elapsed("responded_at", "requested_at"), filter=Q(responded_at__isnull=False)),
        "closed": Count(n, filter=Q(completed_at__isnull=False)),
        "completion_time": Sum(Elapsed("completed_at", "requested_at"), filter=Q(completed_at__isnull=False)),
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


def _rights_shares(refs: Any) -> tuple[dict[tuple, dict], dict[Any, dict]]:
    """Per (agency, service) and per agency: the child victims referred whose needs were assessed (a
    needed right) and, of them, those with no needed right still open. {key: {children, fulfilled}}

    One GROUP BY per victim over the rights of the period's child victims, and the (agency, service,
    victim) of the period's referrals, counted distinct in Python: a victim referred to one agency for
    two services counts once for the agency. (Before: two correlated EXISTS per referral, in two
    queries, 1 s at 100,000 cases.)
    """

    # Ids as the driver gives them (text on SQLite), without Django's conversion of each to a UUID object,
    # which took longer than the queries (0.8 s for 45,000 ids). No CAST either: grouping by it would
    # sort the rights instead of reading them in index order.
    def raw(field: str) -> ExpressionWrapper:
        return ExpressionWrapper(F(field), output_field=CharField())

    children = Person.objects.filter(is_child=True, pk__in=refs.values("victim_id")).values("pk")
    fulfilled = {
        victim: not open_rights
        for victim, open_rights in RightItem.objects.filter(victim__in=children)
        .order_by()  # Meta.ordering would join the victims for their own ordering
        .values("victim_id")
        .annotate(
            needed=Count("status", filter=~Q(status=t.RightStatus.NOT_NEEDED)),
            open=Count("status", filter=Q(status__in=t.UNRESOLVED_RIGHT_STATUSES)),
        )
        .filter(needed__gt=0)
        .values_list(raw("victim_id"), "open")
    }
    triples = set(refs.filter(victim__isnull=False).values_list(raw("agency_id"), "service_type", raw("victim_id")))
    by_service: dict[tuple, list[int]] = {}
    by_agency: dict[str, set] = {}
    for agency, service_type, victim in triples:
        done = fulfilled.get(victim)
        if done is not None:
            entry = by_service.setdefault((agency, service_type), [0, 0])
            entry[0] += 1
            entry[1] += done
            by_agency.setdefault(agency, set()).add(victim)
    agency_ids = {a: a if isinstance(a, uuid.UUID) else uuid.UUID(a) for a in by_agency}
    return (
        {(agency_ids[a], s): {"children": n, "fulfilled": f} for (a, s), (n, f) in by_service.items()},
        {
            agency_ids[a]: {"children": len(victims), "fulfilled": sum(fulfilled[v] for v in victims)}
            for a, victims in by_agency.items()
        },
    )


def service_performance(*, user: Any, tenant: Tenant, period: Period) -> dict:
    policy.require(user, "maps.view_service_performance", tenant)
    today = tenant_today(tenant)
    return cached(tenant, "performance", f"{period.slug}:{today}", lambda: _performance(tenant, period, today))


def _performance(tenant: Tenant, period: Period, today: dt.date) -> dict:
    start, end = _bounds(tenant, period)
    refs = Referral.objects.filter(tenant=tenant, requested_at__gte=start, requested_at__lt=end).order_by()
    # Responses come after the request and before today (a margin for clocks): the dates to check.
    offset = fixed_offset(timezone.get_current_timezone(), start, timezone.now() + dt.timedelta(days=2))
    agg = _referral_aggregates(today, offset=offset)
    names = dict(Agency.objects.filter(tenant=tenant).values_list("pk", "name"))

    rights_by, rights_agency = _rights_shares(refs)

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
    # One GROUP BY month; the period's figures are the sums of the months. The mean over the period is
    # the total over the count, divided as the database's AVG does (both as doubles).
    answered = Q(first_responded_at__isnull=False)
    months_of = list(
        cases.annotate(m=month_index("reported_on", months))
        .values("m")
        .annotate(
            cases=Count("reported_on"),
            responded=Count("reported_on", filter=answered),
            in_time=Count("reported_on", filter=Q(first_responded_at__lte=F("first_response_due_at"))),
            total=Sum(Elapsed("first_responded_at", "created_at"), filter=answered),
            time=Avg(Elapsed("first_responded_at", "created_at"), filter=answered),
        )
    )
    first = {key: sum(r[key] for r in months_of) for key in ("cases", "responded", "in_time")}
    total = sum((r["total"] for r in months_of if r["total"] is not None), dt.timedelta(0))
    first["time"] = (
        dt.timedelta(microseconds=float(total // MICROSECOND) / first["responded"]) if first["responded"] else None
    )
    first_trend = {months[r["m"]].strftime("%Y-%m"): _hours(r["time"]) for r in months_of}
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
