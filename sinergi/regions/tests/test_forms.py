import re

import pytest
from django import forms
from django.template.loader import render_to_string

from sinergi.regions.forms import DistrictField, DistrictVillageFormMixin, VillageField

pytestmark = pytest.mark.usefixtures("regions")


class LocationForm(DistrictVillageFormMixin, forms.Form):
    district = DistrictField()
    village = VillageField(required=False)


class PrefixedForm(DistrictVillageFormMixin, forms.Form):
    district_field_name = "victim_district"
    village_field_name = "victim_village"

    victim_district = DistrictField()
    victim_village = VillageField()


def test_only_the_regency_kecamatan_are_offered():
    form = LocationForm(regency="35.71")
    choices = [label for value, label in form.fields["district"].choices if value]
    assert choices == ["Mojoroto", "Kota", "Pesantren"]
    assert list(form.fields["village"].queryset) == []


def test_a_valid_pair_is_accepted():
    form = LocationForm({"district": "35.71.01", "village": "35.71.01.1001"}, regency="35.71")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["village"].name == "Bandar Lor"


def test_kecamatan_of_another_regency_is_refused():
    form = LocationForm({"district": "64.02.01"}, regency="35.71")
    assert not form.is_valid()
    assert "district" in form.errors


def test_village_outside_the_chosen_kecamatan_is_refused():
    form = LocationForm({"district": "35.71.02", "village": "35.71.01.1001"}, regency="35.71")
    assert not form.is_valid()
    assert "village" in form.errors
    assert "village" not in form.cleaned_data


def test_a_bound_form_offers_the_villages_of_the_submitted_kecamatan():
    form = LocationForm({"district": "64.02.01", "village": ""}, regency="64.02")
    assert form.fields["village"].queryset.count() == 13
    assert ("64.02.01.2001", "Desa Perian") in [(str(v), label) for v, label in form.fields["village"].choices]


def test_the_initial_kecamatan_narrows_the_villages_of_an_unbound_form():
    form = LocationForm(initial={"district": "35.71.03"}, regency="35.71")
    assert {v.district_id for v in form.fields["village"].queryset} == {"35.71.03"}


def test_the_kecamatan_select_carries_the_htmx_wiring():
    html = str(LocationForm(regency="35.71")["district"])
    assert 'hx-get="/regions/villages/"' in html
    assert 'hx-target="#id_village"' in html
    assert 'hx-trigger="change"' in html


def test_a_differently_named_field_tells_the_view_its_parameter_name():
    form = PrefixedForm(regency="35.71", prefix="intake")
    html = str(form["victim_district"])
    assert 'hx-get="/regions/villages/?field=intake-victim_district"' in html
    assert 'hx-target="#id_intake-victim_village"' in html
    bound = PrefixedForm(
        {"intake-victim_district": "35.71.01", "intake-victim_village": "35.71.01.1001"},
        regency="35.71",
        prefix="intake",
    )
    assert bound.is_valid(), bound.errors


def test_the_partial_renders_labels_and_selects_without_inline_script():
    form = LocationForm({"district": "35.71.02", "village": "35.71.01.1001"}, regency="35.71")
    form.is_valid()
    html = render_to_string(
        "regions/partials/_district_village_select.html",
        {"district_field": form["district"], "village_field": form["village"]},
    )
    assert '<label for="id_district">' in html
    assert '<label for="id_village">' in html
    # The village error is shown under the id its select's aria-describedby names.
    assert 'id="id_village_error"' in html
    assert 'aria-describedby="id_village_error"' in html
    assert "<script" not in html
    assert not re.search(r"\son[a-z]+\s*=", html)  # no onchange= style handlers
