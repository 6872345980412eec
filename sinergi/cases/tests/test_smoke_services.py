import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from sinergi.accounts.roles import Role
from sinergi.cases import services as s
from sinergi.cases import taxonomy as t
from sinergi.cases.models import RightItem
from sinergi.tenants.models import Agency
from sinergi.tenants.tests.factories import AgencyFactory


@pytest.mark.django_db
def test_full_flow_closes_when_rights_fulfilled(make_user, tenant):
    cm = make_user(Role.CASE_MANAGER)
    dinsos = AgencyFactory(tenant=tenant, kind=Agency.Kind.DINSOS, short_name="Dinsos")
    disdik = AgencyFactory(tenant=tenant, kind=Agency.Kind.DISDIK, short_name="Disdik")
    sp1 = make_user(Role.SERVICE_PROVIDER, agency=dinsos)
    sp2 = make_user(Role.SERVICE_PROVIDER, agency=disdik)
    data = s.IntakeInput(
        channel=t.Channel.WALK_IN,
        reported_on=dt.date.today(),
        category=t.Category.VIOLENCE_CHILD,
        forms=["physical"],
        chronology="Kronologi rahasia",
        people=[s.PersonInput(full_name="Anak Contoh", nik="6402010101100001", birth_date=dt.date(2014, 1, 1), sex="F")],
    )
    case = s.case_intake(actor=cm, tenant=tenant, data=data)
    assert case.number.startswith("PPA/6402/")
    assert case.has_child_victim
    s.case_change_stage(actor=cm, case=case, to_stage="assessment")
    r1 = s.referral_create(actor=cm, case=case, agency=dinsos, service_type="social_rehab")
    r2 = s.referral_create(actor=cm, case=case, agency=disdik, service_type="schooling")
    with pytest.raises(ValidationError):
        s.case_close(actor=cm, case=case, reason="resolved")
    s.referral_respond(actor=sp1, referral=r1, accept=True)
    s.referral_respond(actor=sp2, referral=r2, accept=True)
    s.service_record(actor=sp1, referral=r1, delivered_on=dt.date.today(), sessions=2, outcome="completed")
    s.service_record(actor=sp2, referral=r2, delivered_on=dt.date.today(), sessions=1, outcome="completed")
    statuses = dict(RightItem.objects.filter(case=case).values_list("right", "status"))
    assert statuses["social_rehab"] == "fulfilled"
    assert statuses["education"] == "fulfilled"
    assert statuses["fast_response"] == "fulfilled"
    s.case_close(actor=cm, case=case, reason="resolved")
    case.refresh_from_db()
    assert case.stage == "closed"


@pytest.mark.django_db
def test_mediation_refused_for_sexual_violence(make_user, tenant):
    cm = make_user(Role.CASE_MANAGER)
    agency = AgencyFactory(tenant=tenant)
    data = s.IntakeInput(
        channel=t.Channel.HOTLINE,
        reported_on=dt.date.today(),
        category=t.Category.SEXUAL,
        forms=["sexual"],
        people=[s.PersonInput(full_name="X", age=12, sex="F")],
    )
    case = s.case_intake(actor=cm, tenant=tenant, data=data)
    with pytest.raises(ValidationError):
        s.referral_create(actor=cm, case=case, agency=agency, service_type="mediation")
