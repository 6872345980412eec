"""Bodies (Gugus Tugas KLA, Satgas PPA, working groups, forums) and their members."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import User
from sinergi.audit.services import record as audit
from sinergi.core import policy
from sinergi.documents.services import document_store
from sinergi.tenants.models import Agency, Tenant

from ..events import Event
from ..models import Body, BodyKind, Member, MemberRole, PartnerKind

ERR_SATGAS_AGENCY = _("A Satgas PPA body refers to an existing Satgas PPA unit of the agency list.")
ERR_GROUP_PARENT = _("A working group belongs to a Gugus Tugas KLA.")
ERR_OTHER_TENANT = _("Everything must belong to the same regency.")
ERR_MEMBER_WHO = _("Choose an agency or name the outside partner.")
ERR_MEMBER_TWICE = _("This agency is already a member.")
ERR_NAME_TAKEN = _("A body with this name already exists.")


def _same_tenant(tenant_id, *objects: Any) -> None:
    for obj in objects:
        if obj is not None and getattr(obj, "tenant_id", tenant_id) != tenant_id:
            raise ValidationError(ERR_OTHER_TENANT, code="tenant")


@transaction.atomic
def body_create(
    *,
    actor: User,
    tenant: Tenant,
    kind: str,
    name: str,
    level: str = "regency",
    parent: Body | None = None,
    cluster: str = "",
    agency: Agency | None = None,
    secretariat_agency: Agency | None = None,
    chair_name: str = "",
    decree_number: str = "",
    decree_on: dt.date | None = None,
    decree_file: Any = None,
) -> Body:
    """Create a body, optionally from its SK (decree) document with its number and date."""
    policy.require(actor, "taskforces.manage_taskforces", tenant)
    _same_tenant(tenant.pk, parent, agency, secretariat_agency)
    if kind == BodyKind.SATGAS_PPA and (agency is None or agency.kind != Agency.Kind.SATGAS_PPA):
        raise ValidationError({"agency": ERR_SATGAS_AGENCY})
    if kind == BodyKind.WORKING_GROUP and (parent is None or parent.kind != BodyKind.GUGUS_TUGAS_KLA):
        raise ValidationError({"parent": ERR_GROUP_PARENT})
    name = name.strip()
    if Body.objects.filter(tenant=tenant, name=name).exists():
        raise ValidationError({"name": ERR_NAME_TAKEN})
    body = Body(
        tenant=tenant,
        kind=kind,
        level=level,
        name=name,
        parent=parent,
        cluster=cluster,
        agency=agency,
        secretariat_agency=secretariat_agency,
        chair_name=chair_name.strip(),
        decree_number=decree_number.strip(),
        decree_on=decree_on,
    )
    body.full_clean()
    body.save()
    if decree_file is not None:
        document = document_store(actor=actor, tenant=tenant, owner=body, kind="sk", uploaded_file=decree_file)
        body.decree_document = document
        body.save(update_fields=["decree_document"])
    audit(actor=actor, action=Event.BODY_CREATED, obj=body, fields=["kind", "name", "decree_number"])
    return body


@transaction.atomic
def member_add(
    *,
    actor: User,
    body: Body,
    agency: Agency | None = None,
    organisation: str = "",
    partner_kind: str = PartnerKind.AGENCY,
    role: str = MemberRole.MEMBER,
    working_group: Body | None = None,
    contact_name: str = "",
    contact_position: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    contact_user: User | None = None,
) -> Member:
    """Add an agency (or an outside partner without an agency row) with its contact person."""
    policy.require(actor, "taskforces.manage_body", body)
    _same_tenant(body.tenant_id, agency, working_group, contact_user)
    organisation = organisation.strip()
    if agency is None and not organisation:
        raise ValidationError(ERR_MEMBER_WHO, code="who")
    if agency is not None and Member.objects.filter(body=body, agency=agency).exists():
        raise ValidationError({"agency": ERR_MEMBER_TWICE})
    member = Member(
        tenant_id=body.tenant_id,
        body=body,
        agency=agency,
        organisation=organisation,
        partner_kind=PartnerKind.AGENCY if agency is not None and partner_kind == "" else partner_kind,
        role=role,
        working_group=working_group,
        contact_name=contact_name.strip(),
        contact_position=contact_position.strip(),
        contact_phone=contact_phone.strip(),
        contact_email=contact_email.strip(),
        contact_user=contact_user,
    )
    member.full_clean()
    member.save()
    audit(actor=actor, action=Event.MEMBER_SAVED, obj=body, fields=["members"], extra={"member_id": str(member.pk)})
    return member


def body_document_add(*, actor: User, owner: Body, kind: str, uploaded_file: Any, title: str = ""):
    policy.require(actor, "taskforces.manage_body_documents", owner)
    return document_store(
        actor=actor, tenant=owner.tenant, owner=owner, kind=kind, uploaded_file=uploaded_file, title=title
    )
