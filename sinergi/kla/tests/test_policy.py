"""Table-driven permissions: every role × action on own-agency / other-agency items and other tenants,
and the selectors' querysets agree with the predicates (as cases/policy does)."""

import pytest

from sinergi.accounts.roles import Role
from sinergi.accounts.tests.factories import UserFactory
from sinergi.core.policy import can
from sinergi.kla.models import EvidenceItem, Indicator
from sinergi.kla.policy import visible_evidence_q, visible_indicators_q
from sinergi.kla.services import workspace as s

from .conftest import pdf

pytestmark = pytest.mark.django_db

ITEM_ACTIONS = ["kla.view_evidenceitem", "kla.change_evidenceitem", "kla.review_evidenceitem"]
SECRETARIAT = {"kla.view_evidenceitem", "kla.change_evidenceitem", "kla.review_evidenceitem"}
# What each role may do on an item of Dinsos (the `dinsos` agency), as a user of that agency.
EXPECTED_OWN_AGENCY = {
    Role.SYSTEM_ADMIN: set(),
    Role.OFFICE_HEAD: SECRETARIAT,
    Role.TASKFORCE_SECRETARIAT: SECRETARIAT,
    Role.CASE_MANAGER: set(),
    Role.SERVICE_PROVIDER: set(),
    Role.SATGAS_VOLUNTEER: set(),
    Role.OPD_EVIDENCE_OFFICER: {"kla.view_evidenceitem", "kla.change_evidenceitem"},
    Role.COMMUNICATIONS_OFFICER: set(),
    Role.ANALYST: set(),
}


@pytest.fixture
def item(kla):
    return s.evidence_add(
        actor=kla.dinsos_officer, indicator=kla.ind1, evidence_type="regulation", title="Perda", uploaded_file=pdf()
    )


@pytest.mark.parametrize("role", list(EXPECTED_OWN_AGENCY))
def test_each_role_on_an_item_of_its_own_agency_another_agency_and_another_tenant(kla, item, role):
    own = UserFactory(role=role, tenant=kla.w.tenant, agency=kla.w.dinsos)
    other_agency = UserFactory(role=role, tenant=kla.w.tenant, agency=kla.w.disdik)
    other_tenant = UserFactory(role=role, tenant=kla.w.other_tenant)
    assert {a for a in ITEM_ACTIONS if can(own, a, item)} == EXPECTED_OWN_AGENCY[role]
    secretariat_like = role in (Role.OFFICE_HEAD, Role.TASKFORCE_SECRETARIAT)
    assert {a for a in ITEM_ACTIONS if can(other_agency, a, item)} == (SECRETARIAT if secretariat_like else set())
    assert not any(can(other_tenant, a, item) for a in ITEM_ACTIONS)
    for user in (own, other_agency, other_tenant):
        in_qs = EvidenceItem.objects.filter(visible_evidence_q(user), pk=item.pk).exists()
        assert in_qs == can(user, "kla.view_evidenceitem", item)
        for ind in Indicator.objects.filter(year=kla.year):
            assert Indicator.objects.filter(visible_indicators_q(user), pk=ind.pk).exists() == can(
                user, "kla.view_indicator", ind
            )


def test_an_accepted_item_is_frozen_for_the_opd_not_for_the_secretariat(kla, item):
    s.evidence_review(actor=kla.secretariat, item=item, decision="accepted")
    assert not can(kla.dinsos_officer, "kla.change_evidenceitem", item)
    assert can(kla.dinsos_officer, "kla.view_evidenceitem", item)
    assert can(kla.secretariat, "kla.change_evidenceitem", item)


def test_workspace_permissions(kla):
    t = kla.w.tenant
    assert can(kla.dinsos_officer, "kla.view_workspace", t)
    assert not can(kla.dinsos_officer, "kla.manage_workspace", t)
    assert can(kla.secretariat, "kla.manage_workspace", t)
    assert not can(kla.other_secretariat, "kla.view_workspace", t)
    assert not can(kla.w.owner_staff, "kla.view_workspace", t)
