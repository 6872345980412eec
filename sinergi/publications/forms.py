"""Forms of the publications pages: they only parse input (the services and the engine decide)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .ppra.files import MAX_TEXT_CHARS

ERROR_TEXT_OR_FILE = _("Paste a text or choose a file.")
MAX_PHOTOS = 5


class CheckForm(forms.Form):
    text = forms.CharField(
        label=_("Text"),
        required=False,
        strip=False,
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "true"}),
        help_text=_("A press release, news story, social-media post or school announcement."),
    )
    file = forms.FileField(
        label=_("Or upload a file"),
        required=False,
        help_text=_("TXT (UTF-8), DOCX or PDF, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.docx,.pdf,text/plain,application/pdf"}),
    )
    keep = forms.BooleanField(
        label=_("Keep this check (the text is stored for the office)"), required=False, initial=False
    )
    register = forms.BooleanField(
        label=_("Cross-check the names against the case register"),
        required=False,
        initial=False,
        help_text=_(
            "Flags a name that matches a protected child of the case register, without saying which case. "
            "For reviewers with a second factor; every cross-check is recorded in the audit log."
        ),
    )
    finding = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("file") and not self.files.getlist("photos"):
            raise forms.ValidationError(ERROR_TEXT_OR_FILE)
        return data
