"""Public API of the ILA figures, mounted at /api/v1/public/ila/."""

from django.urls import re_path

from . import api_public

urlpatterns = [
    re_path(r"^(?P<code>[0-9]{2}\.[0-9]{2})/$", api_public.PublicIlaFiguresApi.as_view(), name="api-public-ila"),
]
