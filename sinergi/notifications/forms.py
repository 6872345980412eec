"""The notification settings form: one choice of channel per registered kind."""

from django import forms

from . import kinds


class PreferencesForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in kinds.registered():
            self.fields[kind.slug] = forms.ChoiceField(
                label=kind.label, choices=kinds.CHANNEL_CHOICES, widget=forms.RadioSelect, required=False
            )

    def channels(self) -> dict[str, str]:
        """The kinds that were answered (a kind left out keeps its current channel)."""
        return {kind: channel for kind, channel in self.cleaned_data.items() if channel}
