"""Forms parse input only; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.tenants.models import Agency

from .models import (
    AgreementStatus,
    Body,
    BodyKind,
    Cluster,
    LetterTemplateKind,
    MeetingStatus,
    MeetingType,
    PartnerKind,
)


class BodyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=BodyKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    chair_name = forms.CharField(label=_("Chair"), max_length=200, required=False)
    decree_number = forms.CharField(label=_("Decree (SK) number"), max_length=120, required=False)
    decree_on = forms.DateField(label=_("Decree date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    decree_file = forms.FileField(label=_("Decree (SK) document"), required=False)
    agency = forms.ModelChoiceField(label=_("Satgas PPA unit"), queryset=Agency.objects.none(), required=False)
    parent = forms.ModelChoiceField(
        label=_("Gugus Tugas KLA of the working group"), queryset=Body.objects.none(), required=False
    )
    cluster = forms.ChoiceField(label=_("Cluster"), choices=[("", "—"), *Cluster.choices], required=False)

    def __init__(self, *args, tenant=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(tenant=tenant, kind=Agency.Kind.SATGAS_PPA)
        self.fields["parent"].queryset = Body.objects.filter(tenant=tenant, kind=BodyKind.GUGUS_TUGAS_KLA)


class MemberForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none(), required=False)
    organisation = forms.CharField(label=_("Or outside partner"), max_length=200, required=False)
    partner_kind = forms.ChoiceField(label=_("Partner kind"), choices=PartnerKind.choices, initial=PartnerKind.AGENCY)
    contact_name = forms.CharField(label=_("Contact person"), max_length=160, required=False)
    contact_position = forms.CharField(label=_("Position"), max_length=160, required=False)
    contact_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    contact_email = forms.EmailField(label=_("E-mail"), required=False)

    def __init__(self, *args, tenant=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(tenant=tenant, is_active=True)


class MeetingForm(forms.Form):
    body = forms.ModelChoiceField(label=_("Body"), queryset=None)
    type = forms.ChoiceField(label=_("Type"), choices=MeetingType.choices)
    title = forms.CharField(label=_("Title"), max_length=250)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(
        label=_("Ends"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    venue = forms.CharField(label=_("Venue"), max_length=250, required=False)
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    agenda = forms.CharField(label=_("Agenda (one item per line)"), widget=forms.Textarea(attrs={"rows": 4}))
    chair_name = forms.CharField(label=_("Chair"), max_length=200, required=False)
    note_taker_name = forms.CharField(label=_("Note taker"), max_length=200, required=False)
    invite_all = forms.BooleanField(label=_("Invite every member of the body"), required=False, initial=True)
    follows_up = forms.ModelChoiceField(label=_("Follows up the meeting"), queryset=None, required=False)

    def __init__(self, *args, bodies=None, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        self.fields["follows_up"].queryset = meetings


class MeetingSeriesForm(forms.Form):
    body = forms.ModelChoiceField(label=_("Body"), queryset=None)
    type = forms.ChoiceField(label=_("Type"), choices=MeetingType.choices)
    title = forms.CharField(label=_("Title"), max_length=250)
    rule = forms.CharField(
        label=_("Recurrence rule (RRULE)"),
        max_length=500,
        help_text=_("For example FREQ=MONTHLY;INTERVAL=3;COUNT=4 (quarterly, four meetings)."),
    )
    first_starts_at = forms.DateTimeField(
        label=_("First meeting starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=15, max_value=24 * 60, initial=120)
    venue = forms.CharField(label=_("Venue"), max_length=250, required=False)
    agenda = forms.CharField(label=_("Agenda (one item per line)"), widget=forms.Textarea(attrs={"rows": 4}))
    invite_all = forms.BooleanField(label=_("Invite every member of the body"), required=False, initial=True)

    def __init__(self, *args, bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies


class MeetingStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=MeetingStatus.choices)


class MinutesForm(forms.Form):
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class AgreementForm(forms.Form):
    text = forms.CharField(label=_("Agreement"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(label=_("Owner agency"), queryset=Agency.objects.none(), required=False)
    supporters = forms.ModelMultipleChoiceField(
        label=_("Supporting agencies"), queryset=Agency.objects.none(), required=False
    )
    due_on = forms.DateField(label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    parent = forms.ModelChoiceField(label=_("Sub-agreement of"), queryset=None, required=False)

    def __init__(self, *args, tenant=None, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.filter(tenant=tenant, is_active=True)
        self.fields["owner"].queryset = agencies
        self.fields["supporters"].queryset = agencies
        self.fields["parent"].queryset = parents


class AgreementEditForm(forms.Form):
    text = forms.CharField(label=_("Agreement"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(label=_("Owner agency"), queryset=Agency.objects.none(), required=False)
    due_on = forms.DateField(label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    clear_owner = forms.BooleanField(label=_("Remove the owner agency"), required=False)
    clear_due_on = forms.BooleanField(label=_("Remove the due date"), required=False)
    reason = forms.CharField(
        label=_("Reason (for a new or removed due date, or a removed owner)"), max_length=500, required=False
    )

    def __init__(self, *args, tenant=None, **kwargs):
        # Its own element ids: the agreement page also shows the progress, extension and drop forms, whose
        # text, due_on and reason fields would otherwise share ids (and labels) with these.
        kwargs.setdefault("auto_id", "id_edit_%s")
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Agency.objects.filter(tenant=tenant, is_active=True)

    def clean(self):
        d = super().clean()
        # A ticked "remove" wins over the prefilled value of the same field (the service refuses both).
        if d.get("clear_owner"):
            d["owner"] = None
        if d.get("clear_due_on"):
            d["due_on"] = None
        return d


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}))
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in AgreementStatus if s != AgreementStatus.DROPPED],
        required=False,
    )
    evidence_file = forms.FileField(label=_("Evidence (PDF, photo, document)"), required=False)
    evidence_url = forms.URLField(label=_("Or a link to the evidence"), required=False, assume_scheme="https")


class ExtensionForm(forms.Form):
    due_on = forms.DateField(label=_("New due date"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", _("Refuse"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DropForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class AttendeeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    position = forms.CharField(label=_("Position"), max_length=160, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)


class CheckinForm(AttendeeForm):
    code = forms.CharField(widget=forms.HiddenInput)


class MeetingDocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            ("photo", _("Photo (Gambar)")),
            ("invitation_scan", _("Signed invitation (scan)")),
            ("attendance_scan", _("Signed attendance list (scan)")),
            ("minutes_scan", _("Signed minutes (scan)")),
            ("material", _("Material")),
        ],
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("File"))


class LetterTemplateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Template"), choices=LetterTemplateKind.choices)
    file = forms.FileField(label=_("Word document (.docx) with the {{ … }} fields"))
