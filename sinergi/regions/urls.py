from django.urls import path

from . import views

app_name = "regions"
urlpatterns = [
    path("villages/", views.village_options, name="village_options"),
    path("districts/", views.district_options, name="district_options"),
]
