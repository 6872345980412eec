from django.urls import path

from . import views

app_name = "plugin_app"
urlpatterns = [
    path("", views.visit_list, name="visit_list"),
    path("<uuid:pk>/", views.visit_detail, name="visit_detail"),
    path("<uuid:pk>/documents/", views.visit_document_upload, name="visit_document_upload"),
]
