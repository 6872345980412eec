"""Polish: statistics years from the tenant's first case, no "---------" placeholders, TPPO in Indonesian."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sinergi.accounts.roles import Role
from sinergi.cases import taxonomy as t

from .factories import make_case

pytestmark = pytest.mark.django_db


def test_statistics_years_start_at_the_tenants_first_case(make_user, cm, tenant, client_for):
    this_year = timezone.localdate().year
    make_case(cm, tenant, reported_on=dt.date(this_year - 1, 1, 5))
    page = client_for(make_user(Role.OFFICE_HEAD)).get(reverse("cases:statistics")).content.decode()
    assert f'<option value="{this_year}"' in page
    assert f'<option value="{this_year - 1}"' in page
    assert f'<option value="{this_year - 2}"' not in page
    assert '<option value="2000"' not in page


def test_the_case_page_and_intake_have_no_dashes_placeholder_and_tppo_reads_indonesian(cm, tenant, client_for):
    case = make_case(cm, tenant)
    client = client_for(cm)
    for url in (reverse("cases:detail", args=[case.pk]), reverse("cases:create")):
        body = client.get(url, HTTP_ACCEPT_LANGUAGE="id").content.decode()
        assert "---------" not in body, url
    intake = client.get(reverse("cases:create"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Perdagangan orang (TPPO)" in intake
    assert "Trafficking" not in intake
    assert t.Category.TPPO in intake
