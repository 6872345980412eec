"""The Satgas PPA volunteer's short mobile intake form. It only parses input: rules live in services.py."""

import datetime as dt
import json
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.regions.forms import DistrictField, DistrictVillageFormMixin, VillageField

from . import taxonomy as t
from .services import IntakeInput, PersonInput

ERR_FUTURE = _("The date cannot be in the future.")
NOTES_HEADING = _("Notes of the Satgas volunteer")


class SatgasReportForm(DistrictVillageFormMixin, forms.Form):
    """About ten questions, one column: what, when, where, who, a contact, what happened, danger, notes."""

    category = forms.ChoiceField(label=_("What happened?"), choices=t.Category.choices)
    violence_forms = forms.MultipleChoiceField(
        label=_("Forms of violence"),
        required=False,
        choices=t.ViolenceForm.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    incident_on = forms.DateField(
        label=_("When did it happen?"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    district = DistrictField(required=False, label=_("Where? Kecamatan"))
    village = VillageField(required=False, label=_("Desa/kelurahan"))
    full_name = forms.CharField(
        label=_("Name of the child or woman"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    age = forms.IntegerField(
        label=_("Approximate age"),
        required=False,
        min_value=0,
        max_value=120,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=[("", "—"), *t.Sex.choices])
    guardian_name = forms.CharField(
        label=_("Parent / guardian"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    guardian_phone = forms.CharField(
        label=_("Phone of the parent / guardian"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
    )
    chronology = forms.CharField(
        label=_("What happened, in your words"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 5})
    )
    immediate_danger = forms.BooleanField(label=_("The victim is in danger right now"), required=False)
    notes = forms.CharField(
        label=_("Your notes (optional)"), required=False, max_length=5_000, widget=forms.Textarea(attrs={"rows": 3})
    )

    # Field names kept in a draft (everything the volunteer types; never the CSRF token).
    @classmethod
    def draft_fields(cls) -> list[str]:
        return list(cls.base_fields)

    def clean_incident_on(self) -> dt.date | None:
        value = self.cleaned_data.get("incident_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError(ERR_FUTURE)
        return value

    def intake_input(self, *, channel_detail: str = "") -> IntakeInput:
        d = self.cleaned_data
        chronology = d["chronology"].strip()
        if d.get("notes", "").strip():
            # Kept with the chronology (encrypted, case team and need-to-know only), never in clear.
            chronology = f"{chronology}\n\n{NOTES_HEADING}:\n{d['notes'].strip()}"
        victim = PersonInput(
            role="victim",
            full_name=d["full_name"],
            sex=d.get("sex") or "",
            age=d.get("age"),
            guardian_name=d.get("guardian_name") or "",
            guardian_phone=d.get("guardian_phone") or "",
        )
        return IntakeInput(
            channel=t.Channel.SATGAS,
            channel_detail=channel_detail,
            reported_on=timezone.localdate(),
            category=d["category"],
            forms=list(d.get("violence_forms") or []),
            incident_on=d.get("incident_on"),
            district_code=d["district"].code if d.get("district") else "",
            village_code=d["village"].code if d.get("village") else "",
            chronology=chronology,
            triage={"immediate_danger": bool(d.get("immediate_danger"))},
            people=[victim],
        )


def draft_payload(data: Any) -> str:
    """The typed form fields (a QueryDict) as JSON, for services.intake_draft_save."""
    out: dict[str, Any] = {}
    for name in SatgasReportForm.draft_fields():
        if name == "violence_forms":
            values = [v for v in data.getlist(name) if v]
            if values:
                out[name] = values
        else:
            value = data.get(name, "")
            if value:
                out[name] = value
    return json.dumps(out, ensure_ascii=False)


def draft_initial(payload: str) -> dict[str, Any]:
    """Initial values of the form from a stored draft (unknown keys and bad JSON are ignored)."""
    try:
        data = json.loads(payload or "{}")
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    names = set(SatgasReportForm.draft_fields())
    initial = {k: v for k, v in data.items() if k in names and isinstance(v, str | list)}
    if "immediate_danger" in initial:
        initial["immediate_danger"] = initial["immediate_danger"] in ("on", "true", "True", "1")
    return initial
