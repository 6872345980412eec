"""The office's data map pages, mounted at /maps/ with the "maps" namespace."""

from django.urls import path

from . import views

app_name = "maps"
urlpatterns = [
    path("", views.office_map, name="office"),
    path("kinerja/", views.performance, name="performance"),
    path("penduduk-anak/", views.population_import, name="population"),
]
