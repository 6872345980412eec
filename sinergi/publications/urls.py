from django.urls import path

from . import views

app_name = "publications"
urlpatterns = [
    path("", views.checker, name="checker"),
    path("drafts/", views.draft_list, name="draft_list"),
    path("drafts/<uuid:pk>/", views.draft_detail, name="draft_detail"),
]
