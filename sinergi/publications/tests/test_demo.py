"""The publications demo data: drafts in several workflow states, partners with MoU, a takedown request."""

import io

import pytest
import rest_framework.throttling  # noqa: F401 - see below
from django.core.management import call_command

from sinergi.demo.tests.test_demo import SEED_CODES
from sinergi.publications.models import Draft, MediaPartner, TakedownRequest

pytestmark = pytest.mark.django_db

# demo_seed runs part of its work under freezegun; a module first imported inside that block keeps
# freezegun's fake clock (DRF's throttles store `time.time` as a class attribute). Importing DRF's
# throttling at collection keeps the real clock for the API tests that run after this one.


def _run(*args):
    call_command(*args, stdout=io.StringIO(), stderr=io.StringIO())


def test_demo_seed_adds_drafts_in_several_states_and_is_idempotent():
    _run("load_regions", "--only", SEED_CODES)
    _run("demo_seed", "--cases", "6")
    drafts = Draft.objects.all()
    assert {d.status for d in drafts} >= {"approved", "submitted"}
    approved = drafts.get(status="approved")
    assert approved.versions.count() == 2
    assert approved.approved_verdict == "ok"
    assert drafts.filter(lpsk_protected=True, linked__isnull=False).exists()
    found = drafts.get(found_on__isnull=False)
    latest = found.versions.last()
    from sinergi.publications.selectors import draft_check

    assert any(f.point == 9 and f.severity == "block" for f in draft_check(draft=found, text=latest.text).findings)
    assert MediaPartner.objects.filter(signed_on__isnull=False).count() >= 2
    assert TakedownRequest.objects.filter(points=[9]).exists()
    before = Draft.objects.count()
    _run("demo_seed", "--cases", "6")
    assert Draft.objects.count() == before
