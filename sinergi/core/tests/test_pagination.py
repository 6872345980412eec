import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from sinergi.core.pagination import DeferredJoinPaginator
from sinergi.tenants.models import Agency
from sinergi.tenants.tests.factories import AgencyFactory


@pytest.mark.django_db
@pytest.mark.parametrize("per_page", [1, 7, 25])
def test_pages_match_a_plain_paginator(tenant, per_page):
    for i in range(23):
        AgencyFactory(tenant=tenant, name=f"Agency {i % 5} {i:02d}")
    qs = Agency.objects.filter(tenant=tenant).annotate(n=Count("users")).order_by("name", "-short_name")
    plain, deferred = Paginator(qs, per_page), DeferredJoinPaginator(qs, per_page)
    assert deferred.count == plain.count == 23
    for number in plain.page_range:
        assert [a.pk for a in deferred.page(number)] == [a.pk for a in plain.page(number)]
        assert all(hasattr(a, "n") for a in deferred.page(number))  # annotations kept on the page


@pytest.mark.django_db
def test_a_deep_page_costs_the_same_queries_as_the_first(tenant):
    for i in range(60):
        AgencyFactory(tenant=tenant, name=f"A{i:03d}")
    paginator = DeferredJoinPaginator(Agency.objects.filter(tenant=tenant).select_related("district"), 5)
    paginator.count  # noqa: B018 - warm the cached count
    counts = []
    for number in (1, 12):
        with CaptureQueriesContext(connection) as ctx:
            list(paginator.page(number))
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] == 2


def test_lists_fall_back_to_plain_slicing():
    assert list(DeferredJoinPaginator(list(range(10)), 3).page(2)) == [3, 4, 5]


@pytest.mark.django_db
@pytest.mark.parametrize("per_page", [1, 4, 10])
@pytest.mark.parametrize("orphans", [0, 3])
def test_back_half_pages_chosen_from_the_other_end_are_the_same_pages(tenant, per_page, orphans):
    """Many ties in the sort key: only the primary key at the end makes the order total, and reversing it
    for the back half must give exactly the pages a plain paginator gives."""
    for i in range(23):
        AgencyFactory(tenant=tenant, name=f"Agency {i % 3}")
    qs = Agency.objects.filter(tenant=tenant).order_by("name", "-pk")
    plain = Paginator(qs, per_page, orphans=orphans)
    deferred = DeferredJoinPaginator(qs, per_page, orphans=orphans)
    seen = []
    for number in plain.page_range:
        ids = [a.pk for a in deferred.page(number)]
        assert ids == [a.pk for a in plain.page(number)]
        seen += ids
    assert sorted(seen) == sorted(qs.values_list("pk", flat=True))  # every row once


@pytest.mark.django_db
def test_the_last_page_of_a_totally_ordered_list_is_read_from_the_other_end(tenant):
    for i in range(30):
        AgencyFactory(tenant=tenant, name=f"A{i:03d}")
    paginator = DeferredJoinPaginator(Agency.objects.filter(tenant=tenant).order_by("name", "pk"), 7)
    paginator.count  # noqa: B018 - warm the cached count
    with CaptureQueriesContext(connection) as ctx:
        last = [a.name for a in paginator.page(paginator.num_pages)]
    assert last == ["A028", "A029"]
    assert "OFFSET" not in ctx.captured_queries[0]["sql"].upper() or " OFFSET 0" in ctx.captured_queries[0]["sql"]
    assert " DESC" in ctx.captured_queries[0]["sql"].upper()
