from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from sinergi.core import policy

from .models import Visit


def visit_list_for_user(*, user: Any) -> QuerySet[Visit]:
    if not policy.can(user, "plugin_app.view_visit_list", user.tenant):
        return Visit.objects.none()
    return Visit.objects.filter(tenant_id=user.tenant_id)


def visit_get_for_user(*, user: Any, pk: UUID) -> Visit:
    """The visit, or 404 when it does not exist or the user may not see it."""
    visit = Visit.objects.filter(pk=pk).first()
    if visit is None or not policy.can(user, "plugin_app.view_visit", visit):
        raise Http404
    return visit
