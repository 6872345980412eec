"""The need-to-know field sets, pinned exactly: adding a field to a service is caught, not only removing one.

The tables below are written out by hand (UU PDP; UU SPPA art. 19). A change to what an agency receives
must change this file too, in the same review.
"""

import pytest

from sinergi.cases import fieldsets
from sinergi.cases.taxonomy import ServiceType

BASIC = {"victim.full_name", "victim.sex", "victim.age", "victim.guardian_name", "victim.guardian_phone"}

EXPECTED_SERVICE_FIELDS: dict[str, set[str]] = {
    "medical": BASIC
    | {"victim.nik", "victim.birth_date", "victim.phone", "victim.disability"}
    | {"case.forms", "case.incident", "case.chronology", "case.category"},
    "psychological": BASIC
    | {"victim.phone", "victim.disability", "victim.education"}
    | {"case.forms", "case.category", "case.chronology"},
    "legal_aid": BASIC
    | {"victim.nik", "victim.birth_date", "victim.address", "victim.phone", "victim.disability"}
    | {"case.forms", "case.category", "case.incident", "case.chronology"}
    | {"perpetrator.identity", "perpetrator.profile"},
    "police": BASIC
    | {"victim.nik", "victim.birth_date", "victim.address", "victim.phone", "victim.disability"}
    | {"case.forms", "case.category", "case.incident", "case.chronology"}
    | {"perpetrator.identity", "perpetrator.profile"},
    "social_rehab": BASIC
    | {"victim.address", "victim.phone", "victim.disability", "victim.education", "victim.region"}
    | {"case.category", "case.forms"},
    "shelter": BASIC | {"victim.phone", "victim.disability", "case.risk", "case.category", "perpetrator.identity"},
    "schooling": BASIC | {"victim.birth_date", "victim.school_name", "victim.education", "victim.region"},
    "social_assistance": BASIC | {"victim.nik", "victim.birth_date", "victim.address", "victim.phone", "victim.region"},
    "reintegration": BASIC | {"victim.address", "victim.phone", "victim.region", "victim.education", "case.category"},
    "repatriation": BASIC
    | {"victim.nik", "victim.birth_date", "victim.address", "victim.phone", "victim.region", "case.category"},
    "restitution": BASIC
    | {"victim.nik", "victim.birth_date", "victim.address"}
    | {"case.category", "case.forms", "case.incident", "case.chronology"}
    | {"perpetrator.identity", "perpetrator.profile"},
    # Religious counselling does not need to know what happened, not even the category.
    "religious": BASIC,
    "mediation": BASIC | {"victim.phone", "case.category", "perpetrator.identity"},
}

IDENTITY_FIELDS = (
    "full_name",
    "nik",
    "birth_date",
    "address",
    "phone",
    "school_name",
    "guardian_name",
    "guardian_phone",
)
VICTIM_FIELDS = {
    "victim.full_name",
    "victim.nik",
    "victim.birth_date",
    "victim.address",
    "victim.phone",
    "victim.school_name",
    "victim.guardian_name",
    "victim.guardian_phone",
    "victim.sex",
    "victim.age",
    "victim.disability",
    "victim.education",
    "victim.region",
}
CASE_FIELDS = {"case.category", "case.forms", "case.incident", "case.chronology", "case.risk", "case.channel"}
PERPETRATOR_FIELDS = {"perpetrator.identity", "perpetrator.profile"}
REPORTER_FIELDS = {"reporter.identity"}
TEAM_FIELDS = {"case.timeline", "case.rights", "case.referrals_all", "case.diversion", "case.documents"}


def test_every_service_has_a_pinned_field_set():
    assert set(EXPECTED_SERVICE_FIELDS) == {s.value for s in ServiceType} == set(fieldsets.SERVICE_FIELDSETS)


@pytest.mark.parametrize("service", sorted(EXPECTED_SERVICE_FIELDS))
def test_service_receives_exactly_its_fields(service):
    actual = fieldsets.SERVICE_FIELDSETS[service]
    expected = EXPECTED_SERVICE_FIELDS[service]
    assert isinstance(actual, frozenset)
    assert sorted(actual - expected) == [], "fields added to the service"
    assert sorted(expected - actual) == [], "fields removed from the service"


def test_no_service_receives_team_only_or_reporter_fields():
    for service, fields in fieldsets.SERVICE_FIELDSETS.items():
        assert not fields & (TEAM_FIELDS | REPORTER_FIELDS), service
        assert "case.channel" not in fields, service


def test_field_groups_are_pinned():
    assert fieldsets.IDENTITY_FIELDS == IDENTITY_FIELDS
    assert fieldsets.VICTIM_FIELDS == VICTIM_FIELDS
    assert fieldsets.CASE_FIELDS == CASE_FIELDS
    assert fieldsets.PERPETRATOR_FIELDS == PERPETRATOR_FIELDS
    assert fieldsets.REPORTER_FIELDS == REPORTER_FIELDS
    assert fieldsets.TEAM_FIELDS == TEAM_FIELDS
    assert fieldsets.ALL_FIELDS == VICTIM_FIELDS | CASE_FIELDS | PERPETRATOR_FIELDS | REPORTER_FIELDS | TEAM_FIELDS
    assert len(fieldsets.ALL_FIELDS) == 13 + 6 + 2 + 1 + 5


def test_satgas_volunteer_receives_nothing_of_a_submitted_report():
    assert not fieldsets.SATGAS_FIELDS
    assert isinstance(fieldsets.SATGAS_FIELDS, frozenset)


def test_fields_for_several_services_are_their_union_only():
    fields = fieldsets.fields_for_services(["schooling", "religious"])
    assert fields == EXPECTED_SERVICE_FIELDS["schooling"] | EXPECTED_SERVICE_FIELDS["religious"]
    assert isinstance(fields, frozenset)
    assert fieldsets.fields_for_services(["religious"]) == BASIC
    assert fieldsets.fields_for_services(["medical", "police", "shelter"]) == (
        EXPECTED_SERVICE_FIELDS["medical"] | EXPECTED_SERVICE_FIELDS["police"] | EXPECTED_SERVICE_FIELDS["shelter"]
    )


def test_no_service_no_fields():
    assert fieldsets.fields_for_services([]) == frozenset()
    assert fieldsets.fields_for_services(iter(())) == frozenset()


def test_an_unknown_service_is_an_error_not_an_empty_set():
    with pytest.raises(KeyError):
        fieldsets.fields_for_services(["tarot_reading"])
