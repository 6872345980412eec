from django.urls import path

from . import views

app_name = "kla"

urlpatterns = [
    path("", views.home, name="home"),
    path("assignments/", views.assignments, name="assignments"),
    path("regulations/", views.regulations, name="regulations"),
    path("regulations/<uuid:pk>/edit/", views.regulation_edit, name="regulation_edit"),
    path("regulations/<uuid:pk>/retire/", views.regulation_retire, name="regulation_retire"),
    path("deadlines/", views.deadline_set, name="deadline_set"),
    path("deadlines/<uuid:pk>/retire/", views.deadline_retire, name="deadline_retire"),
    path("activities/<uuid:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<uuid:pk>/retire/", views.activity_retire, name="activity_retire"),
    path("package/", views.package_start, name="package_start"),
    path("indicators/<uuid:pk>/", views.indicator_detail, name="indicator"),
    path("indicators/<uuid:pk>/self-assessment/", views.self_assessment, name="self_assessment"),
    path("indicators/<uuid:pk>/activities/", views.activity_create, name="activity_create"),
    path("evidence/<uuid:pk>/review/", views.evidence_review, name="evidence_review"),
    path("evidence/<uuid:pk>/replace/", views.evidence_replace, name="evidence_replace"),
]
