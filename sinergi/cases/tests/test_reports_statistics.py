"""Monthly statistics: the selector and the page (personas)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from sinergi.cases import taxonomy as t
from sinergi.cases.statistics import monthly_statistics, period_for

from .factories import PerpetratorInputFactory, PersonInputFactory, make_case
from .reports_support import *  # noqa: F403  (fixtures)
from .reports_support import EXPORT_URL, IDENTITY_STRINGS, MARCH, STATS_URL, rows_by

pytestmark = pytest.mark.django_db


def test_monthly_statistics_counts_and_breakdowns(world, tenant):
    stats = monthly_statistics(user=world["users"]["analyst"], tenant=tenant, year=2025, month=3)
    assert stats.totals == {
        "cases": 3,
        "cases_with_child_victim": 2,
        "victims": 4,
        "child_victims": 3,
        "victims_with_disability": 1,
        "perpetrators": 3,
    }
    assert stats.by_month is None
    category = rows_by(stats.table("category"))
    assert (category["violence_child"], category["sexual"], category["domestic"], category["neglect"]) == (1, 1, 1, 0)
    assert sum(category.values()) == 3
    forms = rows_by(stats.table("form"))
    assert forms == {
        "physical": 1,
        "psychological": 2,
        "sexual": 1,
        "exploitation": 0,
        "trafficking": 0,
        "neglect": 0,
        "other": 0,
    }
    age = rows_by(stats.table("age_band"))
    assert (age["0-5"], age["6-12"], age["13-17"], age["25-44"], age["60+"]) == (1, 1, 1, 1, 0)
    assert rows_by(stats.table("sex")) == {"F": 3, "M": 1}
    district = rows_by(stats.table("district"))
    assert district == {"64.02.01": 1, "64.02.02": 1, "64.02.03": 0, "": 1}  # "" = not recorded
    place = rows_by(stats.table("place"))
    assert (place["household"], place["school"], place[""]) == (1, 1, 1)
    relation = rows_by(stats.table("relation"))
    assert (relation["parent"], relation["neighbour"], relation["teacher"], relation["other"]) == (1, 1, 1, 0)
    # Labels are human readable, percentages are of the table's base.
    sex_table = stats.table("sex")
    assert [(r.label, r.percent) for r in sex_table.rows] == [
        (str(t.Sex.FEMALE.label), 75.0),
        (str(t.Sex.MALE.label), 25.0),
    ]
    assert stats.table("district").rows[0].label == "Kecamatan 1 Kabupaten Kutai Kartanegara"


def test_yearly_statistics_add_a_per_month_table(world, tenant):
    stats = monthly_statistics(user=world["users"]["head"], tenant=tenant, year=2025)
    assert stats.totals["cases"] == 4
    per_month = rows_by(stats.by_month)
    assert (per_month["2"], per_month["3"], per_month["4"]) == (1, 3, 0)
    assert len(stats.by_month.rows) == 12


def test_statistics_of_another_regency_stay_apart(world, other_tenant):
    stats = monthly_statistics(user=world["users"]["other_analyst"], tenant=other_tenant, year=2025, month=3)
    assert (stats.totals["cases"], rows_by(stats.table("category"))["tppo"]) == (1, 1)


def test_statistics_permission(world, tenant):
    users = world["users"]
    for key in ("satgas", "dinsos"):
        with pytest.raises(PermissionDenied):
            monthly_statistics(user=users[key], tenant=tenant, year=2025, month=3)
    # Asking for another regency's figures is refused, even for an analyst.
    with pytest.raises(PermissionDenied):
        monthly_statistics(user=users["other_analyst"], tenant=tenant, year=2025, month=3)


def test_statistics_query_count_does_not_grow_with_cases(world, tenant):
    user = world["users"]["analyst"]
    with CaptureQueriesContext(connection) as before:
        monthly_statistics(user=user, tenant=tenant, year=2025)
    with freeze_time(MARCH):
        for _ in range(6):
            make_case(world["users"]["cm"], tenant, people=[PersonInputFactory(), PerpetratorInputFactory()])
    with CaptureQueriesContext(connection) as after:
        stats = monthly_statistics(user=user, tenant=tenant, year=2025)
    assert stats.totals["cases"] == 10
    assert len(after) == len(before) <= 12


@pytest.mark.parametrize(
    "kwargs",
    [
        {"year": 1999},
        {"year": 2025, "month": 13},
        {"year": None},
        {"date_from": dt.date(2025, 3, 2), "date_to": dt.date(2025, 3, 1)},
        {"date_from": dt.date(2025, 3, 2)},
        {"date_from": dt.date(2015, 1, 1), "date_to": dt.date(2025, 1, 1)},
    ],
)
def test_invalid_periods_are_refused(kwargs):
    with pytest.raises(ValidationError):
        period_for(**kwargs)


def test_periods():
    assert period_for(year=2024, month=2).as_dict() == {"from": "2024-02-01", "to": "2024-02-29"}
    assert period_for(year=2024).slug == "2024"
    assert period_for(date_from=dt.date(2025, 1, 5), date_to=dt.date(2025, 2, 1)).slug == "20250105-20250201"


# ---- statistics (view) -----------------------------------------------------------------------


def test_analyst_sees_the_statistics_page(world, client_for):
    response = client_for(world["users"]["analyst"]).get(STATS_URL, {"year": 2025, "month": 3})
    assert response.status_code == 200
    assert "cases/reports/statistics.html" in [tpl.name for tpl in response.templates]
    assert response.context["stats"].totals["cases"] == 3
    body = response.content.decode()
    assert "<meter" in body
    assert " style=" not in body
    assert "<script>" not in body
    assert 'id="stats-category"' in body
    # The analyst may not export, so no export link is offered.
    assert EXPORT_URL not in body
    for value in IDENTITY_STRINGS:
        assert value not in body


def test_office_head_gets_export_links_for_the_chosen_period(world, client_for):
    response = client_for(world["users"]["head"]).get(STATS_URL, {"year": 2025})
    body = response.content.decode()
    assert response.context["stats"].by_month is not None
    assert f"{EXPORT_URL}?format=xlsx&amp;year=2025" in body


def test_case_manager_gets_no_export_link(world, client_for):
    body = client_for(world["users"]["cm"]).get(STATS_URL, {"year": 2025}).content.decode()
    assert EXPORT_URL not in body


def test_statistics_htmx_request_gets_the_results_only(world, client_for):
    response = client_for(world["users"]["head"]).get(
        STATS_URL, {"year": 2025, "month": 3}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="stats-results"')
    assert "<html" not in body


def test_statistics_invalid_period_falls_back_to_the_current_month(world, client_for):
    response = client_for(world["users"]["analyst"]).get(STATS_URL, {"year": "abc", "month": 14})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["stats"].period.month is not None


@pytest.mark.parametrize("key", ["satgas", "dinsos"])
def test_statistics_forbidden_without_the_permission(world, client_for, key):
    assert client_for(world["users"][key]).get(STATS_URL).status_code == 403


def test_statistics_requires_login(client):
    response = client.get(STATS_URL)
    assert response.status_code == 302


def test_other_regency_sees_only_its_own_figures(world, client_for):
    response = client_for(world["users"]["other_head"]).get(STATS_URL, {"year": 2025, "month": 3})
    assert response.status_code == 200
    stats = response.context["stats"]
    assert stats.totals["cases"] == 1
    assert rows_by(stats.table("category"))["violence_child"] == 0
