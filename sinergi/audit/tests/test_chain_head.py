"""The chain head row under tampering and under concurrent writers.

The head row (newest hash and event count) is what makes deleting events at the tail detectable. Someone
who can write to the database and wants to hide a deletion edits it; a verifier that runs while the
application keeps writing must not call the appended events tampering.
"""

import types

import pytest

from sinergi.audit import services
from sinergi.audit.models import AuditChainHead
from sinergi.audit.services import GENESIS_HASH, verify_chain

from .factories import make_events

pytestmark = pytest.mark.django_db


def test_a_head_row_that_never_moved_is_a_valid_empty_log():
    AuditChainHead.objects.create(pk=1)
    assert verify_chain() == (True, 0, None)


def test_a_head_row_at_the_start_that_claims_events_is_refused():
    """All events deleted and the head reset to the genesis hash, but not its count."""
    AuditChainHead.objects.create(pk=1, last_hash=GENESIS_HASH, count=1)
    assert verify_chain() == (False, 0, None)


def test_a_head_pointing_at_a_hash_no_event_has_is_refused(manager):
    """The count still matches the rows, but the head's hash was replaced."""
    make_events(3, actor=manager)
    AuditChainHead.objects.filter(pk=1).update(last_hash="f" * 64)
    assert verify_chain() == (False, 3, None)


def test_a_head_claiming_more_events_than_the_chain_holds_is_refused(manager):
    """The head's hash is the newest event's, but its count says one more event existed."""
    make_events(3, actor=manager)
    head = AuditChainHead.objects.get(pk=1)
    AuditChainHead.objects.filter(pk=1).update(count=head.count + 1)
    assert verify_chain() == (False, 3, None)


def test_events_appended_after_the_head_was_read_are_not_judged(manager, monkeypatch):
    """The verifier reads the head first; events written meanwhile come after it and are not checked
    (nor counted), so a verification during normal use does not report a broken chain."""
    make_events(2, actor=manager)
    head_when_the_walk_starts = AuditChainHead.objects.get(pk=1)
    make_events(2, actor=manager)  # written by the application while the verifier runs

    # The head as the verifier read it, before the application appended the last two events.
    stale = types.SimpleNamespace(filter=lambda pk: types.SimpleNamespace(first=lambda: head_when_the_walk_starts))
    monkeypatch.setattr(services, "AuditChainHead", types.SimpleNamespace(objects=stale))
    assert verify_chain() == (True, 2, None)
    assert verify_chain(batch_size=1) == (True, 2, None)
