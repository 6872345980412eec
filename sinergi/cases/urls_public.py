"""Public pages (no login), mounted at /lapor/ with the "public" namespace."""

from django.urls import path, re_path

from . import views_public as views

app_name = "public"
urlpatterns = [
    path("", views.report, name="report"),
    path("status/", views.status, name="status"),
    path("terima-kasih/", views.thanks, name="thanks"),
    re_path(r"^(?P<code>[0-9]{2}\.[0-9]{2})/$", views.report_for, name="report_for"),
]
