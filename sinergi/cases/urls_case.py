"""Case team pages: list, intake, duplicate check, the case page and its actions."""

from django.urls import path

from . import views_case as views
from .views_case import plan as plan_views

urlpatterns = [
    path("", views.case_list, name="list"),
    # The navigation header asks for "cases:case_list".
    path("", views.case_list, name="case_list"),
    path("new/", views.case_create, name="create"),
    path("duplicates/", views.case_duplicates, name="duplicates"),
    path("<uuid:pk>/", views.case_detail, name="detail"),
    path("<uuid:pk>/timeline/", views.case_timeline, name="case_timeline"),
    path("<uuid:pk>/people/<uuid:person_pk>/reveal/", views.case_reveal, name="reveal"),
    path("<uuid:pk>/triage/", views.case_triage, name="case_triage"),
    path("<uuid:pk>/stage/", views.case_stage, name="case_stage"),
    path("<uuid:pk>/first-response/", views.case_first_response, name="case_first_response"),
    path("<uuid:pk>/assign/", views.case_assign, name="case_assign"),
    path("<uuid:pk>/notes/", views.case_note, name="case_note"),
    path("<uuid:pk>/rights/<uuid:item_pk>/", views.case_right, name="case_right"),
    path("<uuid:pk>/refer/", views.case_refer, name="case_refer"),
    path("<uuid:pk>/refer/agencies/", views.case_referral_agencies, name="case_referral_agencies"),
    path("<uuid:pk>/close/", views.case_close, name="case_close"),
    path("<uuid:pk>/reopen/", views.case_reopen, name="case_reopen"),
    path("<uuid:pk>/diversion/", views.case_diversion, name="case_diversion"),
    path("<uuid:pk>/documents/", views.case_document_upload, name="case_document_upload"),
    path("<uuid:pk>/plan/goals/", plan_views.plan_goal_add, name="plan_goal_add"),
    path("<uuid:pk>/plan/tasks/", plan_views.plan_task_add, name="plan_task_add"),
    path("<uuid:pk>/plan/tasks/<uuid:task_pk>/status/", plan_views.plan_task_status, name="plan_task_status"),
    path("<uuid:pk>/follow-ups/", plan_views.follow_up_schedule, name="follow_up_schedule"),
    path(
        "<uuid:pk>/follow-ups/<uuid:follow_up_pk>/reschedule/",
        plan_views.follow_up_reschedule,
        name="follow_up_reschedule",
    ),
    path("<uuid:pk>/follow-ups/<uuid:follow_up_pk>/cancel/", plan_views.follow_up_cancel, name="follow_up_cancel"),
]
