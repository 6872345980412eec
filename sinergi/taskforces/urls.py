from django.urls import path

from . import views_agreements as a
from . import views_checkin as c
from . import views_meetings as m
from . import views_templates as t

app_name = "taskforces"

urlpatterns = [
    path("", m.home, name="home"),
    path("bodies/", m.body_list, name="body_list"),
    path("bodies/<uuid:pk>/", m.body_detail, name="body_detail"),
    path("meetings/new/", m.meeting_create, name="meeting_create"),
    path("meetings/series/new/", m.meeting_series_create, name="meeting_series_create"),
    path("meetings/<uuid:pk>/", m.meeting_detail, name="meeting_detail"),
    path("meetings/<uuid:pk>/status/", m.meeting_status, name="meeting_status"),
    path("meetings/<uuid:pk>/invitation/", m.invitation_issue, name="invitation_issue"),
    path("meetings/<uuid:pk>/invitation/send/", m.invitation_send, name="invitation_send"),
    path("meetings/<uuid:pk>/undangan.pdf", m.invitation_pdf, name="invitation_pdf"),
    path("meetings/<uuid:pk>/undangan.docx", m.invitation_docx, name="invitation_docx"),
    path("meetings/<uuid:pk>/notulen.docx", m.minutes_docx, name="minutes_docx"),
    path("meetings/<uuid:pk>/daftar-hadir.pdf", m.attendance_pdf, name="attendance_pdf"),
    path("meetings/<uuid:pk>/notulen.pdf", m.minutes_pdf, name="minutes_pdf"),
    path("meetings/<uuid:pk>/tindak-lanjut.pdf", m.followup_report_pdf, name="followup_report_pdf"),
    path("meetings/<uuid:pk>/minutes/", m.minutes, name="minutes"),
    path("meetings/<uuid:pk>/agreements/", m.agreement_add, name="agreement_add"),
    path("meetings/<uuid:pk>/reviewed/<uuid:agreement_pk>/", m.agreement_reviewed, name="agreement_reviewed"),
    path("meetings/<uuid:pk>/documents/", m.meeting_document_upload, name="meeting_document_upload"),
    path("meetings/<uuid:pk>/qr/", m.qr_screen, name="qr_screen"),
    path("meetings/<uuid:pk>/attendance/count/", m.attendance_count, name="attendance_count"),
    path("meetings/<uuid:pk>/attendance/add/", m.attendance_add, name="attendance_add"),
    path("absen/<uuid:pk>/", c.checkin, name="checkin"),
    path("agreements/<uuid:pk>/", a.agreement_detail, name="agreement_detail"),
    path("agreements/<uuid:pk>/progress/", a.agreement_progress, name="agreement_progress"),
    path("agreements/<uuid:pk>/extension/", a.agreement_extension, name="agreement_extension"),
    path("agreements/<uuid:pk>/extension/<uuid:extension_pk>/", a.extension_decide, name="extension_decide"),
    path("agreements/<uuid:pk>/edit/", a.agreement_edit, name="agreement_edit"),
    path("agreements/<uuid:pk>/drop/", a.agreement_drop, name="agreement_drop"),
    path("agreements/<uuid:pk>/follow/", a.agreement_follow, name="agreement_follow"),
    path("commitments/", a.commitments, name="commitments"),
    path("matrix/", a.matrix, name="matrix"),
    path("uang/", a.uang, name="uang"),
    path("overdue/", a.overdue, name="overdue"),
    path("templates/", t.letter_templates, name="letter_templates"),
    path("templates/<str:kind>/reset/", t.letter_template_reset, name="letter_template_reset"),
    path("templates/<str:kind>/template.docx", t.letter_template_download, name="letter_template_download"),
    path("calendar/", a.calendar_settings, name="calendar"),
    path("calendar/<str:token>.ics", a.calendar_feed, name="calendar_feed"),
]
