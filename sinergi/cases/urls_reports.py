"""Reports: statistics, SIMFONI-PPA export and the case summary PDF (mounted at /cases/reports/)."""

from django.urls import path

from . import views_reports as views

urlpatterns = [
    path("statistics/", views.statistics, name="statistics"),
    path("simfoni/export/", views.export_simfoni, name="export_simfoni"),
    path("<uuid:pk>/summary.pdf", views.summary_pdf, name="summary_pdf"),
]
