from django.urls import path

from . import api

app_name = "documents_api"
urlpatterns = [
    path("<uuid:pk>/download/", api.DocumentDownloadApi.as_view(), name="download"),
]
