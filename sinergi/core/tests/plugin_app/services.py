from typing import Any

from django.db import transaction

from sinergi.audit import services as audit
from sinergi.core import policy
from sinergi.documents import services as documents
from sinergi.documents.models import Document
from sinergi.documents.policy import owner_permission

from .models import Visit


@transaction.atomic
def visit_create(*, actor: Any, tenant: Any, title: str) -> Visit:
    """Record a visit (audited with the app's own, declared event type)."""
    visit = Visit(tenant=tenant, title=title, created_by=actor if getattr(actor, "is_authenticated", False) else None)
    visit.full_clean()
    visit.save()
    audit.record(actor=actor, action="visit.created", obj=visit)
    return visit


def visit_document_add(*, actor: Any, owner: Visit, kind: str, uploaded_file: Any, title: str) -> Document:
    """Attach a file to the visit through sinergi.documents (the owner app checks its permission)."""
    policy.require(actor, owner_permission(owner, "manage"), owner)
    return documents.document_store(
        actor=actor, tenant=owner.tenant, owner=owner, kind=kind, uploaded_file=uploaded_file, title=title
    )
