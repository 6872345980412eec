from django.urls import path

from . import api

app_name = "notifications_api"
urlpatterns = [
    path("", api.NotificationListApi.as_view(), name="list"),
    path("groups/", api.NotificationGroupsApi.as_view(), name="groups"),
    path("preferences/", api.NotificationPreferencesApi.as_view(), name="preferences"),
    path("<uuid:pk>/read/", api.NotificationReadApi.as_view(), name="mark_read"),
]
