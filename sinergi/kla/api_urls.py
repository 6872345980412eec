from django.urls import path

from . import api
from .api import manage

app_name = "kla_api"

urlpatterns = [
    path("years/<int:year>/indicators/", api.IndicatorListApi.as_view(), name="indicators"),
    path("years/<int:year>/scores/", api.ScoreApi.as_view(), name="scores"),
    path("years/<int:year>/assignments/", api.AssignmentApi.as_view(), name="assignments"),
    path("years/<int:year>/deadlines/", api.DeadlineApi.as_view(), name="deadlines"),
    path("years/<int:year>/activities/", api.ActivityApi.as_view(), name="activities"),
    path("years/<int:year>/package/", api.PackageApi.as_view(), name="package"),
    path("evidence/", api.EvidenceListApi.as_view(), name="evidence"),
    path("evidence/<uuid:pk>/", api.EvidenceDetailApi.as_view(), name="evidence_detail"),
    path("evidence/<uuid:pk>/review/", api.EvidenceReviewApi.as_view(), name="evidence_review"),
    path("evidence/<uuid:pk>/replace/", api.EvidenceReplaceApi.as_view(), name="evidence_replace"),
    path("indicators/<uuid:pk>/self-assessment/", api.SelfAssessmentApi.as_view(), name="self_assessment"),
    path("regulations/", api.RegulationApi.as_view(), name="regulations"),
    path("regulations/<uuid:pk>/", manage.RegulationDetailApi.as_view(), name="regulation_detail"),
    path("deadlines/<uuid:pk>/", manage.DeadlineDetailApi.as_view(), name="deadline_detail"),
    path("activities/<uuid:pk>/", manage.ActivityDetailApi.as_view(), name="activity_detail"),
]
