"""The public ILA pages (no login), mounted at /ila/ with the "ila" namespace."""

from django.urls import path, re_path

from . import views_public as views

app_name = "ila"
CODE = r"(?P<code>[0-9]{2}\.[0-9]{2})"
urlpatterns = [
    path("", views.index, name="index"),
    re_path(rf"^{CODE}/$", views.page, name="page"),
    re_path(rf"^{CODE}/angka\.json$", views.figures_json, name="json"),
    re_path(rf"^{CODE}/angka\.csv$", views.figures_csv, name="csv"),
    re_path(rf"^{CODE}/peta\.svg$", views.map_svg, name="map"),
]
