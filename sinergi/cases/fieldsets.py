"""Need-to-know: which parts of a case each kind of reader may receive (UU PDP; UU SPPA art. 19).

The case team (assigned case manager, office head) sees everything. A referred agency sees only the
union of the field sets of the services referred to it on that case. Both the HTML pages and the
API build their output through `sinergi.cases.selectors.case_projection`, which drops every field
outside the reader's set before anything is rendered or serialised.
"""

from .taxonomy import ServiceType

# Identity fields of a person: encrypted at rest, masked until an audited reveal.
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

VICTIM_FIELDS = frozenset(
    {f"victim.{f}" for f in IDENTITY_FIELDS}
    | {"victim.sex", "victim.age", "victim.disability", "victim.education", "victim.region"}
)
CASE_FIELDS = frozenset(
    {"case.category", "case.forms", "case.incident", "case.chronology", "case.risk", "case.channel"}
)
PERPETRATOR_FIELDS = frozenset({"perpetrator.identity", "perpetrator.profile"})
REPORTER_FIELDS = frozenset({"reporter.identity"})
TEAM_FIELDS = frozenset({"case.timeline", "case.rights", "case.referrals_all", "case.diversion", "case.documents"})

ALL_FIELDS = VICTIM_FIELDS | CASE_FIELDS | PERPETRATOR_FIELDS | REPORTER_FIELDS | TEAM_FIELDS

# What a Satgas volunteer sees of their own reports: no identity once submitted (a lost phone must not
# expose a child), only that the report is being handled.
SATGAS_FIELDS = frozenset()

_BASIC = {"victim.full_name", "victim.sex", "victim.age", "victim.guardian_name", "victim.guardian_phone"}

SERVICE_FIELDSETS: dict[str, frozenset[str]] = {
    ServiceType.MEDICAL: frozenset(
        _BASIC
        | {"victim.nik", "victim.birth_date", "victim.phone", "victim.disability"}
        | {"case.forms", "case.incident", "case.chronology", "case.category"}
    ),
    ServiceType.PSYCHOLOGICAL: frozenset(
        _BASIC
        | {"victim.phone", "victim.disability", "victim.education"}
        | {"case.forms", "case.category", "case.chronology"}
    ),
    ServiceType.LEGAL_AID: frozenset(
        _BASIC
        | {"victim.nik", "victim.birth_date", "victim.address", "victim.phone", "victim.disability"}
        | {"case.forms", "case.category", "case.incident", "case.chronology"}
        | {"perpetrator.identity", "perpetrator.profile"}
    ),
    ServiceType.POLICE: frozenset(
        _BASIC
        | {"victim.nik", "victim.birth_date", "victim.address", "victim.phone", "victim.disability"}
        | {"case.forms", "case.category", "case.incident", "case.chronology"}
        | {"perpetrator.identity", "perpetrator.profile"}
    ),
    ServiceType.SOCIAL_REHAB: frozenset(
        _BASIC
        | {"victim.address", "victim.phone", "victim.disability", "victim.education", "victim.region"}
        | {"case.category", "case.forms"}
    ),
    ServiceType.SHELTER: frozenset(
        _BASIC | {"victim.phone", "victim.disability"} | {"case.risk", "case.category"} | {"perpetrator.identity"}
    ),
    # The school needs to enrol the child, not to know what happened (no forms, no chronology).
    ServiceType.SCHOOLING: frozenset(
        _BASIC | {"victim.birth_date", "victim.school_name", "victim.education", "victim.region"}
    ),
    ServiceType.SOCIAL_ASSISTANCE: frozenset(
        _BASIC | {"victim.nik", "victim.birth_date", "victim.address", "victim.phone", "victim.region"}
    ),
    ServiceType.REINTEGRATION: frozenset(
        _BASIC | {"victim.address", "victim.phone", "victim.region", "victim.education"} | {"case.category"}
    ),
    ServiceType.REPATRIATION: frozenset(
        _BASIC
        | {"victim.nik", "victim.birth_date", "victim.address", "victim.phone", "victim.region"}
        | {"case.category"}
    ),
    ServiceType.RESTITUTION: frozenset(
        _BASIC
        | {"victim.nik", "victim.birth_date", "victim.address"}
        | {"case.category", "case.forms", "case.incident", "case.chronology"}
        | {"perpetrator.identity", "perpetrator.profile"}
    ),
    ServiceType.RELIGIOUS: frozenset(_BASIC),
    ServiceType.MEDIATION: frozenset(_BASIC | {"victim.phone", "case.category", "perpetrator.identity"}),
}

assert set(SERVICE_FIELDSETS) == {s.value for s in ServiceType}, "every service needs a field set"
assert all(fs <= ALL_FIELDS for fs in SERVICE_FIELDSETS.values())


def fields_for_services(service_types) -> frozenset[str]:
    fields: set[str] = set()
    for service in service_types:
        fields |= SERVICE_FIELDSETS[service]
    return frozenset(fields)
