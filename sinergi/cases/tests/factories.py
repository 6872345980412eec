"""Test data for case handling.

Cases are built through the services (`make_case`), so numbering, rights, timeline, audit and field
encryption behave exactly as in production. The factory_boy factories build the service *inputs*
(`PersonInput`, `IntakeInput`) with Indonesian fake data; use `.build()`-free calls (these are plain
dataclasses, nothing touches the database until a service runs).
"""

import datetime as dt
from typing import Any

import factory
from django.utils import timezone
from factory.faker import Faker

from sinergi.cases import services
from sinergi.cases import taxonomy as t
from sinergi.cases.models import Case, Person, Referral
from sinergi.regions.models import District
from sinergi.tenants.models import Agency, Tenant
from sinergi.tenants.tests.factories import AgencyFactory

LOCALE = "id_ID"


def _birth_date(min_age: int, max_age: int) -> dt.date:
    return Faker._get_faker(locale=LOCALE).date_of_birth(minimum_age=min_age, maximum_age=max_age)


class PersonInputFactory(factory.Factory):
    """A child victim by default (6-15 years old at the incident, so always a child)."""

    class Meta:
        model = services.PersonInput

    class Params:
        adult = factory.Trait(
            birth_date=factory.LazyFunction(lambda: _birth_date(25, 50)),
            education=t.Education.SLTA,
            school_name="",
        )

    role = Person.Role.VICTIM
    full_name = Faker("name", locale=LOCALE)
    # 16 digits: a fictional kecamatan prefix and a sequence (unique within a test run).
    nik = factory.Sequence(lambda n: f"640201{n:010d}")
    birth_date = factory.LazyFunction(lambda: _birth_date(6, 15))
    address = Faker("street_address", locale=LOCALE)
    phone = factory.Sequence(lambda n: f"0812{n:08d}")
    school_name = factory.Sequence(lambda n: f"SD Negeri {n % 40 + 1} Tenggarong")
    guardian_name = Faker("name", locale=LOCALE)
    guardian_phone = factory.Sequence(lambda n: f"0813{n:08d}")
    sex = t.Sex.FEMALE
    education = t.Education.SD


class PerpetratorInputFactory(PersonInputFactory):
    role = Person.Role.PERPETRATOR
    nik = ""
    birth_date = factory.LazyFunction(lambda: _birth_date(25, 50))
    school_name = ""
    guardian_name = ""
    guardian_phone = ""
    sex = t.Sex.MALE
    education = t.Education.UNKNOWN
    relation_to_victim = t.Relation.NEIGHBOUR


class ReporterInputFactory(PersonInputFactory):
    role = Person.Role.REPORTER
    nik = ""
    birth_date = None
    school_name = ""
    guardian_name = ""
    guardian_phone = ""
    education = ""


class IntakeInputFactory(factory.Factory):
    class Meta:
        model = services.IntakeInput

    channel = t.Channel.WALK_IN
    reported_on = factory.LazyFunction(timezone.localdate)
    category = t.Category.VIOLENCE_CHILD
    forms = factory.LazyFunction(lambda: [t.ViolenceForm.PHYSICAL])
    incident_on = factory.LazyAttribute(lambda o: o.reported_on - dt.timedelta(days=3))
    incident_place = t.Place.HOUSEHOLD
    chronology = Faker("paragraph", locale=LOCALE)
    people = factory.LazyFunction(lambda: [PersonInputFactory(), PerpetratorInputFactory()])


def first_district(tenant: Tenant) -> District:
    return District.objects.filter(regency_id=tenant.regency_id).order_by("code").first()


def make_case(actor: Any, tenant: Tenant, **overrides: Any) -> Case:
    """Register a case through `services.case_intake`.

    `overrides` are IntakeInput fields (e.g. `category=`, `forms=`, `people=`, `triage=`); in addition
    `victim={...}` overrides the default victim's PersonInput fields, and `district_code` defaults to
    the tenant's first kecamatan (pass "" for none).
    """
    victim = overrides.pop("victim", None)
    if "people" not in overrides:
        overrides["people"] = [PersonInputFactory(**(victim or {})), PerpetratorInputFactory()]
    if "district_code" not in overrides:
        district = first_district(tenant)
        overrides["district_code"] = district.code if district else ""
    return services.case_intake(actor=actor, tenant=tenant, data=IntakeInputFactory(**overrides))


def make_agency(tenant: Tenant, kind: str = Agency.Kind.DINSOS, **kwargs: Any) -> Agency:
    return AgencyFactory(tenant=tenant, kind=kind, **kwargs)


GUARDIAN_CONSENT = services.ConsentInput(given_by=t.ConsentGiver.GUARDIAN, method=t.ConsentMethod.WRITTEN)


def make_referral(
    actor: Any, case: Case, agency: Agency, service_type: str = t.ServiceType.SOCIAL_REHAB, **kw
) -> Referral:
    """Refer through `services.referral_create`, with the guardian's written consent unless told otherwise."""
    kw.setdefault("consent", GUARDIAN_CONSENT)
    return services.referral_create(actor=actor, case=case, agency=agency, service_type=service_type, **kw)


def complete_referral(provider: Any, referral: Referral, *, sessions: int = 1) -> Referral:
    """The agency accepts the referral and records a completed service."""
    services.referral_respond(actor=provider, referral=referral, accept=True)
    services.service_record(
        actor=provider,
        referral=referral,
        delivered_on=timezone.localdate(),
        sessions=sessions,
        outcome=t.ServiceOutcome.COMPLETED,
    )
    referral.refresh_from_db()
    return referral


def victim_of(case: Case) -> Person:
    return case.people.filter(role=Person.Role.VICTIM).order_by("created_at").first()
