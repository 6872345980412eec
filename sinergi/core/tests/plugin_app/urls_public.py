from django.urls import path

from . import views

app_name = "plugin_app_public"
urlpatterns = [path("", views.public_page, name="page")]
