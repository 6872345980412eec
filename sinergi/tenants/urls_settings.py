from django.urls import path

from . import views_settings as views

app_name = "tenant_settings"
urlpatterns = [
    path("", views.tenant_settings, name="edit"),
    path("signatories/", views.signatory_add, name="signatory_add"),
    path("signatories/<uuid:pk>/deactivate/", views.signatory_deactivate, name="signatory_deactivate"),
    path("letter-sample.pdf", views.letter_sample, name="letter_sample"),
]
