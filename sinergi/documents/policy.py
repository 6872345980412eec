"""Document permissions delegate to the document's owner.

Contract for apps that attach documents (cases, taskforces, kla...): for every owner model register
two permissions in your own `policy.py`, taking the owner object:

    rules.add_perm("cases.view_case_documents", <predicate(user, case)>)    # see and download
    rules.add_perm("cases.manage_case_documents", <predicate(user, case)>)  # upload and delete

The names are `"<app_label>.view_<model_name>_documents"` and `"<app_label>.manage_<model_name>_documents"`
(`owner_permission(Case, "view")` builds them). This module then registers:

- `documents.view_document` (obj = Document): same tenant, and `view_<model>_documents` on the owner.
- `documents.delete_document` (obj = Document): same tenant, and `manage_<model>_documents` on the owner.
- `documents.add_document` (obj = owner): same tenant, and `manage_<model>_documents` on the owner.
  `services.document_store` does not check it: the owning app's service checks it (or its own,
  stricter permission) before storing.

An owner model without these permissions denies everything (rules answers False for unknown names).
"""

from typing import Any, Literal

import rules

from sinergi.core import policy
from sinergi.core.policy import in_same_tenant, is_tenant_user
from sinergi.core.tenancy import tenant_id_of

OwnerAction = Literal["view", "manage"]


def owner_permission(owner: Any, action: OwnerAction) -> str:
    """`"<app_label>.<action>_<model_name>_documents"` for an owner model or instance."""
    meta = owner._meta
    return f"{meta.app_label}.{action}_{meta.model_name}_documents"


def _may_on_owner(user, owner: Any, action: OwnerAction, tenant_id) -> bool:
    if owner is None:
        return False
    owner_tenant_id = tenant_id_of(owner)
    # Belt and braces: a document never crosses tenants even if an owner rule forgets to check.
    if owner_tenant_id is not None and owner_tenant_id != tenant_id:
        return False
    return policy.can(user, owner_permission(owner, action), owner)


@rules.predicate
def can_view_owner_documents(user, document) -> bool:
    return _may_on_owner(user, document.owner, "view", document.tenant_id)


@rules.predicate
def can_manage_owner_documents(user, document) -> bool:
    return _may_on_owner(user, document.owner, "manage", document.tenant_id)


@rules.predicate
def can_manage_documents_of(user, owner) -> bool:
    return _may_on_owner(user, owner, "manage", user.tenant_id)


rules.add_perm("documents.view_document", is_tenant_user & in_same_tenant & can_view_owner_documents)
rules.add_perm("documents.delete_document", is_tenant_user & in_same_tenant & can_manage_owner_documents)
rules.add_perm("documents.add_document", is_tenant_user & in_same_tenant & can_manage_documents_of)
