"""Documents need an owner: tests use the tenant's Agency, with owner permissions registered only here."""

import pytest
import rules

from sinergi.accounts.roles import Role
from sinergi.core.policy import has_role, in_same_tenant
from sinergi.tenants.tests.factories import AgencyFactory

from .factories import store_document

TEST_OWNER_PERMS = {
    # Colleagues of the tenant who may read case files, but only case managers may upload or delete.
    "tenants.view_agency_documents": in_same_tenant
    & has_role(Role.CASE_MANAGER, Role.SERVICE_PROVIDER, Role.OFFICE_HEAD),
    "tenants.manage_agency_documents": in_same_tenant & has_role(Role.CASE_MANAGER),
}


@pytest.fixture
def agency_owner_perms():
    for name, predicate in TEST_OWNER_PERMS.items():
        rules.add_perm(name, predicate)
    yield
    for name in TEST_OWNER_PERMS:
        rules.remove_perm(name)


@pytest.fixture
def owner(tenant):
    return AgencyFactory(tenant=tenant)


@pytest.fixture
def uploader(make_user):
    return make_user(Role.CASE_MANAGER)


@pytest.fixture
def colleague(make_user):
    """Same tenant, may view the owner's documents but not manage them."""
    return make_user(Role.SERVICE_PROVIDER)


@pytest.fixture
def analyst(make_user):
    """Same tenant, no access to the owner's documents."""
    return make_user(Role.ANALYST)


@pytest.fixture
def outsider(make_user, other_tenant):
    return make_user(Role.CASE_MANAGER, tenant=other_tenant)


@pytest.fixture
def document(uploader, owner):
    return store_document(actor=uploader, owner=owner)
