"""The receiving agency's referral pages (mounted at /cases/referrals/)."""

from django.urls import path

from . import views_referral as views

urlpatterns = [
    path("", views.referral_inbox, name="referral_inbox"),
    path("<uuid:pk>/", views.referral_detail, name="referral_detail"),
    path("<uuid:pk>/accept/", views.referral_accept, name="referral_accept"),
    path("<uuid:pk>/decline/", views.referral_decline, name="referral_decline"),
    path("<uuid:pk>/services/", views.referral_service, name="referral_service"),
    path("<uuid:pk>/documents/", views.referral_document_upload, name="referral_document_upload"),
    path("<uuid:pk>/letter/", views.referral_letter, name="referral_letter"),
]
