from django.urls import path

from . import api

app_name = "accounts_api"
urlpatterns = [
    path("me/", api.MeApi.as_view(), name="me"),
    path("tokens/", api.TokenListCreateApi.as_view(), name="tokens"),
    path("tokens/<uuid:pk>/revoke/", api.TokenRevokeApi.as_view(), name="token_revoke"),
]
