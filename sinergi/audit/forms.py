from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

DATE_RANGE_INVALID = _("The start date must not be after the end date.")


class ActorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name} ({obj.username})" if obj.full_name else obj.username


class AuditEventFilterForm(forms.Form):
    """Parses the audit list/export filters from the query string."""

    object_type = forms.CharField(
        label=_("Object type"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"list": "audit-object-types", "placeholder": "cases.case"}),
    )
    object_id = forms.CharField(label=_("Object ID"), required=False, max_length=64)
    actor = ActorChoiceField(label=_("User"), queryset=None, required=False, empty_label=_("All users"))
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=60,
        help_text=_('Exact action or prefix, e.g. "case".'),
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, actors: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        actor = self.fields["actor"]
        assert isinstance(actor, forms.ModelChoiceField)
        actor.queryset = actors

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            raise forms.ValidationError(DATE_RANGE_INVALID, code="date_range")
        return cleaned

    def filters(self) -> dict:
        """Keyword arguments for `audit_event_list_for_user` / `audit_event_export`."""
        data = self.cleaned_data
        actor = data.get("actor")
        return {
            "object_type": data.get("object_type") or None,
            "object_id": data.get("object_id") or None,
            "actor_id": actor.pk if actor else None,
            "action": data.get("action") or None,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
