"""The referral letter (surat rujukan): a PDF on the tenant's letterhead that the case team sends with a
referral — nomor surat from the tenant's numbering (taken once, at the first print), the agency and the
service asked for, only the fields of that service's need-to-know set (through `case_projection`, the one
exit of case data), the due date and the signatory."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from sinergi.audit.services import record as audit
from sinergi.core import clock, letters, policy
from sinergi.regions.models import District, Village
from sinergi.tenants.selectors import active_signatories, letter_signatory
from sinergi.tenants.services import letter_number_next

from .. import fieldsets
from .. import taxonomy as t
from ..models import Person, Referral
from ..signals import case_data_changed_send

LETTER_TEMPLATE = "cases/referral_letter.html"
# Classification code of the nomor surat (Permendagri 83/2022: 400.2 social welfare; a tenant's pattern
# uses it only if it has a {classification} slot).
CLASSIFICATION = "400.2"
ERR_NOT_OPEN = _("This referral is no longer open: no letter is printed for it.")


def _label(model_field: str) -> str:
    return str(Person._meta.get_field(model_field).verbose_name).capitalize()


def _choice(choices: type[models.TextChoices], value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _region_names(codes: set[str]) -> dict[str, str]:
    names = dict(District.objects.filter(code__in=codes).values_list("code", "name"))
    names.update(Village.objects.filter(code__in=codes).values_list("code", "name"))
    return names


def _date(iso: str | None) -> str:
    """'2014-01-15' → '15 Januari 2014' (in the active language)."""
    if not iso:
        return ""
    try:
        return date_format(dt.date.fromisoformat(iso), "j F Y")
    except ValueError:
        return iso


def _person_rows(person: dict, regions: dict[str, str]) -> list[tuple[str, str]]:
    """(label, value) rows of one projected person: only the keys the projection kept."""
    rows = [
        (_label(name), _date(person[name]) if name == "birth_date" else person[name])
        for name in fieldsets.IDENTITY_FIELDS
        if person.get(name)
    ]
    if name_sex := person.get("sex"):
        rows.append((str(_("Sex")), _choice(t.Sex, name_sex)))
    if person.get("age") is not None:
        rows.append((str(_("Age")), str(person["age"])))
    if "has_disability" in person:
        disabilities = ", ".join(_choice(t.Disability, d) for d in person.get("disabilities") or [])
        rows.append((str(_("Disability")), disabilities or (str(_("Yes")) if person["has_disability"] else "—")))
    if person.get("education"):
        rows.append((str(_("Education")), _choice(t.Education, person["education"])))
    region = [regions.get(person.get(key) or "", "") for key in ("village", "district")]
    if any(region):
        rows.append((str(_("Region")), ", ".join(r for r in region if r)))
    if person.get("relation_to_victim"):
        rows.append((str(_("Relation to the victim")), _choice(t.Relation, person["relation_to_victim"])))
    return rows


def _case_rows(projection: dict, regions: dict[str, str]) -> list[tuple[str, str]]:
    rows = []
    if projection.get("category"):
        rows.append((str(_("Category")), _choice(t.Category, projection["category"])))
    if projection.get("forms"):
        rows.append((str(_("Forms of violence")), ", ".join(_choice(t.ViolenceForm, f) for f in projection["forms"])))
    if "incident_on" in projection:
        when = _date(projection["incident_on"])
        place = _choice(t.Place, projection["incident_place"]) if projection.get("incident_place") else ""
        where = ", ".join(r for r in (regions.get(projection.get("district") or "", ""), place) if r)
        rows.append((str(_("Incident")), " · ".join(v for v in (when or "", where) if v) or "—"))
    if projection.get("risk_level"):
        rows.append((str(_("Risk")), _choice(t.RiskLevel, projection["risk_level"])))
    if projection.get("chronology"):
        rows.append((str(_("Chronology")), projection["chronology"]))
    return rows


def _take_number(referral: Referral) -> str:
    """The referral's nomor surat, taken once under the row lock (the caller's transaction holds it
    until the letter is rendered and audited: a failure gives the number back)."""
    with transaction.atomic():
        locked = Referral.objects.select_for_update().only("letter_number", "status").get(pk=referral.pk)
        if locked.status not in (t.ReferralStatus.PENDING, t.ReferralStatus.ACCEPTED):
            raise ValidationError(ERR_NOT_OPEN)  # cancelled or declined since the page was opened
        if not locked.letter_number:
            locked.letter_number = letter_number_next(tenant=referral.case.tenant, classification=CLASSIFICATION)
            Referral.objects.filter(pk=referral.pk).update(
                letter_number=locked.letter_number, letter_issued_at=timezone.now()
            )
            case_data_changed_send(sender=Referral, tenant_id=referral.case.tenant_id)
    referral.letter_number = locked.letter_number
    return locked.letter_number


def _letter_context(referral: Referral, projection: dict, regions: dict[str, str]) -> dict:
    return {
        "referral": referral,
        "case_number": referral.case.number,
        "agency": referral.agency,
        "service": str(referral.get_service_type_display()),
        "due": clock.format_long_date(referral.due_on),
        "victims": [_person_rows(v, regions) for v in projection["victims"]],
        "perpetrators": [_person_rows(p, regions) for p in projection["perpetrators"]],
        "case_rows": _case_rows(projection, regions),
        "note": referral.note,
    }


@transaction.atomic
def referral_letter_pdf(*, actor: Any, referral: Referral, signatory: Any = None) -> bytes:
    """The surat rujukan of an open referral, for the referring case team; audited (identity goes on paper).
    `signatory`: one of the tenant's active signatories (or its id); None takes the tenant's default, and
    a tenant without any prints the letter without a signature block."""
    policy.require(actor, "cases.print_referral_letter", referral)
    case = referral.case
    tenant = case.tenant
    # The choice is checked before a nomor surat is taken: a refused letter uses up no number.
    if signatory is None:
        signatory = active_signatories(tenant=tenant).first()
    else:
        signatory = letter_signatory(tenant=tenant, signatory=signatory)
    number = _take_number(referral)
    people = list(case.people.all())
    # On paper the agency needs the values, not masks: every identity field its set allows is written out.
    revealed = {str(p.pk): frozenset(fieldsets.IDENTITY_FIELDS) for p in people}
    from ..selectors import case_projection, referral_letter_fields

    projection = case_projection(user=actor, case=case, revealed=revealed, for_referral=referral)
    persons = projection["victims"] + projection["perpetrators"] + projection["reporters"]
    codes = {p.get(k) for p in persons for k in ("district", "village")} | {projection.get("district")}
    regions = _region_names({c for c in codes if c})
    with translation.override("id"), clock.override_tenant(tenant):  # an official letter: Indonesian
        context = _letter_context(referral, projection, regions)
    pdf = letters.render_letter_pdf(
        template=LETTER_TEMPLATE, tenant=tenant, context=context, signatory=signatory, number=number
    )
    audit(
        actor=actor,
        action="case.referral_letter_printed",
        obj=referral,
        tenant=tenant,
        fields=sorted(referral_letter_fields(referral=referral)),
        extra={"case": str(case.pk), "letter_number": number, "signatory": str(signatory.pk) if signatory else ""},
    )
    return pdf
