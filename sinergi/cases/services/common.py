"""Errors, input shapes and the helpers every case service shares."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.core.crypto import name_birth_index, nik_index, normalize_digits
from sinergi.regions.models import District, Village
from sinergi.tenants.models import Tenant

from .. import dates, fieldsets
from .. import taxonomy as t
from ..models import (
    Case,
    CaseCounter,
    Person,
    TimelineEntry,
)

ERR_STAGE = _("This step is not allowed from the current stage.")
ERR_MEDIATION_SEXUAL = _("Mediation is not allowed for sexual-violence cases (UU TPKS bars out-of-court settlement).")
ERR_UNRESOLVED_RIGHTS = _(
    "The case cannot be closed: some needed rights of a child victim are still planned or in progress. "
    "Only the office head can close it, with a recorded reason."
)
ERR_REASON_REQUIRED = _("A reason is required.")
ERR_AGENCY_TENANT = _("The agency does not belong to this regency/city.")
ERR_NIK = _("A NIK has 16 digits.")
ERR_REGION = _("The kelurahan/desa is not in the chosen kecamatan, or the kecamatan is not in this regency/city.")
ERR_NO_VICTIM = _("At least one victim is required.")
ERR_ASSIGNEE = _("Cases can only be assigned to a case manager of the same regency/city.")
ERR_DUE = _("The due date cannot be in the past.")
ERR_DUE_TOO_FAR = _("The due date cannot be more than a year ahead.")
CANCELLED_LABEL = _("cancelled")

IDENTITY_ATTRS = fieldsets.IDENTITY_FIELDS  # the one list of identity fields, owned by fieldsets


@dataclass
class PersonInput:
    role: str = Person.Role.VICTIM
    full_name: str = ""
    nik: str = ""
    birth_date: dt.date | None = None
    address: str = ""
    phone: str = ""
    school_name: str = ""
    guardian_name: str = ""
    guardian_phone: str = ""
    sex: str = ""
    age: int | None = None
    has_disability: bool = False
    disabilities: list[str] = field(default_factory=list)
    education: str = ""
    district_code: str = ""
    village_code: str = ""
    relation_to_victim: str = ""
    perpetrator_status: str = ""


@dataclass
class IntakeInput:
    channel: str
    reported_on: dt.date
    category: str = t.Category.OTHER
    forms: list[str] = field(default_factory=list)
    channel_detail: str = ""
    incident_on: dt.date | None = None
    incident_place: str = ""
    district_code: str = ""
    village_code: str = ""
    chronology: str = ""
    triage: dict[str, bool] = field(default_factory=dict)
    is_lpsk_protected: bool = False
    people: list[PersonInput] = field(default_factory=list)


# ---- helpers ---------------------------------------------------------------------------------


def _timeline(*, case: Case, kind: str, actor: Any, summary: str, text: str = "", referral=None, at=None):
    return TimelineEntry.objects.create(
        tenant_id=case.tenant_id,
        case=case,
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        summary=str(summary)[:300],
        text=text,
        referral=referral,
        created_at=at or timezone.now(),
    )


def _resolve_region(*, tenant: Tenant, district_code: str, village_code: str) -> tuple[District | None, Village | None]:
    district = village = None
    if district_code:
        district = District.objects.filter(code=district_code, regency_id=tenant.regency_id).first()
        if district is None:
            raise ValidationError({"district": ERR_REGION})
    if village_code:
        village = Village.objects.filter(code=village_code).select_related("district").first()
        if village is None or district is None or village.district_id != district.code:
            raise ValidationError({"village": ERR_REGION})
    return district, village


def _next_number(*, tenant: Tenant, year: int) -> str:
    counter, _created = CaseCounter.objects.select_for_update().get_or_create(tenant=tenant, year=year)
    CaseCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return f"PPA/{tenant.code_compact}/{year}/{counter.last:05d}"


def _build_person(*, tenant: Tenant, case: Case, data: PersonInput, incident_day: dt.date) -> Person:
    nik = normalize_digits(data.nik)
    if nik and len(nik) != 16:
        raise ValidationError({"nik": ERR_NIK})
    dates.check_age(data.age)
    computed_age = dates.age_from_birth(data.birth_date, on=incident_day, tenant=tenant)
    district, village = _resolve_region(tenant=tenant, district_code=data.district_code, village_code=data.village_code)
    age = data.age if data.age is not None else computed_age
    person = Person(
        tenant=tenant,
        case=case,
        role=data.role,
        full_name=data.full_name.strip(),
        nik=nik,
        birth_date=data.birth_date.isoformat() if data.birth_date else "",
        address=data.address.strip(),
        phone=data.phone.strip(),
        school_name=data.school_name.strip(),
        guardian_name=data.guardian_name.strip(),
        guardian_phone=data.guardian_phone.strip(),
        nik_bidx=nik_index(nik),
        name_dob_bidx=name_birth_index(data.full_name, data.birth_date),
        sex=data.sex,
        age=age,
        age_band=t.age_band(age),
        is_child=age is not None and age < 18,
        has_disability=data.has_disability or bool(data.disabilities),
        disabilities=sorted(set(data.disabilities)),
        education=data.education,
        district=district,
        village=village,
        relation_to_victim=data.relation_to_victim if data.role == Person.Role.PERPETRATOR else "",
        perpetrator_status=(data.perpetrator_status or t.PerpetratorStatus.UNKNOWN)
        if data.role == Person.Role.PERPETRATOR
        else "",
    )
    person.full_clean(exclude=["case", "tenant"])
    return person


def _lock_case(case: Case) -> None:
    """Lock the row for this transaction and reload what concurrent requests may have changed, so
    that a decision (stage, assignee) is taken on current data and no write undoes another."""
    current = (
        Case.objects.select_for_update()
        .filter(pk=case.pk)
        .values("stage", "assigned_to_id", "first_responded_at", "reopened_count")
        .get()
    )
    for name, value in current.items():
        setattr(case, name, value)


def _set_forms(case: Case, forms: list[str]) -> None:
    valid = [f for f in t.ViolenceForm.values if f in set(forms)]
    case.forms = valid
    for form in t.ViolenceForm.values:
        setattr(case, f"is_form_{form}", form in valid)


def _is_sexual(case: Case) -> bool:
    return case.category == t.Category.SEXUAL or "sexual" in case.forms
