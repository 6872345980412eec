from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("<uuid:pk>/download/", views.download, name="download"),
    path("<uuid:pk>/preview/", views.preview, name="preview"),
    path("<uuid:pk>/thumbnail/", views.thumbnail, name="thumbnail"),
    path("<uuid:pk>/delete/", views.delete, name="delete"),
]
