from django.urls import path

from . import api

urlpatterns = [
    path("current/", api.CurrentTenantApi.as_view(), name="api-tenant-current"),
    path("settings/", api.TenantSettingsApi.as_view(), name="api-tenant-settings"),
    path("agencies/", api.AgencyListApi.as_view(), name="api-agency-list"),
    path("agencies/<uuid:pk>/", api.AgencyDetailApi.as_view(), name="api-agency-detail"),
]
