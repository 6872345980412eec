from django import forms


class VisitDocumentForm(forms.Form):
    kind = forms.ChoiceField(choices=[("photo", "Photo"), ("report", "Report")])
    title = forms.CharField(required=False, max_length=200)
    file = forms.FileField()
