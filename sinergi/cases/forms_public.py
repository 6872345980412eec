"""The public report form (no login) and the status check by tracking code. Parsing only.

Bot trap: a honeypot field hidden by a CSS class, and a signed start time (django.core.signing)
refusing forms sent faster than a person can type, or older than two hours.
"""

import time
from typing import Any

from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sinergi.regions.selectors import districts_for_regency
from sinergi.tenants.models import Tenant

from . import taxonomy as t
from .services import IntakeInput, PersonInput

STARTED_SALT = "sinergi.cases.public_report.started"
MIN_FILL_SECONDS = 3
MAX_FILL_SECONDS = 2 * 3600
HONEYPOT_FIELD = "website"

ERR_TOO_FAST = _("The report was sent too quickly. Please check it and send it again.")
ERR_EXPIRED = _("This form has expired. Please check your report and send it again.")
ERR_CONSENT = _("Please tick the box to agree, so that the office may handle your report.")

# Age groups a member of the public can tell; children get an age inside the SIMFONI band so that the
# case is handled as a child's (24-hour first response) and counted in the right band.
AGE_GROUPS = [
    ("0-5", _("Child under 6")),
    ("6-12", _("Child 6 to 12 years")),
    ("13-17", _("Child 13 to 17 years")),
    ("18+", _("Adult (18 or older)")),
]
AGE_GROUP_AGE = {"0-5": 3, "6-12": 9, "13-17": 15}

# Only the stage, in plain words (nothing else about the case ever leaves through a tracking code).
PUBLIC_STAGE_RECEIVED = pgettext_lazy("public status", "Report received")
PUBLIC_STAGE_HANDLED = pgettext_lazy("public status", "Being handled")
PUBLIC_STAGE_DONE = pgettext_lazy("public status", "Completed")


def public_stage_label(stage: str) -> Any:
    if stage == t.Stage.RECEIVED:
        return PUBLIC_STAGE_RECEIVED
    if stage == t.Stage.CLOSED:
        return PUBLIC_STAGE_DONE
    return PUBLIC_STAGE_HANDLED


def active_tenants():
    return Tenant.objects.filter(is_active=True).select_related("regency").order_by("name")


# ---- Signed start time ---------------------------------------------------------------------------


def started_token(*, at: float | None = None) -> str:
    """A signed "form shown at" time for the hidden `started` field."""
    return signing.dumps({"t": round(time.time() if at is None else at, 3)}, salt=STARTED_SALT)


def started_age(token: str) -> float | None:
    """Seconds since the form was shown; None when the token is forged or older than two hours."""
    try:
        data = signing.loads(token or "", salt=STARTED_SALT, max_age=MAX_FILL_SECONDS)
        age = time.time() - float(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return age if age <= MAX_FILL_SECONDS else None


# ---- Building the intake -------------------------------------------------------------------------


def public_intake_input(
    *,
    what_happened: str,
    district_code: str = "",
    age_group: str = "",
    sex: str = "",
    victim_name: str = "",
    reporter_name: str = "",
    reporter_phone: str = "",
) -> IntakeInput:
    """The IntakeInput of a public report (HTML form and JSON API alike)."""
    people = [
        PersonInput(role="victim", full_name=victim_name.strip(), sex=sex, age=AGE_GROUP_AGE.get(age_group)),
    ]
    if reporter_name.strip() or reporter_phone.strip():
        people.append(PersonInput(role="reporter", full_name=reporter_name.strip(), phone=reporter_phone.strip()))
    label = _("Age group given by the reporter")
    detail = f"{label}: {age_group}" if age_group else ""
    return IntakeInput(
        channel=t.Channel.PUBLIC_FORM,
        channel_detail=str(detail),
        reported_on=timezone.localdate(),
        category=t.Category.OTHER,
        district_code=district_code,
        chronology=what_happened.strip(),
        people=people,
    )


# ---- Forms ---------------------------------------------------------------------------------------


class PublicReportForm(forms.Form):
    what_happened = forms.CharField(
        label=_("What happened?"),
        help_text=_("Who, what, when and where, as far as you know."),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    district = forms.ChoiceField(label=_("Kecamatan where it happened (optional)"), required=False)
    age_group = forms.ChoiceField(
        label=_("Age of the victim (optional)"), required=False, choices=[("", _("I do not know")), *AGE_GROUPS]
    )
    sex = forms.ChoiceField(
        label=_("Sex of the victim (optional)"), required=False, choices=[("", _("I do not know")), *t.Sex.choices]
    )
    victim_name = forms.CharField(
        label=_("Name of the victim (optional)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),  # someone else's name: never the reporter's own
    )
    # The reporter's own details: the browser may fill them in (WCAG 1.3.5 input purpose).
    reporter_name = forms.CharField(
        label=_("Your name (optional)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    reporter_phone = forms.CharField(
        label=_("Your phone or WhatsApp number (optional)"),
        help_text=_("So that the officers can call you back. Leave empty to stay anonymous."),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    consent = forms.BooleanField(
        label=_("I agree that the protection office uses this information to help the victim."),
        error_messages={"required": ERR_CONSENT},
    )
    # Bot trap: hidden from people by CSS (and from screen readers and the keyboard), filled by bots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, tenant: Tenant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tenant = tenant
        districts = districts_for_regency(regency_code=tenant.regency_id).order_by("name")
        self.fields["district"].choices = [("", _("I do not know")), *districts.values_list("code", "name")]

    @property
    def is_trap_filled(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())

    def clean(self) -> dict:
        cleaned = super().clean()
        age = started_age(self.data.get("started", ""))
        if age is None:
            raise forms.ValidationError(ERR_EXPIRED, code="expired")
        if age < MIN_FILL_SECONDS:
            raise forms.ValidationError(ERR_TOO_FAST, code="too_fast")
        return cleaned

    def intake_input(self) -> IntakeInput:
        d = self.cleaned_data
        return public_intake_input(
            what_happened=d["what_happened"],
            district_code=d.get("district") or "",
            age_group=d.get("age_group") or "",
            sex=d.get("sex") or "",
            victim_name=d.get("victim_name") or "",
            reporter_name=d.get("reporter_name") or "",
            reporter_phone=d.get("reporter_phone") or "",
        )


class TenantCodeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Tenant) -> str:
        return obj.name


class PublicStatusForm(forms.Form):
    tenant = TenantCodeChoiceField(
        label=_("Regency / city where you reported"), queryset=Tenant.objects.none(), to_field_name="code"
    )
    code = forms.CharField(
        label=_("Tracking code"),
        help_text=_("The 12 letters and digits you received, for example ABCD-EFGH-JK23."),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tenants = active_tenants()
        self.fields["tenant"].queryset = tenants
        if len(tenants) == 1:
            self.fields["tenant"].initial = tenants[0].code
            self.fields["tenant"].empty_label = None
