from django.urls import path

from . import api

app_name = "jobs_api"
urlpatterns = [
    path("", api.JobListApi.as_view(), name="list"),
    path("<uuid:pk>/", api.JobDetailApi.as_view(), name="detail"),
    path("<uuid:pk>/download/", api.JobDownloadApi.as_view(), name="download"),
]
