"""API building blocks shared by every app: auth gate and pagination (errors: api_errors.py)."""

from rest_framework import permissions
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


class StandardPagination(PageNumberPagination):
    django_paginator_class = DeferredJoinPaginator
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
