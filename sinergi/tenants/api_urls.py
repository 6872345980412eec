from django.urls import path

from . import api

urlpatterns = [
    path("current/", api.CurrentTenantApi.as_view(), name="api-tenant-current"),
    path("settings/", api.TenantSettingsApi.as_view(), name="api-tenant-settings"),
    path("agencies/", api.AgencyListApi.as_view(), name="api-agency-list"),
    path("agencies/<uuid:pk>/", api.AgencyDetailApi.as_view(), name="api-agency-detail"),
    path("agencies/<uuid:pk>/deactivate/", api.AgencyDeactivateApi.as_view(), name="api-agency-deactivate"),
    path("agencies/<uuid:pk>/reactivate/", api.AgencyReactivateApi.as_view(), name="api-agency-reactivate"),
]
