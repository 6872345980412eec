from django.urls import path

from . import views_users as views

app_name = "accounts_users"
urlpatterns = [
    path("", views.user_list, name="list"),
    path("new/", views.user_create, name="create"),
    path("<uuid:pk>/", views.user_detail, name="detail"),
    path("<uuid:pk>/deactivate/", views.user_set_active, {"active": False}, name="deactivate"),
    path("<uuid:pk>/reactivate/", views.user_set_active, {"active": True}, name="reactivate"),
    path("<uuid:pk>/password-reset/", views.user_password_reset, name="password_reset"),
    path("<uuid:pk>/otp-reset/", views.user_otp_reset, name="otp_reset"),
]
