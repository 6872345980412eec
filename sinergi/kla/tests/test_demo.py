"""The demo seeder: the current year's full tree per demo regency, uneven completeness, last year's
scores, the Paser seed meeting's minutes linked (not copied) as cluster I evidence; idempotent."""

import io

import pytest
from django.core.management import call_command

from sinergi.demo.tests.test_demo import SEED_CODES, run
from sinergi.kla import scoring
from sinergi.kla.models import EvaluationYear, EvidenceItem, SelfAssessment
from sinergi.tenants.models import Tenant

pytestmark = pytest.mark.django_db


def test_demo_seed_loads_kla_once_with_the_paser_minutes_linked(settings):
    settings.SINERGI_ALLOW_DEMO_DATA = True
    run("load_regions", "--only", SEED_CODES)
    call_command("demo_seed", "--cases", "2", stdout=io.StringIO())
    paser = Tenant.objects.get(code="64.01")
    linked = EvidenceItem.objects.get(tenant=paser, indicator__code="6", title__startswith="Notulen rapat koordinasi")
    assert linked.indicator.cluster.code == "I"
    assert linked.document.linked_from_id is not None
    year = EvaluationYear.objects.order_by("-year").first()
    score = scoring.year_score(tenant=paser, year=year)
    by_cluster = {c.code: c.completeness for c in score.clusters}
    assert by_cluster["K"] > by_cluster["V"]
    assert SelfAssessment.objects.filter(tenant=paser, indicator__year__year=year.year - 1).count() == 24
    count = EvidenceItem.objects.count()
    call_command("demo_seed", "--cases", "2", stdout=io.StringIO())
    assert EvidenceItem.objects.count() == count
