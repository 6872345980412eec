from django.urls import path

from . import views

app_name = "tenants"
urlpatterns = [
    path("", views.agency_list, name="agency_list"),
    path("new/", views.agency_create, name="agency_create"),
    path("<uuid:pk>/", views.agency_detail, name="agency_detail"),
    path("<uuid:pk>/edit/", views.agency_edit, name="agency_edit"),
    path("<uuid:pk>/deactivate/", views.agency_set_active, {"active": False}, name="agency_deactivate"),
    path("<uuid:pk>/reactivate/", views.agency_set_active, {"active": True}, name="agency_reactivate"),
]
