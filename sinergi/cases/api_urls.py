"""Case handling API (mounted at /api/v1/cases/). UUIDs in every path."""

from django.urls import path

from . import api
from .api import plan as plan_api

app_name = "cases_api"
urlpatterns = [
    path("", api.CaseListCreateApi.as_view(), name="list"),
    path("search/", api.CaseIdentitySearchApi.as_view(), name="identity_search"),
    path("duplicates/", api.CaseDuplicatesApi.as_view(), name="duplicates"),
    path("statistics/", api.StatisticsApi.as_view(), name="statistics"),
    path("export/simfoni/", api.SimfoniExportApi.as_view(), name="export_simfoni"),
    path("drafts/", api.DraftListCreateApi.as_view(), name="drafts"),
    path("drafts/<uuid:pk>/", api.DraftDetailApi.as_view(), name="draft_detail"),
    path("rights/<uuid:pk>/", api.RightSetApi.as_view(), name="right_set"),
    path("referrals/", api.ReferralInboxApi.as_view(), name="referral_inbox"),
    path("referrals/<uuid:pk>/", api.ReferralDetailApi.as_view(), name="referral_detail"),
    path("referrals/<uuid:pk>/respond/", api.ReferralRespondApi.as_view(), name="referral_respond"),
    path("referrals/<uuid:pk>/services/", api.ReferralServiceApi.as_view(), name="referral_services"),
    path("referrals/<uuid:pk>/cancel/", api.ReferralCancelApi.as_view(), name="referral_cancel"),
    path("referrals/<uuid:pk>/letter/", api.ReferralLetterApi.as_view(), name="referral_letter"),
    path("referrals/<uuid:pk>/documents/", api.ReferralDocumentsApi.as_view(), name="referral_documents"),
    path("<uuid:pk>/", api.CaseDetailApi.as_view(), name="detail"),
    path("<uuid:pk>/summary.pdf", api.CaseSummaryPdfApi.as_view(), name="summary_pdf"),
    path("<uuid:pk>/triage/", api.CaseTriageApi.as_view(), name="triage"),
    path("<uuid:pk>/stage/", api.CaseStageApi.as_view(), name="stage"),
    path("<uuid:pk>/first-response/", api.CaseFirstResponseApi.as_view(), name="first_response"),
    path("<uuid:pk>/assign/", api.CaseAssignApi.as_view(), name="assign"),
    path("<uuid:pk>/notes/", api.CaseNoteApi.as_view(), name="notes"),
    path("<uuid:pk>/incident/", api.CaseIncidentApi.as_view(), name="incident"),
    path("<uuid:pk>/people/", api.CasePersonAddApi.as_view(), name="people"),
    path("<uuid:pk>/close/", api.CaseCloseApi.as_view(), name="close"),
    path("<uuid:pk>/reopen/", api.CaseReopenApi.as_view(), name="reopen"),
    path("<uuid:pk>/diversions/", api.CaseDiversionsApi.as_view(), name="diversions"),
    path("<uuid:pk>/timeline/", api.CaseTimelineApi.as_view(), name="timeline"),
    path("<uuid:pk>/rights/", api.CaseRightsApi.as_view(), name="rights"),
    path("<uuid:pk>/referrals/", api.CaseReferralsApi.as_view(), name="referrals"),
    path("<uuid:pk>/documents/", api.CaseDocumentsApi.as_view(), name="documents"),
    path("<uuid:pk>/plan/", plan_api.CasePlanApi.as_view(), name="plan"),
    path("<uuid:pk>/plan/goals/", plan_api.CasePlanGoalsApi.as_view(), name="plan_goals"),
    path("<uuid:pk>/plan/tasks/", plan_api.CasePlanTasksApi.as_view(), name="plan_tasks"),
    path("<uuid:pk>/plan/tasks/<uuid:task_pk>/", plan_api.CasePlanTaskApi.as_view(), name="plan_task"),
    path("<uuid:pk>/follow-ups/", plan_api.CaseFollowUpsApi.as_view(), name="follow_ups"),
    path("<uuid:pk>/follow-ups/<uuid:follow_up_pk>/", plan_api.CaseFollowUpApi.as_view(), name="follow_up"),
    path(
        "<uuid:pk>/follow-ups/<uuid:follow_up_pk>/cancel/",
        plan_api.CaseFollowUpCancelApi.as_view(),
        name="follow_up_cancel",
    ),
]
