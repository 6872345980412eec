"""Risk drives the clock: the first-response window per risk level, set in the tenant settings."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from freezegun import freeze_time

from sinergi.accounts.roles import Role
from sinergi.cases import taxonomy as t
from sinergi.core import clock
from sinergi.tenants import services as tenant_services

from .factories import make_case

pytestmark = pytest.mark.django_db

FROZEN = "2026-03-02 01:00:00+00:00"  # Monday 09.00 WITA in Kutai Kartanegara
HOUR = dt.timedelta(hours=1)
SETTINGS_API = "/api/v1/tenants/settings/"


def _critical(cm, tenant, **kw):
    return make_case(cm, tenant, victim={"adult": True}, triage={"immediate_danger": True}, **kw)


@freeze_time(FROZEN)
def test_a_critical_case_is_due_in_two_hours_in_the_tenants_zone(cm, tenant, client_for):
    tenant.timezone = "Asia/Makassar"
    tenant.save()
    case = _critical(cm, tenant)
    assert case.risk_level == t.RiskLevel.CRITICAL
    assert case.first_response_due_at - case.created_at == 2 * HOUR
    local = clock.tenant_now(tenant, case.first_response_due_at)
    assert (local.hour, local.minute, clock.abbreviation(local.tzinfo)) == (11, 0, "WITA")
    # The case page shows the due time in the tenant's zone, Indonesian style.
    page = client_for(cm).get(reverse("cases:detail", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="id")
    assert "11.00 WITA" in page.content.decode()


@freeze_time(FROZEN)
def test_a_critical_child_case_is_also_due_in_two_hours(cm, tenant):
    case = make_case(cm, tenant, triage={"immediate_danger": True})
    assert case.has_child_victim
    assert case.first_response_due_at - case.created_at == 2 * HOUR


@freeze_time(FROZEN)
def test_each_risk_level_follows_its_own_tenant_setting(cm, tenant, make_user):
    tenant_services.tenant_settings_update(
        actor=make_user(Role.SYSTEM_ADMIN),
        tenant=tenant,
        changes={"first_response_hours_critical": 1, "first_response_hours": 12, "first_response_hours_low_risk": 48},
    )
    tenant.refresh_from_db()
    critical = _critical(cm, tenant)
    high = make_case(
        cm, tenant, victim={"adult": True}, triage={"perpetrator_at_home": True, "repeated_violence": True}
    )
    low = make_case(cm, tenant, victim={"adult": True})
    child = make_case(cm, tenant)
    assert high.risk_level == t.RiskLevel.HIGH
    assert [c.first_response_due_at - c.created_at for c in (critical, high, low, child)] == [
        1 * HOUR,
        12 * HOUR,
        48 * HOUR,
        12 * HOUR,  # a child victim never waits longer than high risk
    ]


def test_triage_to_critical_after_intake_shortens_the_window(cm, tenant):
    from sinergi.cases import services as s

    with freeze_time(FROZEN):
        case = make_case(cm, tenant, victim={"adult": True})
        assert case.first_response_due_at - case.created_at == 72 * HOUR
        s.case_triage(actor=cm, case=case, answers={"immediate_danger": True})
    case.refresh_from_db()
    assert case.first_response_due_at - case.created_at == 2 * HOUR


def test_a_critical_window_longer_than_high_risk_is_refused(make_user, tenant, client_for):
    admin = make_user(Role.SYSTEM_ADMIN)
    with pytest.raises(ValidationError) as caught:
        tenant_services.tenant_settings_update(
            actor=admin, tenant=tenant, changes={"first_response_hours_critical": 30}
        )
    assert "first_response_hours_critical" in caught.value.message_dict
    client = client_for(make_user(Role.OFFICE_HEAD))
    assert client.get(SETTINGS_API).json()["first_response_hours_critical"] == 2
    bad = client.patch(SETTINGS_API, {"first_response_hours_critical": 30}, content_type="application/json")
    assert bad.status_code == 400
    ok = client.patch(SETTINGS_API, {"first_response_hours_critical": 4}, content_type="application/json")
    assert ok.status_code == 200
    assert ok.json()["first_response_hours_critical"] == 4
