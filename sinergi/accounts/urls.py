from django.urls import path

from . import views, views_password

app_name = "accounts"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("logout-all/", views.logout_all, name="logout_all"),
    path("password/", views.password_change, name="password_change"),
    path("password-reset/", views_password.password_reset_request, name="password_reset"),
    path("password-reset/sent/", views_password.password_reset_sent, name="password_reset_sent"),
    path(
        "password-reset/<uidb64>/<token>/",
        views_password.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("2fa/setup/", views.otp_setup, name="otp_setup"),
    path("2fa/verify/", views.otp_verify, name="otp_verify"),
    path("2fa/backup-codes/", views.backup_codes_regenerate, name="backup_codes_regenerate"),
    path("tokens/", views.token_create, name="token_create"),
    path("tokens/<uuid:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
