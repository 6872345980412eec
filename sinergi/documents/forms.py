"""Upload form for owning apps to embed: parses input only; `services.document_store` validates the file."""

from django import forms
from django.utils.translation import gettext_lazy as _

# Hint for the browser's file picker only; the server sniffs the bytes.
ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx,.odt,.ods,.txt,application/pdf,image/jpeg,image/png,text/plain"


class DocumentUploadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("File"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))
