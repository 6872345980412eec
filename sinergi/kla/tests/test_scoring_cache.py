"""The scores' aggregate is cached per tenant and year, and never served stale: one count/max query over
the tenant's items decides whether the cached copy still holds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sinergi.kla import scoring
from sinergi.kla.models import EvidenceItem, EvidenceType, ReviewStatus
from sinergi.kla.services import workspace as s

from .conftest import pdf

pytestmark = pytest.mark.django_db


def _score(kla):
    return scoring.year_score(tenant=kla.w.tenant, year=kla.year)


def _grouped_queries(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if "kla_evidenceitem" in q["sql"] and "GROUP BY" in q["sql"]]


def _ind1(kla):
    return next(i for i in _score(kla).indicators if i.indicator.pk == kla.ind1.pk)


@pytest.fixture
def item(kla):
    return s.evidence_add(
        actor=kla.dinsos_officer,
        indicator=kla.ind1,
        evidence_type=EvidenceType.REGULATION,
        title="Perda KLA",
        uploaded_file=pdf(),
        number="3/2025",
        is_signed=True,
    )


def test_a_second_score_reuses_the_aggregate(kla, item):
    _score(kla)
    with CaptureQueriesContext(connection) as ctx:
        assert _ind1(kla).items == 1
    assert _grouped_queries(ctx) == []


def test_a_review_shows_at_once(kla, item):
    assert _ind1(kla).accepted == []
    s.evidence_review(actor=kla.secretariat, item=item, decision=ReviewStatus.ACCEPTED)
    with CaptureQueriesContext(connection) as ctx:
        assert _ind1(kla).accepted == [EvidenceType.REGULATION]
    assert len(_grouped_queries(ctx)) == 1


def test_an_item_removed_outside_the_services_shows_at_once(kla, item):
    assert _ind1(kla).items == 1
    EvidenceItem.objects.filter(pk=item.pk).delete()  # as the admin's bulk delete does
    assert _ind1(kla).items == 0


def test_an_item_added_outside_the_services_shows_at_once(kla, item):
    assert _ind1(kla).items == 1
    EvidenceItem.objects.create(
        tenant=kla.w.tenant, indicator=kla.ind1, agency=item.agency, evidence_type=EvidenceType.UANG, title="UANG"
    )
    assert _ind1(kla).items == 2
