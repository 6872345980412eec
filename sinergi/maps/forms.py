"""Forms of the office map pages (the same choices the API validates in sinergi.maps.office)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.cases import taxonomy as t
from sinergi.cases.statistics import MIN_YEAR

from .office import LEVELS


def _years() -> list[tuple[int, int]]:
    from django.utils import timezone

    this_year = timezone.localdate().year
    return [(y, y) for y in range(this_year, MIN_YEAR - 1, -1)]


ALL = [("", _("All"))]


class MapFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=_years)
    level = forms.ChoiceField(
        label=_("Level"), choices=list(zip(LEVELS, [_("Kecamatan"), _("Kelurahan/desa")], strict=True)), required=False
    )
    category = forms.ChoiceField(label=_("Case category"), choices=ALL + list(t.Category.choices), required=False)
    form = forms.ChoiceField(label=_("Form of violence"), choices=ALL + list(t.ViolenceForm.choices), required=False)
    age_band = forms.ChoiceField(label=_("Victim age band"), choices=ALL + list(t.AGE_BAND_CHOICES), required=False)
    sex = forms.ChoiceField(label=_("Victim sex"), choices=ALL + list(t.Sex.choices), required=False)

    def query_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "year": d["year"],
            "level": d.get("level") or "kecamatan",
            "category": d.get("category") or "",
            "form": d.get("form") or "",
            "age_band": d.get("age_band") or "",
            "sex": d.get("sex") or "",
        }


class PeriodForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=_years)


class PopulationImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file (tahun, kode_wilayah, jumlah_anak)"))
