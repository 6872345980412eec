"""Removing an agreement's owner or due date: only the secretariat, only with a reason, audited, kept in
the due-date history; the same rule on the page and in the API; nothing written on bad input."""

import datetime as dt

from django.urls import reverse

from sinergi.audit.models import AuditEvent
from sinergi.notifications.models import Notification
from sinergi.taskforces.models import Agreement


def _changed_events(agreement):
    return AuditEvent.objects.filter(action="taskforce.agreement_changed", object_id=str(agreement.pk))


def test_the_secretariat_removes_the_owner_and_the_due_date_on_the_page_with_a_reason(world, client_for):
    url = reverse("taskforces:agreement_edit", args=[world.agreement.pk])
    detail = reverse("taskforces:agreement_detail", args=[world.agreement.pk])
    client = client_for(world.secretariat)
    page = client.get(detail).content.decode()
    assert 'name="clear_owner"' in page
    assert 'name="clear_due_on"' in page
    keep = {"text": world.agreement.text, "owner": world.dinsos.pk, "due_on": "2023-03-31"}
    clear = {**keep, "clear_owner": "on", "clear_due_on": "on"}
    # Without a reason: a 400 with the message on the page, nothing changed, nothing audited.
    response = client.post(url, {**clear, "reason": " "})
    assert response.status_code == 400
    assert "Sebutkan alasan penanggung jawab atau tenggat dihapus." in response.content.decode()
    world.agreement.refresh_from_db()
    assert (world.agreement.owner_id, world.agreement.due_on) == (world.dinsos.pk, dt.date(2023, 3, 31))
    assert not _changed_events(world.agreement).exists()
    for persona, code in ((world.owner_staff, 403), (world.outsider_staff, 404), (world.other_secretariat, 404)):
        assert client_for(persona).post(url, {**clear, "reason": "x"}).status_code == code
    world.agreement.refresh_from_db()
    assert world.agreement.owner_id == world.dinsos.pk

    assert client.post(url, {**clear, "reason": "Menunggu SK pembagian tugas"}).status_code == 302
    world.agreement.refresh_from_db()
    assert (world.agreement.owner_id, world.agreement.due_on) == (None, None)
    assert list(world.agreement.due_changes.exclude(reason="").values_list("old_due_on", "new_due_on", "reason")) == [
        (dt.date(2023, 3, 31), None, "Menunggu SK pembagian tugas")
    ]
    event = _changed_events(world.agreement).get()
    assert sorted(event.fields) == ["due_on", "owner"]
    assert event.extra["reason"] == "Menunggu SK pembagian tugas"
    assert sorted(event.extra["cleared"]) == ["due_on", "owner"]
    # The former owner no longer reaches it (neither owner nor supporter), as on any other agreement, and
    # is not sent a link to what it may no longer open; the supporting agency still sees it.
    assert not Notification.objects.filter(recipient=world.owner_staff, kind="agreement_changed").exists()
    assert client_for(world.supporter_staff).get(detail).status_code == 200
    assert client_for(world.owner_staff).get(detail).status_code == 404
    assert client.get(detail).status_code == 200


def test_the_api_removes_the_owner_or_the_due_date_with_null_and_a_reason(world, client_for):
    url = f"/api/v1/taskforces/agreements/{world.agreement.pk}/"
    client = client_for(world.secretariat)
    refused = client.patch(url, {"due_on": None}, content_type="application/json")
    assert refused.status_code == 400
    assert "reason" in refused.json()["error"]["details"]
    both = client.patch(
        url, {"owner_id": None, "due_on": None, "reason": "x", "text": "  "}, content_type="application/json"
    )
    assert both.status_code == 400
    world.agreement.refresh_from_db()
    assert (world.agreement.owner_id, world.agreement.due_on) == (world.dinsos.pk, dt.date(2023, 3, 31))
    for persona, code in ((world.owner_staff, 403), (world.outsider_staff, 404), (world.other_secretariat, 404)):
        response = client_for(persona).patch(url, {"owner_id": None, "reason": "x"}, content_type="application/json")
        assert response.status_code == code
    # Leaving a field out changes nothing; null removes it.
    response = client.patch(
        url, {"due_on": None, "reason": "Tanggal menunggu APBD perubahan"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert (response.json()["due_on"], response.json()["owner_id"]) == (None, str(world.dinsos.pk))
    response = client.patch(
        url, {"owner_id": None, "reason": "Diserahkan ke rapat pleno"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["owner_id"] is None
    agreement = Agreement.objects.get(pk=world.agreement.pk)
    assert (agreement.owner_id, agreement.due_on) == (None, None)
    reasons = sorted(e.extra["reason"] for e in _changed_events(agreement))
    assert reasons == ["Diserahkan ke rapat pleno", "Tanggal menunggu APBD perubahan"]
    # A new owner and due date can be set again afterwards.
    response = client.patch(
        url, {"owner_id": str(world.satpol.pk), "due_on": "2023-09-30"}, content_type="application/json"
    )
    assert (response.status_code, response.json()["due_on"]) == (200, "2023-09-30")
