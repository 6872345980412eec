"""Who sees and does what: the predicates and the selectors' querysets agree for every persona."""

import pytest

from sinergi.core import policy
from sinergi.taskforces import selectors
from sinergi.taskforces.models import Agreement, Meeting

pytestmark = pytest.mark.django_db

PERSONAS = ["secretariat", "head", "analyst", "owner_staff", "supporter_staff", "outsider_staff", "other_secretariat"]
EXPECTED = {
    "taskforces.view_meeting": {"secretariat", "head", "owner_staff", "supporter_staff"},
    "taskforces.manage_meeting": {"secretariat"},
    "taskforces.view_agreement": {"secretariat", "head", "owner_staff", "supporter_staff"},
    "taskforces.update_agreement": {"secretariat", "owner_staff"},
    "taskforces.request_extension": {"owner_staff"},
    "taskforces.manage_agreement": {"secretariat"},
    "taskforces.manage_agreement_documents": {"secretariat", "owner_staff"},
}


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_each_persona_is_decided_as_the_table_says(world, action):
    obj = world.meeting if "meeting" in action else world.agreement
    allowed = {p for p in PERSONAS if policy.can(getattr(world, p), action, obj)}
    assert allowed == EXPECTED[action]


def test_lists_show_exactly_what_the_predicates_allow(world):
    Meeting.objects.create  # noqa: B018 - the fixture's meeting and agreement are the only rows
    for persona in PERSONAS:
        user = getattr(world, persona)
        meetings = set(selectors.meeting_list_for_user(user=user))
        agreements = set(selectors.agreement_list_for_user(user=user))
        assert meetings == {m for m in Meeting.objects.all() if policy.can(user, "taskforces.view_meeting", m)}
        assert agreements == {a for a in Agreement.objects.all() if policy.can(user, "taskforces.view_agreement", a)}


def test_invited_agency_sees_the_meeting_but_not_agreements_it_does_not_own(world):
    from sinergi.accounts.roles import Role
    from sinergi.accounts.tests.factories import UserFactory
    from sinergi.taskforces import services

    member = services.member_add(actor=world.secretariat, body=world.body, agency=world.satpol)
    meeting = services.meeting_create(
        actor=world.secretariat,
        body=world.body,
        type="rakor",
        title="Rapat lanjutan",
        starts_at=world.meeting.starts_at.replace(year=2024),
        agenda=["Evaluasi"],
        invited=[member],
    )
    services.agreement_create(actor=world.secretariat, meeting=meeting, text="Tugas Dinsos", owner=world.dinsos)
    staff = UserFactory(role=Role.COMMUNICATIONS_OFFICER, tenant=world.tenant, agency=world.satpol)
    assert policy.can(staff, "taskforces.view_meeting", meeting)
    assert list(selectors.agreement_list_for_user(user=staff)) == []


def test_a_closed_agreement_cannot_be_updated_by_anyone(world):
    from sinergi.taskforces import services

    services.agreement_progress_add(actor=world.owner_staff, agreement=world.agreement, text="Selesai", progress=100)
    world.agreement.refresh_from_db()
    assert world.agreement.status == "done"
    assert not policy.can(world.owner_staff, "taskforces.update_agreement", world.agreement)
    assert not policy.can(world.secretariat, "taskforces.update_agreement", world.agreement)
