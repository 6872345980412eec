"""Forms of the receiving agency's referral pages. They only parse input: the rules live in services.py."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.documents.forms import DocumentUploadForm
from sinergi.tenants.selectors import active_signatories

from . import taxonomy as t

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

INBOX_TABS = (
    ("open", _("Open")),
    (t.ReferralStatus.ACCEPTED.value, _("Accepted")),
    (t.ReferralStatus.COMPLETED.value, _("Completed")),
)


class LetterForm(forms.Form):
    """Who signs the referral letter: one of the tenant's active signatories (the default first)."""

    prefix = "letter"

    signatory = forms.ModelChoiceField(label=_("Signed by"), queryset=None, required=False, empty_label=None)

    def __init__(self, *args, tenant, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["signatory"]
        field.queryset = active_signatories(tenant=tenant)
        field.label_from_instance = lambda s: f"{s.name} · {s.position}"


class DeclineForm(forms.Form):
    prefix = "decline"

    reason = forms.CharField(label=_("Reason for declining"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ServiceRecordForm(forms.Form):
    prefix = "service"

    delivered_on = forms.DateField(label=_("Service date"), widget=DATE_INPUT)
    sessions = forms.IntegerField(label=_("Sessions"), min_value=1, max_value=500, initial=1)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=t.ServiceOutcome.choices)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["delivered_on"].initial = timezone.localdate


class ReferralDocumentKind:
    CHOICES = [
        ("service_report", _("Service report")),
        ("assessment", _("Assessment")),
        ("visum", _("Visum")),
        ("other", _("Other")),
    ]
    LABELS = dict(CHOICES)


class ReferralDocumentForm(DocumentUploadForm):
    prefix = "document"
    field_order = ["kind", "title", "file"]

    kind = forms.ChoiceField(label=_("Kind"), choices=ReferralDocumentKind.CHOICES)
