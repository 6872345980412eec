"""Forms of the case team's pages. They only parse input: every rule lives in services.py / policy.py."""

from typing import Any

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import User
from sinergi.accounts.roles import Role
from sinergi.documents.forms import DocumentUploadForm
from sinergi.regions.forms import DistrictField, DistrictVillageFormMixin, VillageField
from sinergi.tenants.models import Agency

from . import providers
from . import taxonomy as t
from .selectors import CaseFilters
from .services import ConsentInput, IntakeInput, PersonInput

ERR_IDENTITY_SEARCH = _("Enter a NIK, or a full name together with a birth date.")
ERR_IDENTITY_SEARCH_NAME = _("Enter a NIK, or a full name (with the birth date, if known).")
ERR_DATE_RANGE = _("The start date is after the end date.")

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


def _date_field(label: Any, *, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE_INPUT)


def _choice(choices, *, label: Any, required: bool = False, blank: Any = "—") -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=required, choices=_blank(blank) + list(choices))


# ---- Case list -------------------------------------------------------------------------------


class CaseFilterForm(forms.Form):
    """Server-side filters of the case list (GET). Identity search is a separate POST form."""

    number = forms.CharField(
        label=_("Case number"), required=False, max_length=32, help_text=_("The number or part of it, e.g. 00017.")
    )
    stage = _choice(t.Stage.choices, label=_("Stage"), blank=_("All stages"))
    risk = _choice(t.RiskLevel.choices, label=_("Risk"), blank=_("All risk levels"))
    category = _choice(t.Category.choices, label=_("Category"), blank=_("All categories"))
    district = forms.ChoiceField(label=_("Kecamatan"), required=False)
    reported_from = _date_field(_("Reported from"))
    reported_to = _date_field(_("Reported until"))
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)
    referred = forms.BooleanField(label=_("Referred to my agency"), required=False)

    # Risk, category, kecamatan and deadlines are case-team data: filtering on them would let a
    # referred agency or a Satgas volunteer infer them, so those filters exist for the team only.
    TEAM_ONLY = ("risk", "category", "district", "overdue", "mine")

    def __init__(self, *args: Any, districts: list[tuple[str, str]], is_team: bool, show_referred: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = _blank(_("All kecamatan")) + districts
        if not is_team:
            for name in self.TEAM_ONLY:
                del self.fields[name]
        if not show_referred:
            del self.fields["referred"]

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("reported_from"), cleaned.get("reported_to")
        if start and end and start > end:
            self.add_error("reported_to", ERR_DATE_RANGE)
        return cleaned

    def filters(self) -> CaseFilters:
        d = self.cleaned_data
        return CaseFilters(
            stage=d.get("stage") or "",
            risk=d.get("risk") or "",
            category=d.get("category") or "",
            district=d.get("district") or "",
            overdue=bool(d.get("overdue")),
            mine=bool(d.get("mine")),
            referred_to_my_agency=bool(d.get("referred")),
            number=d.get("number") or "",
            reported_from=d.get("reported_from"),
            reported_to=d.get("reported_to"),
        )


class IdentitySearchForm(forms.Form):
    """Exact identity search through the blind index. POST only: identity never goes into a URL."""

    prefix = "identity"

    nik = forms.CharField(label=_("NIK"), required=False, max_length=32)
    full_name = forms.CharField(label=_("Full name"), required=False, max_length=200)
    birth_date = _date_field(_("Birth date"))

    def clean(self) -> dict:
        cleaned = super().clean()
        # The exact full name alone is enough (the name index); a birth date narrows it.
        if not cleaned.get("nik") and not (cleaned.get("full_name") or "").strip():
            raise forms.ValidationError(ERR_IDENTITY_SEARCH_NAME)
        return cleaned

    def filters(self) -> CaseFilters:
        d = self.cleaned_data
        return CaseFilters(
            identity_nik=d.get("nik") or "",
            identity_name=d.get("full_name") or "",
            identity_birth_date=d.get("birth_date"),
        )

    @property
    def searched_fields(self) -> list[str]:
        d = self.cleaned_data
        return identity_searched_fields(d)


def identity_searched_fields(d: dict) -> list[str]:
    """Which identity fields a search used (for the audit trail: names of fields, never values)."""
    if d.get("nik"):
        return ["nik"]
    return ["full_name", "birth_date"] if d.get("birth_date") else ["full_name"]


# ---- Intake ----------------------------------------------------------------------------------


def _add_triage_fields(form: forms.Form, initial: dict | None = None) -> None:
    for key, label, _weight in t.TRIAGE_QUESTIONS:
        form.fields[f"triage_{key}"] = forms.BooleanField(
            label=label, required=False, initial=bool((initial or {}).get(key))
        )


def _triage_answers(cleaned: dict) -> dict[str, bool]:
    return {key: bool(cleaned.get(f"triage_{key}")) for key, _label, _w in t.TRIAGE_QUESTIONS}


class IntakeCaseForm(DistrictVillageFormMixin, forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=t.Channel.choices)
    channel_detail = forms.CharField(
        label=_("Channel detail"), required=False, max_length=200, help_text=_("E.g. the referring school.")
    )
    reported_on = _date_field(_("Report date"), required=True)
    category = forms.ChoiceField(label=_("Category"), choices=t.Category.choices)
    violence_forms = forms.MultipleChoiceField(
        label=_("Forms of violence"),
        required=False,
        choices=t.ViolenceForm.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    incident_on = _date_field(_("Incident date"))
    incident_place = _choice(t.Place.choices, label=_("Place of occurrence"))
    district = DistrictField(required=False, label=_("Kecamatan of the incident"))
    village = VillageField(required=False, label=_("Desa/kelurahan of the incident"))
    chronology = forms.CharField(label=_("Chronology"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    is_lpsk_protected = forms.BooleanField(label=_("Under LPSK protection"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reported_on"].initial = timezone.localdate
        _add_triage_fields(self)

    @property
    def triage_fields(self) -> list:
        return [self[f"triage_{key}"] for key, _label, _w in t.TRIAGE_QUESTIONS]

    def intake_input(self, people: list[PersonInput]) -> IntakeInput:
        d = self.cleaned_data
        return IntakeInput(
            channel=d["channel"],
            channel_detail=d.get("channel_detail") or "",
            reported_on=d["reported_on"],
            category=d["category"],
            forms=list(d.get("violence_forms") or []),
            incident_on=d.get("incident_on"),
            incident_place=d.get("incident_place") or "",
            district_code=d["district"].code if d.get("district") else "",
            village_code=d["village"].code if d.get("village") else "",
            chronology=d.get("chronology") or "",
            triage=_triage_answers(d),
            is_lpsk_protected=bool(d.get("is_lpsk_protected")),
            people=people,
        )


class IntakeVictimForm(DistrictVillageFormMixin, forms.Form):
    prefix = "victim"

    full_name = forms.CharField(
        label=_("Full name"), required=False, max_length=200, help_text=_("Leave empty if not known yet.")
    )
    nik = forms.CharField(label=_("NIK"), required=False, max_length=32)
    birth_date = _date_field(_("Birth date"))
    sex = forms.ChoiceField(label=_("Sex"), choices=_blank("—") + list(t.Sex.choices), required=False)
    age = forms.IntegerField(
        label=_("Age at the incident"),
        required=False,
        min_value=0,
        max_value=120,
        help_text=_("Computed from the birth date when left empty."),
    )
    disabilities = forms.MultipleChoiceField(
        label=_("Disability"), required=False, choices=t.Disability.choices, widget=forms.CheckboxSelectMultiple
    )
    education = _choice(t.Education.choices, label=_("Education"))
    address = forms.CharField(label=_("Address"), required=False, max_length=500)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    school_name = forms.CharField(label=_("School"), required=False, max_length=200)
    guardian_name = forms.CharField(label=_("Parent / guardian"), required=False, max_length=200)
    guardian_phone = forms.CharField(label=_("Parent / guardian phone"), required=False, max_length=40)
    district = DistrictField(required=False, label=_("Kecamatan of residence"))
    village = VillageField(required=False, label=_("Desa/kelurahan of residence"))

    def __init__(self, *args: Any, duplicate_check: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if duplicate_check:
            # The duplicate warning is asked for as soon as the NIK, or name and birth date, change.
            names = ",".join(self[f].html_name for f in ("nik", "full_name", "birth_date"))
            for name in ("nik", "full_name", "birth_date"):
                self.fields[name].widget.attrs.update(
                    {
                        "hx-post": reverse("cases:duplicates"),
                        "hx-trigger": "change",
                        "hx-target": "#duplicate-warning",
                        "hx-swap": "innerHTML",
                        "hx-params": names,
                    }
                )

    def person_input(self) -> PersonInput:
        d = self.cleaned_data
        return PersonInput(
            role="victim",
            full_name=d.get("full_name") or "",
            nik=d.get("nik") or "",
            birth_date=d.get("birth_date"),
            address=d.get("address") or "",
            phone=d.get("phone") or "",
            school_name=d.get("school_name") or "",
            guardian_name=d.get("guardian_name") or "",
            guardian_phone=d.get("guardian_phone") or "",
            sex=d.get("sex") or "",
            age=d.get("age"),
            disabilities=list(d.get("disabilities") or []),
            education=d.get("education") or "",
            district_code=d["district"].code if d.get("district") else "",
            village_code=d["village"].code if d.get("village") else "",
        )


class IntakePerpetratorForm(forms.Form):
    prefix = "perpetrator"

    full_name = forms.CharField(label=_("Name"), required=False, max_length=200)
    relation_to_victim = _choice(t.Relation.choices, label=_("Relation to the victim"))
    perpetrator_status = _choice(t.PerpetratorStatus.choices, label=_("Status"))
    sex = forms.ChoiceField(label=_("Sex"), choices=_blank("—") + list(t.Sex.choices), required=False)
    age = forms.IntegerField(label=_("Age"), required=False, min_value=0, max_value=120)

    def is_filled(self) -> bool:
        d = self.cleaned_data
        return any(d.get(name) not in (None, "") for name in self.fields)

    def person_input(self) -> PersonInput:
        d = self.cleaned_data
        return PersonInput(
            role="perpetrator",
            full_name=d.get("full_name") or "",
            relation_to_victim=d.get("relation_to_victim") or t.Relation.UNKNOWN,
            perpetrator_status=d.get("perpetrator_status") or "",
            sex=d.get("sex") or "",
            age=d.get("age"),
        )


class IntakeReporterForm(forms.Form):
    prefix = "reporter"

    full_name = forms.CharField(label=_("Name"), required=False, max_length=200)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)

    def is_filled(self) -> bool:
        d = self.cleaned_data
        return bool(d.get("full_name") or d.get("phone"))

    def person_input(self) -> PersonInput:
        d = self.cleaned_data
        return PersonInput(role="reporter", full_name=d.get("full_name") or "", phone=d.get("phone") or "")


class DuplicateCheckForm(forms.Form):
    """NIK, or full name + birth date, as typed in the intake form (victim fields)."""

    prefix = "victim"

    nik = forms.CharField(required=False, max_length=32)
    full_name = forms.CharField(required=False, max_length=200)
    birth_date = forms.DateField(required=False)

    def has_key(self) -> bool:
        d = self.cleaned_data
        return bool(d.get("nik") or (d.get("full_name") and d.get("birth_date")))


# ---- Case page -------------------------------------------------------------------------------


class TriageForm(forms.Form):
    prefix = "triage"

    def __init__(self, *args: Any, case=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _add_triage_fields(self, initial=case.triage if case is not None else None)

    def answers(self) -> dict[str, bool]:
        return _triage_answers(self.cleaned_data)


class StageForm(forms.Form):
    prefix = "stage"

    to_stage = forms.ChoiceField(label=_("New stage"), choices=t.Stage.choices)
    note = forms.CharField(label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FirstResponseForm(forms.Form):
    prefix = "first_response"

    note = forms.CharField(label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AssigneeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


class AssignForm(forms.Form):
    prefix = "assign"

    assignee = AssigneeChoiceField(label=_("Case manager"), queryset=User.objects.none())

    def __init__(self, *args: Any, case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = User.objects.filter(
            tenant_id=case.tenant_id, role=Role.CASE_MANAGER, is_active=True
        ).order_by("full_name", "username")
        self.fields["assignee"].initial = case.assigned_to_id


class NoteForm(forms.Form):
    prefix = "note"

    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


AUTO = "auto"


class RightForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[(AUTO, _("Automatic (from referrals)")), *t.RightStatus.choices]
    )
    reason = forms.CharField(label=_("Reason"), max_length=1000)


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return obj.name


class ReferralForm(forms.Form):
    prefix = "referral"

    service_type = forms.ChoiceField(label=_("Service"), choices=t.ServiceType.choices)
    agency = AgencyChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.none(),
        empty_label=_("Choose an agency"),
        help_text=_("Only agencies that provide the chosen service."),
    )
    victim = forms.ChoiceField(label=_("Victim"), required=False)
    due_on = _date_field(_("Due date"))
    note = forms.CharField(
        label=_("Note to the receiving agency"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    consent_given_by = _choice(
        t.ConsentGiver.choices, label=_("Consent to share given by"), blank=_("Already recorded for this agency")
    )
    consent_giver_name = forms.CharField(label=_("Name of the person consenting"), required=False, max_length=200)
    consent_method = _choice(t.ConsentMethod.choices, label=_("How consent was given"), blank=_("Choose how"))
    consent_given_on = _date_field(_("Consent date"))
    emergency_reason = forms.CharField(
        label=_("Emergency: why refer without consent"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Office head only: recorded with your name."),
    )

    def __init__(
        self, *args: Any, case, victims: list[tuple[str, str]], with_emergency: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # The agency list follows the service (htmx reloads it on change); unbound, the first service's.
        service = self.data.get(self.add_prefix("service_type")) if self.is_bound else t.ServiceType.values[0]
        self.fields["agency"].queryset = providers.agencies_providing(
            tenant_id=case.tenant_id, service_type=service if service in t.ServiceType.values else None
        )
        self.fields["service_type"].widget.attrs.update(
            {
                "hx-get": reverse("cases:case_referral_agencies", args=[case.pk]),
                "hx-trigger": "change",
                "hx-target": f"#{self.auto_id % self.add_prefix('agency')}",
                "hx-swap": "innerHTML",
            }
        )
        self.fields["victim"].choices = _blank(_("All victims of the case")) + victims
        if not with_emergency:
            del self.fields["emergency_reason"]

    def consent_input(self) -> ConsentInput | None:
        d = self.cleaned_data
        if not d.get("consent_given_by"):
            return None
        return ConsentInput(
            given_by=d["consent_given_by"],
            method=d.get("consent_method") or "",
            given_on=d.get("consent_given_on"),
            giver_name=d.get("consent_giver_name") or "",
        )


class CloseForm(forms.Form):
    prefix = "close"

    reason = forms.ChoiceField(label=_("Closure reason"), choices=_blank("—") + list(t.ClosureReason.choices))
    note = forms.CharField(label=_("Closing note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    override_reason = forms.CharField(
        label=_("Why close with unresolved rights"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Office head only: recorded with your name."),
    )

    def __init__(self, *args: Any, with_override: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_override:
            del self.fields["override_reason"]


class ReopenForm(forms.Form):
    prefix = "reopen"

    reason = forms.CharField(label=_("Why reopen"), widget=forms.Textarea(attrs={"rows": 2}))


class DiversionForm(forms.Form):
    prefix = "diversion"

    level = forms.ChoiceField(label=_("Level"), choices=t.DiversionLevel.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=t.DiversionOutcome.choices)
    decided_on = _date_field(_("Decision date"))
    is_bapas_involved = forms.BooleanField(label=_("Bapas involved"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DocumentKind:
    """Kinds of case documents (the documents app stores the slug)."""

    CHOICES = [
        ("police_report", _("Police report")),
        ("visum", _("Visum")),
        ("assessment", _("Assessment")),
        ("photo", _("Photo")),
        ("other", _("Other")),
    ]
    LABELS = dict(CHOICES)


class CaseDocumentForm(DocumentUploadForm):
    prefix = "document"
    field_order = ["kind", "title", "file"]

    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.CHOICES)
