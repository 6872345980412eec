"""Public API (no authentication), mounted at /api/v1/public/."""

from django.urls import path

from . import api_public

urlpatterns = [
    path("reports/", api_public.PublicReportApi.as_view(), name="api-public-report"),
    path("reports/status/", api_public.PublicReportStatusApi.as_view(), name="api-public-report-status"),
]
