from django.urls import path

from . import api

app_name = "taskforces_api"

urlpatterns = [
    path("bodies/", api.BodyListApi.as_view(), name="body_list"),
    path("templates/", api.LetterTemplateListApi.as_view(), name="letter_templates"),
    path("templates/<str:kind>/reset/", api.LetterTemplateResetApi.as_view(), name="letter_template_reset"),
    path("bodies/<uuid:pk>/", api.BodyDetailApi.as_view(), name="body_detail"),
    path("bodies/<uuid:pk>/members/", api.BodyMembersApi.as_view(), name="body_members"),
    path("meetings/", api.MeetingListApi.as_view(), name="meeting_list"),
    path("meetings/series/", api.MeetingSeriesApi.as_view(), name="meeting_series"),
    path("meetings/<uuid:pk>/", api.MeetingDetailApi.as_view(), name="meeting_detail"),
    path("meetings/<uuid:pk>/status/", api.MeetingStatusApi.as_view(), name="meeting_status"),
    path("meetings/<uuid:pk>/invitation/", api.InvitationApi.as_view(), name="invitation"),
    path("meetings/<uuid:pk>/invitation/send/", api.InvitationSendApi.as_view(), name="invitation_send"),
    path("meetings/<uuid:pk>/pdf/<str:kind>/", api.MeetingPdfApi.as_view(), name="meeting_pdf"),
    path("meetings/<uuid:pk>/docx/<str:kind>/", api.MeetingDocxApi.as_view(), name="meeting_docx"),
    path("meetings/<uuid:pk>/minutes/", api.MinutesApi.as_view(), name="minutes"),
    path("meetings/<uuid:pk>/agreements/", api.MeetingAgreementsApi.as_view(), name="meeting_agreements"),
    path("meetings/<uuid:pk>/attendance/", api.AttendanceApi.as_view(), name="attendance"),
    path("meetings/<uuid:pk>/checkin/", api.CheckinApi.as_view(), name="checkin"),
    path("meetings/<uuid:pk>/documents/", api.MeetingDocumentsApi.as_view(), name="meeting_documents"),
    path("agreements/", api.AgreementListApi.as_view(), name="agreement_list"),
    path("agreements/<uuid:pk>/", api.AgreementDetailApi.as_view(), name="agreement_detail"),
    path("agreements/<uuid:pk>/progress/", api.AgreementProgressApi.as_view(), name="agreement_progress"),
    path("agreements/<uuid:pk>/extension/", api.AgreementExtensionApi.as_view(), name="agreement_extension"),
    path(
        "agreements/<uuid:pk>/extension/<uuid:extension_pk>/decision/",
        api.ExtensionDecisionApi.as_view(),
        name="extension_decide",
    ),
    path("agreements/<uuid:pk>/reviewed/", api.AgreementReviewedApi.as_view(), name="agreement_reviewed"),
    path("agreements/<uuid:pk>/drop/", api.AgreementDropApi.as_view(), name="agreement_drop"),
    path("agreements/<uuid:pk>/follow/", api.AgreementFollowApi.as_view(), name="agreement_follow"),
    path("agreements/<uuid:pk>/documents/", api.AgreementDocumentsApi.as_view(), name="agreement_documents"),
    path("matrix/", api.MatrixApi.as_view(), name="matrix"),
    path("uang/", api.UangApi.as_view(), name="uang"),
    path("calendar-feed/", api.CalendarFeedApi.as_view(), name="calendar_feed"),
]
