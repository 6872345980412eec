from django.urls import path

from . import api, api_users

app_name = "accounts_api"
urlpatterns = [
    path("me/", api.MeApi.as_view(), name="me"),
    path("tokens/", api.TokenListCreateApi.as_view(), name="tokens"),
    path("tokens/<uuid:pk>/revoke/", api.TokenRevokeApi.as_view(), name="token_revoke"),
    path("users/", api_users.UserListCreateApi.as_view(), name="users"),
    path("users/<uuid:pk>/", api_users.UserDetailApi.as_view(), name="user_detail"),
    path("users/<uuid:pk>/deactivate/", api_users.UserDeactivateApi.as_view(), name="user_deactivate"),
    path("users/<uuid:pk>/reactivate/", api_users.UserReactivateApi.as_view(), name="user_reactivate"),
    path("users/<uuid:pk>/password-reset/", api_users.UserPasswordResetApi.as_view(), name="user_password_reset"),
    path("users/<uuid:pk>/otp-reset/", api_users.UserOtpResetApi.as_view(), name="user_otp_reset"),
]
