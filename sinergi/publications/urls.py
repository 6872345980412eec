from django.urls import path

from . import views, views_partners, views_rules

app_name = "publications"
urlpatterns = [
    path("", views.checker, name="checker"),
    path("photos/<str:token>/", views.photo_blurred, name="photo_blurred"),
    path("rules/", views_rules.rules_edit, name="rules"),
    path("drafts/", views.draft_list, name="draft_list"),
    path("drafts/<uuid:pk>/", views.draft_detail, name="draft_detail"),
    path("partners/", views_partners.partner_list, name="partner_list"),
    path("partners/<uuid:pk>/", views_partners.partner_detail, name="partner_detail"),
]
