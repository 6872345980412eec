from django.urls import path

from . import api

app_name = "regions_api"
urlpatterns = [
    path("provinces/", api.ProvinceListApi.as_view(), name="province_list"),
    path("provinces/<str:code>/", api.ProvinceDetailApi.as_view(), name="province_detail"),
    path("regencies/", api.RegencyListApi.as_view(), name="regency_list"),
    path("regencies/<str:code>/", api.RegencyDetailApi.as_view(), name="regency_detail"),
    path("districts/", api.DistrictListApi.as_view(), name="district_list"),
    path("districts/<str:code>/", api.DistrictDetailApi.as_view(), name="district_detail"),
    path("villages/", api.VillageListApi.as_view(), name="village_list"),
    path("villages/<str:code>/", api.VillageDetailApi.as_view(), name="village_detail"),
]
