"""The valid range of every date of a case, in one place, so that HTML forms, the API and imports agree.

A report date in year 1 would be numbered `PPA/6402/1/00001`; a birth date of 0001-01-01 gives a victim
aged 2025; an incident in 2099 or after the report cannot have been reported. Each check raises a
ValidationError keyed by the field, with a message that says what is allowed.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.core import clock

# SIMFONI-PPA and every statistic of this platform start in 2000; nothing earlier is a case we handle.
DATE_FLOOR = dt.date(2000, 1, 1)
# An incident may lie long before its report (an adult reporting what happened in childhood).
INCIDENT_FLOOR = dt.date(1900, 1, 1)
MAX_AGE = 120
MAX_DUE_DAYS = 366

ERR_FUTURE = _("The date cannot be in the future.")
ERR_BEFORE_FLOOR = _("The date cannot be before %(floor)s.")
ERR_INCIDENT_AFTER_REPORT = _("The incident cannot be after the report date.")
ERR_BIRTH_FUTURE = _("The birth date cannot be in the future.")
ERR_BIRTH_AFTER_INCIDENT = _("The birth date cannot be after the incident.")
ERR_AGE_RANGE = _("The age must be between 0 and %(max)s years.")


def today(tenant: Any = None) -> dt.date:
    """Today in the tenant's zone (a report typed at 00.30 WITA is dated in WITA, not in WIB)."""
    return clock.tenant_today(tenant) if tenant is not None else timezone.localdate()


def _age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def check_past_date(day: dt.date | None, *, field: str, floor: dt.date = DATE_FLOOR, tenant: Any = None) -> None:
    """A date of something that has happened: not in the future, not before `floor`."""
    if day is None:
        return
    if day > today(tenant):
        raise ValidationError({field: ERR_FUTURE}, code="future")
    if day < floor:
        raise ValidationError(
            {field: ValidationError(ERR_BEFORE_FLOOR, params={"floor": floor.isoformat()}, code="too_early")}
        )


def check_report_dates(*, reported_on: dt.date, incident_on: dt.date | None, tenant: Any = None) -> None:
    check_past_date(reported_on, field="reported_on", tenant=tenant)
    check_past_date(incident_on, field="incident_on", floor=INCIDENT_FLOOR, tenant=tenant)
    if incident_on and incident_on > reported_on:
        raise ValidationError({"incident_on": ERR_INCIDENT_AFTER_REPORT}, code="incident_after_report")


def check_age(age: int | None) -> None:
    if age is not None and not 0 <= age <= MAX_AGE:
        raise ValidationError({"age": ValidationError(ERR_AGE_RANGE, params={"max": MAX_AGE}, code="age_range")})


def age_from_birth(birth_date: dt.date | None, *, on: dt.date, tenant: Any = None) -> int | None:
    """The age on `on` (the incident, else the report), refusing a birth date that gives no real age."""
    if birth_date is None:
        return None
    if birth_date > today(tenant):
        raise ValidationError({"birth_date": ERR_BIRTH_FUTURE}, code="future")
    if birth_date > on:
        raise ValidationError({"birth_date": ERR_BIRTH_AFTER_INCIDENT}, code="birth_after_incident")
    age = _age_on(birth_date, on)
    if age > MAX_AGE:
        raise ValidationError({"birth_date": ValidationError(ERR_AGE_RANGE, params={"max": MAX_AGE}, code="age_range")})
    return age
