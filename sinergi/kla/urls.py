from django.urls import path

from . import views

app_name = "kla"

urlpatterns = [
    path("", views.home, name="home"),
    path("assignments/", views.assignments, name="assignments"),
    path("regulations/", views.regulations, name="regulations"),
    path("deadlines/", views.deadline_set, name="deadline_set"),
    path("package/", views.package_start, name="package_start"),
    path("indicators/<uuid:pk>/", views.indicator_detail, name="indicator"),
    path("indicators/<uuid:pk>/self-assessment/", views.self_assessment, name="self_assessment"),
    path("indicators/<uuid:pk>/activities/", views.activity_create, name="activity_create"),
    path("evidence/<uuid:pk>/review/", views.evidence_review, name="evidence_review"),
    path("evidence/<uuid:pk>/replace/", views.evidence_replace, name="evidence_replace"),
]
