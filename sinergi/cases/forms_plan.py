"""Forms of the case plan. They only parse input: the rules live in services/plan.py."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import User
from sinergi.tenants.models import Agency

from . import taxonomy as t
from .models import PlanGoal
from .policy import users_who_may_open_q

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _NamedChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return getattr(obj, "full_name", "") or getattr(obj, "name", "") or str(obj)


class PlanGoalForm(forms.Form):
    prefix = "goal"

    text = forms.CharField(label=_("Goal"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class PlanTaskForm(forms.Form):
    prefix = "task"

    title = forms.CharField(label=_("Task"), max_length=500)
    owner_agency = _NamedChoice(
        label=_("Owner: agency"), queryset=Agency.objects.none(), required=False, empty_label=_("No agency")
    )
    owner_user = _NamedChoice(
        label=_("Owner: person"), queryset=User.objects.none(), required=False, empty_label=_("No person")
    )
    due_on = forms.DateField(label=_("Due date"), widget=DATE_INPUT)
    goal = forms.ModelChoiceField(
        label=_("Goal"), queryset=PlanGoal.objects.none(), required=False, empty_label=_("No goal")
    )

    def __init__(self, *args: Any, case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].queryset = Agency.objects.filter(tenant_id=case.tenant_id, is_active=True).order_by(
            "name"
        )
        self.fields["owner_user"].queryset = User.objects.filter(users_who_may_open_q(case)).order_by("full_name")
        self.fields["goal"].queryset = PlanGoal.objects.filter(case=case)
        self.fields["goal"].label_from_instance = lambda goal: goal.text[:80]


class PlanTaskStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=t.PlanTaskStatus.choices)


class FollowUpForm(forms.Form):
    prefix = "follow_up"

    kind = forms.ChoiceField(label=_("Kind of follow-up"), choices=t.FollowUpKind.choices)
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    owner = _NamedChoice(label=_("Owner (reminded the day before)"), queryset=User.objects.none())
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(users_who_may_open_q(case)).order_by("full_name")


class FollowUpChangeForm(forms.Form):
    """Move one follow-up to another time or owner (prefixed per follow-up: several on one page).
    `owners`: the people who may open the case, read once per page for every follow-up's form."""

    starts_at = forms.DateTimeField(
        label=_("New date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    owner = forms.ChoiceField(label=_("Owner (reminded the day before)"))

    def __init__(self, *args: Any, follow_up, owners: list[User] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"fu-{follow_up.pk}")
        kwargs.setdefault(
            "initial", {"starts_at": timezone.localtime(follow_up.starts_at), "owner": str(follow_up.owner_id)}
        )
        super().__init__(*args, **kwargs)
        if owners is None:
            owners = list(User.objects.filter(users_who_may_open_q(follow_up.case)).order_by("full_name"))
        self._owners = {str(u.pk): u for u in owners}
        self.fields["owner"].choices = [(str(u.pk), u.full_name or u.username) for u in owners]

    def clean_owner(self) -> User:
        return self._owners[self.cleaned_data["owner"]]


class FollowUpCancelForm(forms.Form):
    reason = forms.CharField(label=_("Why is it cancelled?"), min_length=3, max_length=500)

    def __init__(self, *args: Any, follow_up, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"fu-cancel-{follow_up.pk}")
        super().__init__(*args, **kwargs)
