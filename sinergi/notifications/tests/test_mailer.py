"""The mailer: one e-mail per addressee, attachments kept (encrypted) until sent, at least once, never twice
once marked, and bad input refused before anything is written."""

import base64
import datetime as dt
import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db.models import TextField
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone
from freezegun import freeze_time

from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent
from sinergi.notifications import selectors
from sinergi.notifications.mailer import MailAttachment, mail_deliver, mail_retry_pending, mail_send
from sinergi.notifications.models import MailDelivery, MailMessage, MailStoredAttachment
from sinergi.notifications.tests.backends import FaultyBackend, WorkerKilled
from sinergi.tenants.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 undangan rapat koordinasi"
RECIPIENTS = [("Ibu Sari Wulandari", "sari@dinkes.example.org"), ("Bapak Joko", "joko@polres.example.org")]


@pytest.fixture(autouse=True)
def faulty_backend(settings):
    settings.EMAIL_BACKEND = "sinergi.notifications.tests.backends.FaultyBackend"
    settings.SINERGI_EMAIL_RETRY_AFTER = 600
    settings.SINERGI_EMAIL_MAX_ATTEMPTS = 3
    FaultyBackend.reset()
    yield FaultyBackend
    FaultyBackend.reset()


@pytest.fixture
def admin(make_user):
    return make_user(Role.SYSTEM_ADMIN, username="admin-mailer")


@pytest.fixture
def agency(tenant):
    return AgencyFactory(tenant=tenant, email="kontak@dinkes.example.org")


def _send(tenant, actor, **overrides):
    kwargs = {
        "tenant": tenant,
        "actor": actor,
        "recipients": RECIPIENTS,
        "subject": "Undangan rapat koordinasi",
        "template": "notifications/email/message",
        "context": {"body": "Mohon hadir pada rapat koordinasi.", "sent_at": None},
        "attachments": [MailAttachment(filename="undangan.pdf", content=PDF, mimetype="application/pdf")],
        "kind": "taskforces.invitation",
    }
    kwargs.update(overrides)
    return mail_send(**kwargs)


def test_each_addressee_gets_one_mail_with_the_attachment_and_both_bodies(
    tenant, admin, agency, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = _send(tenant, admin, owner=agency)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "Bapak Joko <joko@polres.example.org>",
        "Ibu Sari Wulandari <sari@dinkes.example.org>",
    ]
    for sent in mail.outbox:
        assert len(sent.to) == 1
        assert not sent.cc
        assert not sent.bcc
        assert sent.subject == "Undangan rapat koordinasi"
        assert "Mohon hadir pada rapat koordinasi." in sent.body
        assert sent.attachments == [("undangan.pdf", PDF, "application/pdf")]
        html, mimetype = sent.alternatives[0]
        assert mimetype == "text/html"
        assert "Mohon hadir" in html
    deliveries = list(message.deliveries.all())
    assert {d.status for d in deliveries} == {MailDelivery.Status.SENT}
    assert all(d.attempts == 1 and d.sent_at is not None for d in deliveries)
    # Every delivery is final: the attachment content is gone, its name and size stay.
    stored = MailStoredAttachment.objects.get(message=message)
    assert stored.content_b64 == ""
    assert stored.purged_at is not None
    assert stored.size == len(PDF)
    event = AuditEvent.objects.get(action="mail.queued")
    assert event.tenant_id == tenant.pk
    assert event.actor_id == admin.pk
    assert event.extra["recipients"] == 2
    assert event.extra["owner_id"] == str(agency.pk)
    assert "sari@dinkes.example.org" not in str(event.extra)


def test_bodies_and_attachments_are_encrypted_at_rest(tenant, admin):
    message = _send(tenant, admin)
    # A Cast to a plain text field reads the stored value without decrypting it.
    raw = MailMessage.objects.annotate(raw=Cast("text_body", TextField())).values_list("raw", flat=True).get()
    assert raw
    assert "Mohon hadir" not in raw
    raw_pdf = (
        MailStoredAttachment.objects.annotate(raw=Cast("content_b64", TextField())).values_list("raw", flat=True).get()
    )
    assert base64.b64encode(PDF).decode() not in raw_pdf
    assert MailStoredAttachment.objects.get(message=message).content_b64  # kept until sent


def test_the_body_is_written_in_the_tenants_zone_and_language(tenant, admin, django_capture_on_commit_callbacks):
    tenant.timezone = "Asia/Makassar"
    tenant.save(update_fields=["timezone"])
    moment = dt.datetime(2023, 1, 4, 1, 0, tzinfo=dt.UTC)  # 09.00 WITA
    with django_capture_on_commit_callbacks(execute=True):
        _send(tenant, None, recipients=RECIPIENTS[:1], context={"body": "Isi", "sent_at": moment})
    body = mail.outbox[0].body
    assert "4 Januari 2023, 09.00 WITA" in body
    assert body.startswith("Dengan hormat,")
    assert "Pesan ini dikirim secara otomatis" in body


def test_a_worker_killed_after_the_claim_is_retried_later_and_sends_once(tenant, admin, faulty_backend):
    message = _send(tenant, admin, recipients=RECIPIENTS[:1])
    faulty_backend.fail_at, faulty_backend.failure = 1, WorkerKilled()
    with pytest.raises(WorkerKilled):
        mail_deliver(message_id=message.pk)
    delivery = message.deliveries.get()
    assert delivery.status == MailDelivery.Status.QUEUED
    assert delivery.attempts == 1
    assert MailStoredAttachment.objects.get(message=message).content_b64  # still needed
    faulty_backend.fail_at, faulty_backend.failure = None, None
    # Within the safe delay nobody takes the claimed delivery again.
    assert mail_retry_pending() == 0
    assert mail_deliver(message_id=message.pk) == 0
    with freeze_time(timezone.now() + timedelta(minutes=11), tick=True):
        assert mail_retry_pending() == 1
        assert mail_retry_pending() == 0
        assert mail_deliver(message_id=message.pk) == 0
    delivery.refresh_from_db()
    assert delivery.status == MailDelivery.Status.SENT
    assert delivery.attempts == 2
    assert len(mail.outbox) == 1
    assert mail.outbox[0].attachments == [("undangan.pdf", PDF, "application/pdf")]
    assert MailStoredAttachment.objects.get(message=message).content_b64 == ""


def test_a_refused_address_fails_alone_and_is_given_up_after_the_attempts(tenant, admin, faulty_backend):
    message = _send(tenant, admin)
    # The first addressee in order (joko@) is refused every time; sari@ goes out at once.
    faulty_backend.fail_at, faulty_backend.failure = 1, smtplib.SMTPRecipientsRefused({})
    assert mail_deliver(message_id=message.pk) == 1
    faulty_backend.fail_always = True
    for minutes in (11, 22, 33):
        with freeze_time(timezone.now() + timedelta(minutes=minutes), tick=True):
            mail_retry_pending()
    joko = message.deliveries.get(address="joko@polres.example.org")
    assert joko.status == MailDelivery.Status.FAILED
    assert joko.error == "SMTPRecipientsRefused"
    assert joko.attempts == 3
    assert message.deliveries.get(address="sari@dinkes.example.org").status == MailDelivery.Status.SENT
    assert MailStoredAttachment.objects.get(message=message).content_b64 == ""
    assert AuditEvent.objects.filter(action="mail.delivery_failed").count() == 1


@pytest.mark.parametrize(
    "overrides",
    [
        {"recipients": [("Ibu Sari", "sari@dinkes.example.org"), ("Salah", "bukan-alamat")]},
        {"recipients": [("Baris\nBaru", "a@example.org")]},
        {"recipients": [("Sisip", "a@example.org\nBcc: b@example.org")]},
        {"recipients": []},
        {"subject": ""},
        {"subject": "Satu\nDua"},
        {"template": "notifications/email/does_not_exist"},
        {"attachments": [MailAttachment(filename="../etc/passwd", content=b"x")]},
        {"attachments": [MailAttachment(filename="a.pdf", content=b"x", mimetype="not a type")]},
        {"attachments": [MailAttachment(filename="a.bin", content=b"x" * (10 * 1024 * 1024 + 1))]},
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(tenant, admin, overrides, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        _send(tenant, admin, **overrides)
    assert not MailMessage.objects.exists()
    assert not MailDelivery.objects.exists()
    assert not MailStoredAttachment.objects.exists()
    assert not AuditEvent.objects.filter(action="mail.queued").exists()
    assert mail.outbox == []


def test_the_same_address_twice_is_one_addressee(tenant, admin):
    message = _send(tenant, admin, recipients=[("A", "a@example.org"), ("A lagi", "A@example.org")])
    assert message.deliveries.count() == 1


def test_deliveries_of_an_owner_are_visible_to_its_admins_only(tenant, other_tenant, admin, agency, make_user):
    _send(tenant, admin, owner=agency)
    _send(tenant, admin)  # mail about nothing in particular is not listed
    rows = selectors.mail_delivery_list_for_owner(user=admin, owner=agency)
    assert sorted(d.address for d in rows) == ["joko@polres.example.org", "sari@dinkes.example.org"]
    outsider = make_user(Role.SYSTEM_ADMIN, tenant=other_tenant, username="admin-paser")
    with pytest.raises(Http404):
        selectors.mail_delivery_list_for_owner(user=outsider, owner=agency)
    with pytest.raises(Http404):
        selectors.mail_delivery_list_for_owner(user=make_user(Role.ANALYST), owner=agency)
