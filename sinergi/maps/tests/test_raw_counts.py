"""raw_counts (one GROUP BY over the period's cases, victims counted per case) equals counting the rows
one by one, after random cases are registered, corrected, given victims, or lose every victim."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sinergi.accounts.roles import Role
from sinergi.cases import services
from sinergi.cases import taxonomy as t
from sinergi.cases.models import Case, Person
from sinergi.cases.tests.factories import PersonInputFactory, make_case
from sinergi.core.clock import tenant_today
from sinergi.maps import office
from sinergi.regions.models import District, Village

pytestmark = pytest.mark.django_db

CATEGORIES = [t.Category.SEXUAL, t.Category.DOMESTIC, t.Category.VIOLENCE_CHILD]
AGE_BANDS = [key for key, _label in t.AGE_BAND_CHOICES]

victim = st.tuples(st.sampled_from(t.Sex.values), st.integers(min_value=2, max_value=40))
case_spec = st.fixed_dictionaries(
    {
        "place": st.integers(min_value=0, max_value=4),  # 0-1: d1 with v1/v2, 2: d1 only, 3: d2, 4: none
        "category": st.sampled_from(CATEGORIES),
        "month": st.integers(min_value=1, max_value=12),
        "last_year": st.booleans(),
        "victims": st.lists(victim, min_size=1, max_size=3),
        "then": st.sampled_from(["", "move", "add_victim", "drop_victims"]),
    }
)
query = st.fixed_dictionaries(
    {
        "level": st.sampled_from(office.LEVELS),
        "category": st.sampled_from(["", *CATEGORIES]),
        "form": st.sampled_from(["", t.ViolenceForm.SEXUAL, t.ViolenceForm.PHYSICAL]),
        "sex": st.sampled_from(["", *t.Sex.values]),
        "age_band": st.sampled_from(["", *AGE_BANDS]),
        "last_year": st.booleans(),
    }
)


def _birth(age: int, on: dt.date) -> dt.date:
    return on.replace(year=on.year - age) - dt.timedelta(days=30)


def _expected(tenant, q: office.MapQuery) -> dict:
    """The same figures from the rows, in Python."""
    col = "district_id" if q.level == "kecamatan" else "village_id"
    out: dict = {}
    cases = Case.objects.filter(tenant=tenant, reported_on__gte=q.period.date_from, reported_on__lte=q.period.date_to)
    for case in cases:
        if (q.category and case.category != q.category) or (q.form and q.form not in case.forms):
            continue
        victims = [
            p
            for p in Person.objects.filter(case=case, role=Person.Role.VICTIM)
            if (not q.sex or p.sex == q.sex) and (not q.age_band or p.age_band == q.age_band)
        ]
        if (q.sex or q.age_band) and not victims:
            continue
        entry = out.setdefault(getattr(case, col), dict.fromkeys(office.MEASURES, 0))
        entry["cases"] += 1
        entry["victims"] += len(victims)
        entry["child_victims"] += sum(p.is_child for p in victims)
    return out


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(case_spec, min_size=1, max_size=5), queries=st.lists(query, min_size=3, max_size=3))
def test_raw_counts_equal_counting_the_rows(tenant, other_tenant, make_user, specs, queries):
    worker = make_user(Role.CASE_MANAGER)
    head = make_user(Role.OFFICE_HEAD)
    year = tenant_today(tenant).year - 1
    d1, d2 = District.objects.filter(regency_id=tenant.regency_id).order_by("code")[:2]
    v1, v2 = Village.objects.filter(district=d1).order_by("code")[:2]
    places = [(d1, v1), (d1, v2), (d1, None), (d2, None), (None, None)]
    for spec in specs:
        district, village = places[spec["place"]]
        day = dt.date(year - spec["last_year"], spec["month"], 10)
        people = [
            PersonInputFactory(sex=sex, birth_date=_birth(age, day), school_name="") for sex, age in spec["victims"]
        ]
        case = make_case(
            worker,
            tenant,
            category=spec["category"],
            forms=[t.ViolenceForm.SEXUAL] if spec["category"] == t.Category.SEXUAL else [t.ViolenceForm.PHYSICAL],
            reported_on=day,
            incident_on=day - dt.timedelta(days=1),
            district_code=district.code if district else "",
            village_code=village.code if village else "",
            people=people,
        )
        if spec["then"] == "move":
            services.case_update_incident(
                actor=head,
                case=case,
                category=t.Category.DOMESTIC,
                forms=[t.ViolenceForm.PSYCHOLOGICAL],
                chronology=case.chronology,
                incident_on=case.incident_on,
                incident_place=case.incident_place,
                district_code=d2.code,
                village_code="",
                is_lpsk_protected=case.is_lpsk_protected,
            )
        elif spec["then"] == "add_victim":
            services.person_add(
                actor=head, case=case, data=PersonInputFactory(sex=t.Sex.FEMALE, birth_date=_birth(14, day))
            )
        elif spec["then"] == "drop_victims":
            # Not possible through the services, but imported data may have a case without a victim.
            Person.objects.filter(case=case, role=Person.Role.VICTIM).delete()
    # Another tenant's case in the same places never counts.
    make_case(make_user(Role.CASE_MANAGER, tenant=other_tenant), other_tenant, reported_on=dt.date(year, 5, 5))
    # Every level without filters too: the filters alone would rarely meet a case without a victim.
    unfiltered = [
        dict.fromkeys(("category", "form", "sex", "age_band"), "") | {"level": level} for level in office.LEVELS
    ]
    for spec in [*({**u, "last_year": b} for u in unfiltered for b in (False, True)), *queries]:
        q = office.map_query(
            year=year - spec["last_year"],
            level=spec["level"],
            category=spec["category"],
            form=spec["form"],
            sex=spec["sex"],
            age_band=spec["age_band"],
        )
        assert office.raw_counts(tenant, q) == _expected(tenant, q)
