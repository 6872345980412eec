from django.urls import path

from . import api

app_name = "audit-api"
urlpatterns = [
    path("events/", api.AuditEventListApi.as_view(), name="event-list"),
]
