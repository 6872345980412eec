"""Request types for annotations. A view behind `login_required` (or an API view behind
IsAuthenticatedVerified) sees a `User`, never AnonymousUser; the htmx middleware adds `request.htmx`."""

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails
from rest_framework.request import Request

if TYPE_CHECKING:  # core imports no app at run time
    from sinergi.accounts.models import User


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    user: "User"


class AuthenticatedRequest(Request):
    user: "User"
