"""The KLA summary on the public ILA page: whole-regency completeness per cluster and earlier years'
self-assessment, nothing about an agency or a document, and nothing at all for a tenant without a KLA year."""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from sinergi.demo.tests.test_demo import SEED_CODES, run
from sinergi.kla.models import Assignment, EvidenceItem, SelfAssessment
from sinergi.tenants.models import Tenant

pytestmark = pytest.mark.django_db


def _section(client, tenant) -> str | None:
    html = client.get(reverse("ila:page", args=[tenant.code])).content.decode()
    if 'id="kla-summary"' not in html:
        return None
    return html.split('id="kla-summary"', 1)[1].split("</section>", 1)[0]


def test_the_public_page_shows_the_kla_summary_only_for_a_tenant_with_a_kla_year(client, settings):
    settings.SINERGI_ALLOW_DEMO_DATA = True
    run("load_regions", "--only", SEED_CODES)
    call_command("demo_seed", "--cases", "2", stdout=io.StringIO())
    cache.clear()
    paser = Tenant.objects.get(code="64.01")
    section = _section(client, paser)
    assert section is not None
    assert "%" in section
    assert "Kelembagaan" in section
    # Whole-regency figures only: no agency name and no evidence title reaches the public page.
    for name in Assignment.objects.filter(tenant=paser).values_list("agency__name", flat=True).distinct():
        assert name not in section
    for title in EvidenceItem.objects.filter(tenant=paser).values_list("title", flat=True):
        assert title not in section

    EvidenceItem.objects.filter(tenant=paser).delete()
    Assignment.objects.filter(tenant=paser).delete()
    SelfAssessment.objects.filter(tenant=paser).delete()
    cache.clear()
    assert _section(client, paser) is None
