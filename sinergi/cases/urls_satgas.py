"""The Satgas PPA volunteer's mobile pages (mounted at /cases/satgas/)."""

from django.urls import path

from . import views_satgas as views

urlpatterns = [
    path("", views.satgas_reports, name="satgas_reports"),
    path("new/", views.satgas_create, name="satgas_create"),
    path("draft/", views.satgas_draft_save, name="satgas_draft_save"),
    path("draft/discard/", views.satgas_draft_discard, name="satgas_draft_discard"),
    path("sent/<uuid:pk>/", views.satgas_sent, name="satgas_sent"),
]
