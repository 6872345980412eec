"""Form fields for choosing kecamatan → desa/kelurahan inside one kabupaten/kota, narrowed with htmx.

Usage in another app:

    class IntakeForm(DistrictVillageFormMixin, forms.Form):
        district = DistrictField()
        village = VillageField(required=False)

    form = IntakeForm(request.POST or None, regency=request.user.tenant.regency_id)

and in the template `{% include "regions/partials/_district_village_select.html" with
district_field=form.district village_field=form.village %}`. Changing the kecamatan select asks
`regions:village_options` for the matching <option> list (htmx attributes only, no inline JS).
"""

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import District, Regency, Village
from .selectors import (
    districts_for_regency,
    validate_district_in_regency,
    validate_village_in_district,
    villages_for_district,
)


class DistrictField(forms.ModelChoiceField):
    """A kecamatan; starts with no choices until limited to a regency (see DistrictVillageFormMixin)."""

    def __init__(self, *, queryset: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Kecamatan"))
        kwargs.setdefault("empty_label", _("Choose a kecamatan"))
        super().__init__(queryset=District.objects.none() if queryset is None else queryset, **kwargs)

    def limit_to_regency(self, regency_code: str | None) -> None:
        self.queryset = districts_for_regency(regency_code=regency_code) if regency_code else District.objects.none()


class VillageField(forms.ModelChoiceField):
    """A desa/kelurahan; offers only the villages of the chosen kecamatan."""

    def __init__(self, *, queryset: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Desa/kelurahan"))
        kwargs.setdefault("empty_label", _("Choose a desa/kelurahan"))
        super().__init__(queryset=Village.objects.none() if queryset is None else queryset, **kwargs)

    def label_from_instance(self, obj: Village) -> str:
        return obj.prefixed_name

    def limit_to_district(self, district_code: str | None, *, regency_code: str | None) -> None:
        if not district_code or not regency_code:
            self.queryset = Village.objects.none()
            return
        self.queryset = villages_for_district(district_code=district_code).filter(district__regency_id=regency_code)


class DistrictVillageFormMixin:
    """Limit a DistrictField + VillageField pair to one regency and wire the htmx narrowing.

    Pass `regency=` (a Regency or its code, usually `user.tenant.regency_id`) to the form.
    """

    district_field_name = "district"
    village_field_name = "village"

    def __init__(self, *args: Any, regency: Regency | str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.regency_code = regency.pk if isinstance(regency, Regency) else regency
        district_field = self.fields[self.district_field_name]
        village_field = self.fields[self.village_field_name]
        district_field.limit_to_regency(self.regency_code)
        village_field.limit_to_district(self._chosen_district_code(), regency_code=self.regency_code)

        village_bound = self[self.village_field_name]
        village_id = village_bound.auto_id or f"id_{village_bound.html_name}"
        village_field.widget.attrs.setdefault("id", village_id)
        district_name = self[self.district_field_name].html_name
        url = reverse("regions:village_options")
        if district_name != "district":
            url += "?" + urlencode({"field": district_name})
        district_field.widget.attrs.update(
            {"hx-get": url, "hx-target": f"#{village_id}", "hx-trigger": "change", "hx-swap": "innerHTML"}
        )

    def _chosen_district_code(self) -> str | None:
        if self.is_bound:
            value = self.data.get(self.add_prefix(self.district_field_name))
        else:
            value = self.initial.get(self.district_field_name, self.fields[self.district_field_name].initial)
        if isinstance(value, District):
            return value.pk
        return str(value) if value else None

    def clean(self) -> dict:
        cleaned = super().clean()
        district = cleaned.get(self.district_field_name)
        village = cleaned.get(self.village_field_name)
        # The querysets already enforce this; checked again so a subclass changing them stays safe.
        if district is not None:
            try:
                validate_district_in_regency(self.regency_code or "", district.code)
            except forms.ValidationError as exc:
                self.add_error(self.district_field_name, exc)
                return cleaned
        if village is not None:
            try:
                validate_village_in_district(district.code if district else "", village.code)
            except forms.ValidationError as exc:
                self.add_error(self.village_field_name, exc)
        return cleaned
