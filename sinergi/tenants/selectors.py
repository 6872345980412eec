"""Reads for tenants and agencies, always scoped to the reader's tenant."""

from typing import Any
from uuid import UUID

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from .models import Agency


def agency_list_for_user(*, user: Any, kind: str = "", q: str = "", include_inactive: bool = False) -> QuerySet[Agency]:
    if not user.tenant_id:
        return Agency.objects.none()
    qs = Agency.objects.filter(tenant_id=user.tenant_id)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q))
    return (
        qs.select_related("district", "village")
        .annotate(member_count=Count("users", filter=Q(users__is_active=True)))
        .order_by("kind", "name")
    )


def agency_get_for_user(*, user: Any, pk: UUID | str) -> Agency:
    """The agency if it belongs to the user's tenant; 404 otherwise (no existence leak)."""
    try:
        return agency_list_for_user(user=user, include_inactive=True).get(pk=pk)
    except (Agency.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
