"""Reading documents. Anything the user may not see is a 404, exactly like a missing one."""

from typing import Any
from uuid import UUID

from django.contrib.contenttypes.models import ContentType
from django.http import Http404

from sinergi.accounts.models import User
from sinergi.core import policy

from .models import Document, DocumentQuerySet


def document_get_for_user(*, user: User, pk: UUID | str) -> Document:
    """The live document `pk` if `user` may view it; Http404 otherwise (never 403: no existence leak)."""
    if not getattr(user, "is_authenticated", False) or not user.tenant_id:
        raise Http404
    document = (
        Document.objects.live().select_related("owner_type", "file").filter(pk=pk, tenant_id=user.tenant_id).first()
    )
    if document is None:
        raise Http404
    policy.require_visible(user, "documents.view_document", document)
    return document


def documents_for_owner(*, owner: Any) -> DocumentQuerySet:
    """Live documents attached to `owner`, newest first. The caller has checked the owner's permission."""
    return (
        Document.objects.live()
        .select_related("file")
        .filter(owner_type=ContentType.objects.get_for_model(owner), owner_id=str(owner.pk))
    )
