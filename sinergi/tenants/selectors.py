"""Reads for tenants and agencies, always scoped to the reader's tenant."""

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from .models import Agency, Signatory

ERR_SIGNATORY = _("Choose a signatory of this regency (tenant settings).")


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


def active_signatories(*, tenant: Any) -> QuerySet[Signatory]:
    """Who may sign the tenant's letters, the default first."""
    return Signatory.objects.filter(tenant=tenant, is_active=True).order_by("-is_default", "name")


def letter_signatory(*, tenant: Any, signatory: Any = None) -> Signatory:
    """The signatory of a letter: the one chosen (a Signatory or its id), or else the tenant's default
    (first active). A choice of another tenant, an inactive one or none at all is a ValidationError on
    the field `signatory` (every letter of every app asks here)."""
    chosen = active_signatories(tenant=tenant)
    if signatory is None or signatory == "":
        found = chosen.first()
    else:
        pk = getattr(signatory, "pk", signatory)
        try:
            found = chosen.filter(pk=pk).first()
        except (ValueError, ValidationError):
            found = None
    if found is None:
        raise ValidationError({"signatory": ERR_SIGNATORY})
    return found
