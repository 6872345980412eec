"""API of the office's data map, mounted at /api/v1/maps/."""

from django.urls import path, re_path

from . import api

app_name = "maps_api"
urlpatterns = [
    path("office/", api.OfficeMapApi.as_view(), name="office"),
    re_path(r"^office/regions/(?P<code>[0-9.]{2,13})/$", api.OfficeRegionApi.as_view(), name="region"),
    re_path(r"^boundaries/(?P<level>kecamatan|kelurahan)/$", api.BoundariesApi.as_view(), name="boundaries"),
    path("performance/", api.PerformanceApi.as_view(), name="performance"),
    path("coverage/", api.CoverageApi.as_view(), name="coverage"),
    path("child-population/", api.ChildPopulationApi.as_view(), name="population"),
]
