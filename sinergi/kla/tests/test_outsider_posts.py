"""The KLA workspace is invisible to a user without a KLA role: its POST-only pages are a 404 too (as in the
API), never a 403 that tells the page exists and what is refused; nothing is written or started."""

import pytest
from django.urls import reverse

from sinergi.accounts.roles import Role
from sinergi.accounts.tests.factories import UserFactory
from sinergi.jobs.models import Job
from sinergi.kla.models import Deadline

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def test_a_case_manager_gets_404_on_the_deadline_and_package_posts(kla, client_for):
    outsider = client_for(UserFactory(role=Role.CASE_MANAGER, tenant=kla.w.tenant))
    assert outsider.get(reverse("kla:home")).status_code == 404
    r = outsider.post(reverse("kla:deadline_set"), {"year": YEAR, "kind": "collection", "due_on": "2026-05-01"})
    assert r.status_code == 404
    assert outsider.post(reverse("kla:package_start"), {"year": YEAR}).status_code == 404
    assert not Deadline.objects.exists()
    assert not Job.objects.exists()
