"""Region tests run on the real vendored code list (loaded with `load_regions --only`), not on the
minimal fake rows the shared `tenant` fixture would create."""

import io

import pytest
from django.core.management import call_command

from sinergi.regions.models import Regency
from sinergi.tenants.tests.factories import TenantFactory

SEED_REGENCIES = "64.02,64.01,35.71"


def load_regions(*args: str) -> str:
    out = io.StringIO()
    call_command("load_regions", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def regions(db):
    """Kukar (64.02), Paser (64.01) and Kota Kediri (35.71) with their provinces."""
    load_regions("--only", SEED_REGENCIES)


@pytest.fixture
def tenant(regions):
    return TenantFactory(code="64.02", name="Kabupaten Kutai Kartanegara", regency=Regency.objects.get(code="64.02"))


@pytest.fixture
def other_tenant(regions):
    return TenantFactory(code="64.01", name="Kabupaten Paser", regency=Regency.objects.get(code="64.01"))
