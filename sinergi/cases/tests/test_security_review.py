"""Security review findings on case visibility (need-to-know, UU PDP; UU SPPA art. 19).

Each xfail(strict=True) test describes an attack that works today; flip it once the finding is fixed.
"""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sinergi.accounts.roles import Role
from sinergi.cases import services
from sinergi.cases import taxonomy as t
from sinergi.cases.models import Person
from sinergi.cases.tests.factories import make_referral
from sinergi.notifications.models import Notification
from sinergi.tenants.models import Agency
from sinergi.tenants.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

CHILD_ONE = "Melati Kusumawardani"
CHILD_TWO = "Kenanga Puspitasari"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _victim(name: str, nik: str) -> services.PersonInput:
    return services.PersonInput(full_name=name, nik=nik, birth_date=dt.date(2015, 3, 1), sex=t.Sex.FEMALE)


@pytest.fixture
def school_office(tenant):
    return AgencyFactory(tenant=tenant, kind=Agency.Kind.DISDIK)


@pytest.fixture
def case(manager, tenant):
    """Two sisters in one case; only the first is referred to the education office."""
    data = services.IntakeInput(
        channel=t.Channel.WALK_IN,
        reported_on=timezone.localdate(),
        category=t.Category.VIOLENCE_CHILD,
        forms=["physical"],
        chronology="Kronologi rahasia",
        people=[_victim(CHILD_ONE, "6402015501150003"), _victim(CHILD_TWO, "6402015501150004")],
    )
    return services.case_intake(actor=manager, tenant=tenant, data=data)


def _victims(case) -> list[Person]:
    return list(case.people.filter(role=Person.Role.VICTIM).order_by("created_at"))


@pytest.fixture
def referral(manager, case, school_office):
    first = next(v for v in _victims(case) if v.full_name == CHILD_ONE)
    return make_referral(
        actor=manager, case=case, agency=school_office, service_type=t.ServiceType.SCHOOLING, victim=first
    )


def _password_only_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_referred_service_provider_may_open_the_case(make_user, school_office, case, referral, client_for):
    # Control for the findings below: the agency's service provider is the intended reader.
    provider = make_user(Role.SERVICE_PROVIDER, agency=school_office)
    assert client_for(provider).get(reverse("cases:detail", args=[case.pk])).status_code == 200


@pytest.mark.parametrize(
    "role", [Role.OPD_EVIDENCE_OFFICER, Role.COMMUNICATIONS_OFFICER, Role.ANALYST, Role.SATGAS_VOLUNTEER]
)
def test_other_roles_of_the_referred_agency_cannot_open_or_reveal_the_case(
    make_user, school_office, case, referral, role
):
    # These roles need no second factor (not IDENTITY_READER_ROLES): a password alone must not open a
    # child's identity just because someone at their office received a referral.
    colleague = make_user(role, agency=school_office)
    client = _password_only_client(colleague)
    first = next(v for v in _victims(case) if v.full_name == CHILD_ONE)
    page = client.get(reverse("cases:detail", args=[case.pk]))
    reveal = client.post(reverse("cases:reveal", args=[case.pk, first.pk]), **HTMX)
    assert page.status_code == 404
    assert reveal.status_code == 404
    assert CHILD_ONE not in reveal.content.decode()


def test_only_service_providers_of_the_agency_are_notified_of_a_referral(make_user, school_office, manager, case):
    provider = make_user(Role.SERVICE_PROVIDER, agency=school_office)
    press = make_user(Role.COMMUNICATIONS_OFFICER, agency=school_office)
    make_referral(actor=manager, case=case, agency=school_office, service_type=t.ServiceType.SCHOOLING)
    notified = set(Notification.objects.filter(kind="referral_received").values_list("recipient_id", flat=True))
    assert provider.pk in notified
    assert press.pk not in notified


def test_an_agency_referred_for_one_child_cannot_reveal_another_child_of_the_case(
    make_user, school_office, case, referral, client_for
):
    provider = make_user(Role.SERVICE_PROVIDER, agency=school_office)
    second = next(v for v in _victims(case) if v.full_name == CHILD_TWO)
    response = client_for(provider).post(reverse("cases:reveal", args=[case.pk, second.pk]), **HTMX)
    assert CHILD_TWO not in response.content.decode()
    assert response.status_code in (403, 404)
