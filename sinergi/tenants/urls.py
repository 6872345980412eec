from django.urls import path

from . import views

app_name = "tenants"
urlpatterns = [
    path("", views.agency_list, name="agency_list"),
    path("<uuid:pk>/", views.agency_detail, name="agency_detail"),
]
