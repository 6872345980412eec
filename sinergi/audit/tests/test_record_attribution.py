"""Whose audit trail an event lands in, and who is named as its actor, in the less common call shapes.

An office head reads the audit trail of their own regency only: an event filed under the wrong tenant
is missing where it is looked for and shown to the wrong regency.
"""

import pytest

from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent
from sinergi.audit.selectors import audit_event_list_for_user
from sinergi.audit.services import record, verify_chain

pytestmark = pytest.mark.django_db


def test_an_explicit_tenant_wins_over_the_tenant_of_the_object(make_user, tenant, other_tenant):
    """E.g. an event of this regency about a user of another one: it belongs to the tenant named."""
    head = make_user(Role.OFFICE_HEAD)
    other_head = make_user(Role.OFFICE_HEAD, tenant=other_tenant)
    event = record(actor=head, action="user.looked_up", obj=other_head, tenant=tenant)

    assert AuditEvent.objects.get(pk=event.pk).tenant_id == tenant.pk
    assert audit_event_list_for_user(user=head).filter(pk=event.pk).exists()
    assert not audit_event_list_for_user(user=other_head).filter(pk=event.pk).exists()
    # The object is still named, only the owning tenant is the one given.
    assert (event.object_type, event.object_id) == ("accounts.user", str(other_head.pk))


def test_an_explicit_tenant_id_is_accepted_as_well(make_user, tenant, other_tenant):
    head = make_user(Role.OFFICE_HEAD)
    event = record(actor=head, action="user.looked_up", obj=make_user(tenant=other_tenant), tenant=tenant.pk)
    assert AuditEvent.objects.get(pk=event.pk).tenant_id == tenant.pk


def test_an_actor_that_is_not_a_user_is_recorded_as_anonymous_and_linked_to_nobody(tenant):
    """`record` takes any actor: something without the user interface (no `is_authenticated`) must not
    be linked as the acting account nor break the write."""

    class Job:
        pk = 1
        tenant_id = None
        username = "cron"

    event = record(actor=Job(), action="system.job", tenant=tenant)
    reread = AuditEvent.objects.get(pk=event.pk)
    assert (reread.actor_id, reread.actor_label, reread.tenant_id) == (None, "anonymous", tenant.pk)
    assert verify_chain() == (True, 1, None)
