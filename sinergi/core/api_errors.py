"""Consistent API error bodies (kept apart from api.py to avoid an import cycle with DRF views)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def error_body(*, code: str, message: str, details: dict | None = None) -> dict:
    """The one error shape of the API, for DRF views and for Django's own error handlers alike."""
    return {"error": {"code": code, "message": message, "details": details or {}}}


def validation_details(exc: DjangoValidationError) -> dict:
    """A Django ValidationError as the API's error details: messages per field, or non_field_errors."""
    return exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}


def exception_handler(exc, context):
    """Every error body has the same shape: {"error": {"code", "message", "details"}}."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=validation_details(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = getattr(exc, "default_code", "error")
    if isinstance(exc, exceptions.ValidationError):
        message, details = "Invalid input.", response.data
    else:
        message = str(getattr(exc, "detail", "")) or "Error."
        code = getattr(getattr(exc, "detail", None), "code", code) or code
        details = {}
    response.data = error_body(code=code, message=message, details=details)
    return response
