"""API building blocks shared by every app: auth gate and pagination (errors: api_errors.py; input
parsing and documented error responses: api_support.py)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from .pagination import DeferredJoinPaginator


class IsAuthenticatedVerified(permissions.BasePermission):
    """Authenticated, active, inside a tenant, and 2FA-verified when the role requires it."""

    message = "Authentication with a verified second factor is required."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        if not user.tenant_id and not user.is_superuser:
            return False
        if request.auth is not None:  # API token: issued from a verified session
            return True
        if getattr(user, "needs_2fa", False):
            is_verified = getattr(user, "is_verified", None)
            return bool(is_verified and is_verified())
        return True


PAGE_SIZE_INVALID = _("Enter a whole number from %(min)s to %(max)s.")


class StandardPagination(PageNumberPagination):
    """Pages of 25 by default; `page_size` from 1 to 100, anything else is a 400 (not silently ignored)."""

    django_paginator_class = DeferredJoinPaginator
    page_size = 25
    page_size_query_param = "page_size"
    min_page_size = 1
    max_page_size = 100

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        bounds = {"min": self.min_page_size, "max": self.max_page_size}
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 4) or not (
            self.min_page_size <= int(raw) <= self.max_page_size
        ):
            raise ValidationError({self.page_size_query_param: [PAGE_SIZE_INVALID % bounds]})
        return int(raw)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "default": 1}
                parameter["description"] = "Page number, from 1. A page past the last one is a 404."
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": self.min_page_size,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                }
                parameter["description"] = (
                    f"Results per page, from {self.min_page_size} to {self.max_page_size} "
                    f"(default {self.page_size}); any other value is a 400."
                )
        return parameters
