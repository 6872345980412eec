"""The audit scrubber, one case per secret word, and the actor label of every event.

`extra` must never hold secrets; the scrubber is the safety net that masks values under keys that look
secret before they are stored, hashed, shown or exported. Each word is pinned here: dropping one (say
`kk`, the family-card number) must fail a test.
"""

import types

import pytest
from django.contrib.auth.models import AnonymousUser

from sinergi.accounts.models import User
from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent
from sinergi.audit.services import MASK, _actor_label, record, verify_chain
from sinergi.core.context import RequestMeta, reset_meta, set_meta

SECRET_WORDS = [
    "password",
    "passwd",
    "secret",
    "token",
    "key",
    "otp",
    "pin",
    "cookie",
    "session",
    "authorization",
    "credential",
    "csrf",
    "nik",
    "kk",
    "ciphertext",
]
SECRET_VALUE = "6402011234560001"


def test_the_mask_is_visible_as_such():
    assert MASK == "[masked]"


@pytest.mark.django_db
@pytest.mark.parametrize("word", SECRET_WORDS)
def test_a_value_under_a_secret_word_is_masked(word, make_user):
    event = record(
        actor=make_user(Role.CASE_MANAGER),
        action="test.scrub",
        extra={word: SECRET_VALUE, f"child_{word}": SECRET_VALUE, "rows": 3},
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.extra == {word: MASK, f"child_{word}": MASK, "rows": 3}
    assert SECRET_VALUE not in stored.canonical_payload()


@pytest.mark.parametrize(
    "key",
    [
        "childNik",  # camelCase
        "ChildNIK",
        "apiToken",
        "family-kk",
        "family.kk",
        "KK",
        "x_session_id",
        "CSRF-Header",
        "victim nik",
        "NIK_2",
        "2fa otp",
    ],
)
@pytest.mark.django_db
def test_secret_words_are_found_in_any_spelling_of_a_key(key, make_user):
    event = record(actor=make_user(Role.CASE_MANAGER), action="test.scrub", extra={key: SECRET_VALUE})
    assert AuditEvent.objects.get(pk=event.pk).extra == {key: MASK}


@pytest.mark.django_db
def test_words_that_only_contain_a_secret_word_are_kept(make_user):
    extra = {"rows": 3, "format": "csv", "monkey": 1, "pinned": True, "keys_count": 2, "kkn": "x", "spinner": "y"}
    event = record(actor=make_user(Role.CASE_MANAGER), action="test.scrub", extra=extra)
    assert AuditEvent.objects.get(pk=event.pk).extra == extra


@pytest.mark.django_db
def test_secrets_are_masked_inside_nested_dicts_and_lists(make_user):
    event = record(
        actor=make_user(Role.CASE_MANAGER),
        action="test.scrub",
        extra={"people": [{"name_len": 4, "nik": SECRET_VALUE}, [{"kk": SECRET_VALUE}]], "filters": {"pin": "1234"}},
    )
    assert AuditEvent.objects.get(pk=event.pk).extra == {
        "people": [{"name_len": 4, "nik": MASK}, [{"kk": MASK}]],
        "filters": {"pin": MASK},
    }
    assert verify_chain() == (True, 1, None)


@pytest.mark.django_db
def test_no_extra_is_an_empty_dict(make_user):
    assert AuditEvent.objects.get(pk=record(actor=None, action="test.none").pk).extra == {}
    assert record(actor=make_user(), action="test.none", extra={}).extra == {}


# ---- actor label -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_user_is_labelled_with_their_username(make_user, tenant):
    user = make_user(Role.CASE_MANAGER, username="kasus.kukar")
    event = record(actor=user, action="case.viewed", tenant=tenant)
    reread = AuditEvent.objects.get(pk=event.pk)
    assert (reread.actor_id, reread.actor_label) == (user.pk, "kasus.kukar")


@pytest.mark.django_db
def test_no_actor_is_the_system_and_an_anonymous_visitor_is_anonymous(tenant):
    system = record(actor=None, action="system.job", tenant=tenant)
    anonymous = record(actor=AnonymousUser(), action="report.submitted", tenant=tenant)
    assert (system.actor_id, system.actor_label) == (None, "system")
    assert (anonymous.actor_id, anonymous.actor_label) == (None, "anonymous")


def test_actor_label_edge_cases():
    assert _actor_label(User(username="a" * 200)) == "a" * 150
    assert _actor_label(types.SimpleNamespace(is_authenticated=True, username="")) == "system"
    assert _actor_label(types.SimpleNamespace(is_authenticated=True)) == "system"
    assert _actor_label(types.SimpleNamespace(username="kasus")) == "anonymous"
    assert _actor_label(object()) == "anonymous"


# ---- what else an event records ----------------------------------------------------------------


@pytest.mark.django_db
def test_user_agent_is_cut_at_300_characters_and_the_chain_still_verifies(make_user):
    token = set_meta(RequestMeta(request_id="req-1", ip="", user_agent="Mozilla/" + "x" * 400))
    try:
        event = record(actor=make_user(), action="a.b")
    finally:
        reset_meta(token)
    reread = AuditEvent.objects.get(pk=event.pk)
    assert len(reread.user_agent) == 300
    assert reread.user_agent.startswith("Mozilla/x")
    assert reread.ip is None
    assert verify_chain() == (True, 1, None)


@pytest.mark.django_db
def test_explicit_object_type_and_id_win_and_a_tenant_owns_itself(make_user, tenant, other_tenant):
    user = make_user()
    event = record(actor=user, action="a.b", object_type="cases.case", object_id=1234)
    assert (event.object_type, event.object_id, event.tenant_id) == ("cases.case", "1234", tenant.pk)
    on_tenant = record(actor=user, action="a.b", obj=other_tenant)
    assert (on_tenant.object_type, on_tenant.object_id, on_tenant.tenant_id) == (
        "tenants.tenant",
        str(other_tenant.pk),
        other_tenant.pk,
    )
    no_object = record(actor=None, action="a.b")
    assert (no_object.object_type, no_object.object_id, no_object.tenant_id) == ("", "", None)
    assert record(actor=None, action="a.b", tenant=other_tenant.pk).tenant_id == other_tenant.pk
    assert record(actor=None, action="a.b", obj=user).tenant_id == tenant.pk
    assert verify_chain() == (True, 5, None)
