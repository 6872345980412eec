"""Forms of the KLA workspace: parse input only (the services decide)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.tenants.models import Agency

from .models import ActivityStatus, DeadlineKind, EvidenceType, RegulationKind, ReviewStatus


class DateInput(forms.DateInput):
    input_type = "date"


class AssignForm(forms.Form):
    indicators = forms.MultipleChoiceField(label=_("Indicators"), widget=forms.CheckboxSelectMultiple)
    agencies = forms.ModelMultipleChoiceField(label=_("Responsible OPDs"), queryset=Agency.objects.none())
    contact_name = forms.CharField(label=_("Contact person"), max_length=160, required=False)
    replace = forms.BooleanField(label=_("Replace the OPDs already assigned"), required=False)

    def __init__(self, *args, tenant, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].choices = [(str(i.pk), f"{i.code}. {i.short_title}") for i in indicators]
        self.fields["agencies"].queryset = Agency.objects.filter(tenant=tenant).order_by("name")


class EvidenceForm(forms.Form):
    evidence_type = forms.ChoiceField(label=_("Type"), choices=EvidenceType.choices)
    title = forms.CharField(label=_("Document"), max_length=300, required=False)
    number = forms.CharField(label=_("Number"), max_length=120, required=False)
    dated_on = forms.DateField(label=_("Date"), required=False, widget=DateInput)
    doc_year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    description = forms.CharField(
        label=_("Description"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    is_signed = forms.BooleanField(label=_("Signed"), required=False)
    file = forms.FileField(label=_("File (PDF, image, XLSX, DOCX)"), required=False)
    link_document = forms.ChoiceField(label=_("Or link a meeting or agreement document"), required=False)
    regulation = forms.ChoiceField(label=_("Or link a regulation of the library"), required=False)

    def __init__(self, *args, documents=(), regulations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["link_document"].choices = [("", "—")] + [(str(d.pk), f"{d.title} ({d.kind})") for d in documents]
        self.fields["regulation"].choices = [("", "—")] + [(str(r.pk), f"{r} — {r.title}") for r in regulations]


class ReplaceForm(forms.Form):
    file = forms.FileField(label=_("New file"))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[(ReviewStatus.ACCEPTED, _("Accept")), (ReviewStatus.REVISION, _("Request revision"))]
    )
    comment = forms.CharField(label=_("Comment"), max_length=2000, required=False)


class SelfAssessmentForm(forms.Form):
    points = forms.DecimalField(label=_("Self-assessed points"), min_value=0, max_digits=6, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)


class RegulationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=RegulationKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    number = forms.CharField(label=_("Number"), max_length=120)
    issued_on = forms.DateField(label=_("Date"), widget=DateInput)
    issuer = forms.CharField(label=_("Issuer"), max_length=200)
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DateInput)
    file = forms.FileField(label=_("File"), required=False)


class DeadlineForm(forms.Form):
    kind = forms.ChoiceField(label=_("Deadline"), choices=DeadlineKind.choices)
    due_on = forms.DateField(label=_("Date"), widget=DateInput)


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Activity"), max_length=300)
    agency = forms.ModelChoiceField(label=_("OPD"), queryset=Agency.objects.none())
    activity_year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    budget = forms.IntegerField(label=_("Budget (Rp)"), min_value=0, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices)
    agreement = forms.ChoiceField(label=_("Task-force agreement"), required=False)

    def __init__(self, *args, tenant, agreements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(tenant=tenant).order_by("name")
        self.fields["agreement"].choices = [("", "—")] + [(str(a.pk), str(a.text)[:80]) for a in agreements]
