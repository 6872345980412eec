"""The service-performance figures against a plain Python count of the same referrals, rights and cases.

sinergi.maps.performance computes them in a few grouped queries (SQLite's own functions for durations
and local dates, the rights per victim counted distinct in Python); a wrong rewrite of any of them makes
this fail. The data is random (seeded) but kept awkward on purpose: odd microseconds, responses around
local midnight of the due date, a victim referred twice to one agency, referrals without a victim,
outside the period or of another tenant, an adult victim with rights left over.
"""

import datetime as dt
import random

import pytest
from django.conf import settings
from django.utils import translation

from sinergi.cases import taxonomy as t
from sinergi.cases.models import Case, Person, Referral, RightItem
from sinergi.cases.tests.factories import (
    PerpetratorInputFactory,
    PersonInputFactory,
    make_case,
    make_referral,
)
from sinergi.core.clock import tenant_today, tenant_zone
from sinergi.maps import office
from sinergi.tenants.models import Agency
from sinergi.tenants.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

PERF = "/api/v1/maps/performance/"
SERVICES = [t.ServiceType.SOCIAL_REHAB, t.ServiceType.MEDICAL, t.ServiceType.LEGAL_AID]


@pytest.fixture
def data(tenant, other_tenant, cm, dinsos, make_user):
    """About 40 referrals of a year (and a few outside it) with random statuses, times and rights."""
    tenant.timezone = "Asia/Makassar"  # not the settings' zone: local dates must use the tenant's
    tenant.save()
    rng = random.Random(20261204)
    zone = tenant_zone(tenant)
    year = tenant_today(tenant).year - 1
    agencies = [dinsos, AgencyFactory(tenant=tenant, kind=Agency.Kind.DINKES, short_name="Dinkes")]
    agencies.append(AgencyFactory(tenant=tenant, kind=Agency.Kind.POLICE_PPA, short_name="Polres"))

    def instant(day: dt.date, hour: int, minute: int, micro: int) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, minute, rng.randrange(60), micro), zone)

    made = []
    for i in range(14):
        people = [PersonInputFactory(), PerpetratorInputFactory()]
        if i % 3 == 0:
            people.insert(1, PersonInputFactory(adult=True))
        reported = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(-20, 380))
        case = make_case(cm, tenant, people=people, reported_on=reported)
        created = instant(reported, rng.randrange(24), rng.randrange(60), rng.randrange(1, 10**6))
        responded = None if i % 4 == 1 else created + dt.timedelta(seconds=rng.randrange(600, 200_000))
        due = created + dt.timedelta(hours=rng.choice([24, 72]))
        Case.objects.filter(pk=case.pk).update(
            created_at=created, first_responded_at=responded, first_response_due_at=due
        )
        victims = list(case.people.filter(role=Person.Role.VICTIM))
        for _ in range(rng.randrange(1, 5)):
            made.append((case, rng.choice([*victims, None])))
    for n, (case, victim) in enumerate(made):
        referral = make_referral(cm, case, dinsos)
        day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(-10, 375))
        requested = instant(day, rng.randrange(24), rng.randrange(60), rng.randrange(10**6))
        due_on = requested.astimezone(zone).date() + dt.timedelta(days=rng.randrange(0, 8))
        status = rng.choice(t.ReferralStatus.values)
        fields = {
            "agency": rng.choice(agencies),
            "service_type": rng.choice(SERVICES),
            "victim": victim,
            "status": status,
            "requested_at": requested,
            "due_on": due_on,
            "responded_at": None,
            "completed_at": None,
        }
        if status != t.ReferralStatus.PENDING and n % 5:
            # Around local midnight at the end of the due date: late by minutes, or in time by minutes.
            edge = dt.datetime.combine(due_on + dt.timedelta(days=1), dt.time.min, zone)
            fields["responded_at"] = max(
                requested + dt.timedelta(microseconds=1),
                edge + dt.timedelta(minutes=rng.randrange(-90, 90), microseconds=rng.randrange(10**6)),
            )
        if status == t.ReferralStatus.COMPLETED and fields["responded_at"]:
            fields["completed_at"] = fields["responded_at"] + dt.timedelta(seconds=rng.randrange(1, 10**6))
        Referral.objects.filter(pk=referral.pk).update(**fields)
    # A second referral of one child victim to the same agency for another service (counted once there).
    first = Referral.objects.filter(tenant=tenant, victim__is_child=True).order_by("requested_at").first()
    twin = make_referral(cm, first.case, dinsos)
    Referral.objects.filter(pk=twin.pk).update(
        agency=first.agency, service_type=t.ServiceType.SHELTER, victim=first.victim, requested_at=first.requested_at
    )
    # Another tenant's referral in the same period must not count.
    other_cm = make_user(tenant=other_tenant)
    other_agency = AgencyFactory(tenant=other_tenant, kind=Agency.Kind.DINSOS, short_name="Dinsos")
    other_case = make_case(other_cm, other_tenant, reported_on=dt.date(year, 6, 1), district_code="")
    other = make_referral(other_cm, other_case, other_agency)
    Referral.objects.filter(pk=other.pk).update(requested_at=dt.datetime(year, 6, 1, 3, tzinfo=zone))
    # Rights (after the referrals, which derive them) per child: no need at all, every need fulfilled, or some need still open.
    profiles = {
        "none": [t.RightStatus.NOT_NEEDED],
        "done": [t.RightStatus.NOT_NEEDED, t.RightStatus.FULFILLED],
        "open": t.RightStatus.values,
    }
    for victim_id in RightItem.objects.filter(tenant=tenant).values_list("victim_id", flat=True).distinct():
        choices = profiles[rng.choice(list(profiles))]
        for item in RightItem.objects.filter(victim_id=victim_id):
            RightItem.objects.filter(pk=item.pk).update(status=rng.choice(choices))
    # A victim referred in the period, no longer a child (age corrected), with rights left over: not counted.
    grown = (
        Referral.objects.filter(tenant=tenant, victim__is_child=True, requested_at__year=year)
        .exclude(pk=first.pk)
        .values_list("victim_id", flat=True)
        .first()
    )
    RightItem.objects.filter(victim_id=grown).update(status=t.RightStatus.FULFILLED)
    Person.objects.filter(pk=grown).update(is_child=False)
    office.map_cache_bump(tenant)
    return year


def _mean_hours(durations: list[dt.timedelta]) -> float | None:
    if not durations:
        return None
    return round((sum(durations, dt.timedelta()) / len(durations)).total_seconds() / 3600, 1)


def _reference(tenant, year: int) -> dict:
    """The figures by definition, from the rows in Python."""
    zone = tenant_zone(tenant)
    today = tenant_today(tenant)
    start = dt.datetime(year, 1, 1, tzinfo=zone)
    end = dt.datetime(year + 1, 1, 1, tzinfo=zone)
    refs = [
        r
        for r in Referral.objects.filter(tenant=tenant).select_related("agency", "victim")
        if start <= r.requested_at < end
    ]
    statuses: dict = {}
    for item in RightItem.objects.all():
        statuses.setdefault(item.victim_id, []).append(item.status)

    def figures(rows: list[Referral]) -> dict:
        return {
            "referrals": len(rows),
            "accepted": sum(r.status in (t.ReferralStatus.ACCEPTED, t.ReferralStatus.COMPLETED) for r in rows),
            "declined": sum(r.status == t.ReferralStatus.DECLINED for r in rows),
            "completed": sum(r.status == t.ReferralStatus.COMPLETED for r in rows),
            "overdue": sum(r.status in t.OPEN_REFERRAL_STATUSES and r.due_on < today for r in rows),
            "answered_late": sum(
                bool(r.responded_at) and r.responded_at.astimezone(zone).date() > r.due_on for r in rows
            ),
            "answer_hours": _mean_hours([r.responded_at - r.requested_at for r in rows if r.responded_at]),
            "completion_hours": _mean_hours([r.completed_at - r.requested_at for r in rows if r.completed_at]),
        }

    def share(rows: list[Referral]) -> dict:
        children = {r.victim_id for r in rows if r.victim and r.victim.is_child}
        needs = {v for v in children if any(s != t.RightStatus.NOT_NEEDED for s in statuses.get(v, []))}
        done = {v for v in needs if not any(s in t.UNRESOLVED_RIGHT_STATUSES for s in statuses[v])}
        return {
            "child_victims_with_needs": len(needs),
            "all_rights_fulfilled": len(done),
            "fulfilled_share": round(100 * len(done) / len(needs), 1) if needs else None,
        }

    with translation.override(settings.LANGUAGE_CODE):  # the API's language
        labels = {key: str(label) for key, label in t.ServiceType.choices}
    agencies = []
    for agency in sorted({r.agency for r in refs}, key=lambda a: a.name):
        mine = [r for r in refs if r.agency == agency]
        services = [
            {
                "service_type": s,
                "service_label": labels[s],
                **figures([r for r in mine if r.service_type == s]),
                **share([r for r in mine if r.service_type == s]),
            }
            for s in sorted({r.service_type for r in mine})
        ]
        agencies.append(
            {"agency_id": str(agency.pk), "agency": agency.name, **figures(mine), **share(mine), "services": services}
        )
    cases = list(Case.objects.filter(tenant=tenant, reported_on__year=year))
    answered = [c for c in cases if c.first_responded_at]

    def month(r: Referral) -> str:
        return r.requested_at.astimezone(zone).strftime("%Y-%m")

    trend = []
    for m in sorted({month(r) for r in refs}):
        reported = [c for c in answered if c.reported_on.strftime("%Y-%m") == m]
        trend.append(
            {
                "month": m,
                **figures([r for r in refs if month(r) == m]),
                "first_response_hours": _mean_hours([c.first_responded_at - c.created_at for c in reported]),
            }
        )
    return {
        "period": {"from": f"{year}-01-01", "to": f"{year}-12-31"},
        "first_response": {
            "cases": len(cases),
            "responded": len(answered),
            "in_time": sum(c.first_responded_at <= c.first_response_due_at for c in answered),
            "hours": _mean_hours([c.first_responded_at - c.created_at for c in answered]),
        },
        "totals": figures(refs),
        "agencies": agencies,
        "trend": trend,
    }


def test_performance_figures_equal_a_plain_count(client_for, head, tenant, data):
    year = data
    expected = _reference(tenant, year)
    # The fixture is awkward enough to matter: some late answers, shared and fulfilled victims, etc.
    assert expected["totals"]["answered_late"] > 0
    assert expected["totals"]["answered_late"] < sum(r["referrals"] for r in expected["trend"])
    assert any(a["all_rights_fulfilled"] for a in expected["agencies"])
    assert any(a["child_victims_with_needs"] > a["all_rights_fulfilled"] for a in expected["agencies"])
    response = client_for(head).get(PERF, {"year": year})
    assert response.status_code == 200
    got = response.json()
    for key in expected:
        if key == "agencies":
            for mine, theirs in zip(got[key], expected[key], strict=True):
                for k in theirs:
                    if k == "services":
                        for a, b in zip(mine[k], theirs[k], strict=True):
                            assert a == b, (theirs["agency"], a["service_type"])
                    assert mine[k] == theirs[k], (theirs["agency"], k)
        assert got[key] == expected[key], key
    assert got == expected
