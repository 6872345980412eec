"""Pages and API endpoints over real HTTP: wiring, personas (owner, read-only colleague, outsider 404)."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from icalendar import Calendar
from pypdf import PdfReader

from sinergi.documents.tests.factories import MINIMAL_PDF
from sinergi.notifications.models import MailDelivery
from sinergi.taskforces import services
from sinergi.taskforces.models import Attendance
from sinergi.taskforces.tests.conftest import WITA

pytestmark = pytest.mark.django_db


def test_meeting_page_for_the_secretariat_head_and_invited_agency_and_404_outside(world, client_for):
    url = reverse("taskforces:meeting_detail", args=[world.meeting.pk])
    page = client_for(world.secretariat).get(url)
    assert page.status_code == 200
    assert "Menyusun norma pemberitaan anak" in page.content.decode()
    assert client_for(world.head).get(url).status_code == 200
    assert client_for(world.owner_staff).get(url).status_code == 200
    assert client_for(world.outsider_staff).get(url).status_code == 404
    assert client_for(world.other_secretariat).get(url).status_code == 404
    assert client_for(world.analyst).get(url).status_code == 404


def test_an_officer_of_another_agency_editing_an_agreement_gets_404_in_ui_and_api(world, client_for):
    client = client_for(world.outsider_staff)
    ui = client.post(
        reverse("taskforces:agreement_progress", args=[world.agreement.pk]), {"text": "Sudah", "progress": 100}
    )
    api = client.post(
        f"/api/v1/taskforces/agreements/{world.agreement.pk}/progress/",
        {"text": "Sudah", "progress": 100},
        content_type="application/json",
    )
    assert (ui.status_code, api.status_code) == (404, 404)
    other = client_for(world.other_secretariat)
    assert (
        other.patch(
            f"/api/v1/taskforces/agreements/{world.agreement.pk}/", {"text": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    world.agreement.refresh_from_db()
    assert world.agreement.progress == 0


def test_a_supporting_agency_sees_the_agreement_but_may_not_update_it(world, client_for):
    client = client_for(world.supporter_staff)
    assert client.get(reverse("taskforces:agreement_detail", args=[world.agreement.pk])).status_code == 200
    response = client.post(
        reverse("taskforces:agreement_progress", args=[world.agreement.pk]), {"text": "Sudah", "progress": 100}
    )
    assert response.status_code == 403


def test_the_owner_posts_progress_with_a_pdf_and_marks_it_done(world, client_for):
    client = client_for(world.owner_staff)
    response = client.post(
        reverse("taskforces:agreement_progress", args=[world.agreement.pk]),
        {
            "text": "Norma disahkan",
            "progress": 100,
            "status": "done",
            "evidence_file": SimpleUploadedFile("norma.pdf", MINIMAL_PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    world.agreement.refresh_from_db()
    assert world.agreement.status == "done"
    page = client.get(reverse("taskforces:agreement_detail", args=[world.agreement.pk])).content.decode()
    assert "norma" in page


def test_bad_progress_is_a_clear_400_and_nothing_is_written(world, client_for):
    response = client_for(world.owner_staff).post(
        f"/api/v1/taskforces/agreements/{world.agreement.pk}/progress/",
        {"text": "x", "progress": 140},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "progress" in response.json()["error"]["details"]
    assert not world.agreement.updates.exists()


def test_the_secretariat_creates_a_meeting_and_agreements_through_the_api(world, client_for):
    client = client_for(world.secretariat)
    response = client.post(
        "/api/v1/taskforces/meetings/",
        {
            "body_id": str(world.body.pk),
            "type": "lanjutan",
            "title": "Rapat lanjutan publikasi anak",
            "starts_at": "2023-02-01T09:00:00+08:00",
            "agenda": ["Evaluasi kesepakatan"],
            "invited_member_ids": [str(world.members["dinsos"].pk)],
            "follows_up_id": str(world.meeting.pk),
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    meeting_id = response.json()["meeting"]["id"]
    assert response.json()["meeting"]["starts_at"] == "2023-02-01T09:00:00+08:00"
    created = client.post(
        f"/api/v1/taskforces/meetings/{meeting_id}/agreements/",
        {
            "text": "Menyusun SOP",
            "owner_id": str(world.dinsos.pk),
            "due_on": "2023-03-01",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["number"] == "1"
    listed = client_for(world.owner_staff).get("/api/v1/taskforces/agreements/?mine=true").json()
    assert {a["text"] for a in listed["results"]} == {"Menyusun norma pemberitaan anak", "Menyusun SOP"}
    assert client_for(world.outsider_staff).get("/api/v1/taskforces/agreements/").json()["count"] == 0


def test_the_matrix_is_aggregates_for_analysts_and_refused_to_agency_staff(world, client_for):
    analyst = client_for(world.analyst)
    rows = analyst.get("/api/v1/taskforces/matrix/").json()
    assert rows[0]["agency"] == "Dinsos"
    assert rows[0]["counts"]["open"] == 1
    assert analyst.get(reverse("taskforces:matrix")).status_code == 200
    assert client_for(world.owner_staff).get("/api/v1/taskforces/matrix/").status_code == 403
    assert analyst.get(f"/api/v1/taskforces/agreements/{world.agreement.pk}/").status_code == 404


def test_the_agency_home_lists_its_open_commitments_only(world, client_for):
    page = client_for(world.owner_staff).get(reverse("taskforces:commitments")).content.decode()
    assert "Menyusun norma pemberitaan anak" in page
    assert (
        "Menyusun norma" not in client_for(world.outsider_staff).get(reverse("taskforces:commitments")).content.decode()
    )


def test_check_in_from_the_qr_link_anonymous_and_logged_in_once_each(world, client_for):
    screen = client_for(world.secretariat).get(reverse("taskforces:qr_screen", args=[world.meeting.pk]))
    assert screen.status_code == 200
    assert "<svg" in screen.content.decode()
    code = services.checkin_code(meeting=world.meeting)
    url = reverse("taskforces:checkin", args=[world.meeting.pk]) + f"?c={code}"
    anonymous = Client()
    assert anonymous.get(url).status_code == 200
    data = {"code": code, "name": "Siti Aminah", "position": "Ketua", "organisation": "APSAI Kukar"}
    assert anonymous.post(url, data).status_code == 200
    assert anonymous.post(url, data).status_code == 200
    member = client_for(world.owner_staff)
    assert member.post(url, {"code": code}).status_code == 200
    assert Attendance.objects.filter(meeting=world.meeting).count() == 2
    assert Client().get(reverse("taskforces:checkin", args=[world.meeting.pk]) + "?c=forged").status_code == 400
    count = client_for(world.secretariat).get(reverse("taskforces:attendance_count", args=[world.meeting.pk]))
    assert count.content.decode().strip() == '<span id="attendance-count">2</span>'


def test_the_invitation_is_mailed_to_every_invited_member_with_the_pdf(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for(world.secretariat)
    client.post(reverse("taskforces:invitation_issue", args=[world.meeting.pk]))
    world.meeting.refresh_from_db()
    assert world.meeting.letter_number
    pdf = client.get(reverse("taskforces:invitation_pdf", args=[world.meeting.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/taskforces/meetings/{world.meeting.pk}/invitation/send/")
    assert response.status_code == 202
    assert response.json()["addressees"] == 2
    deliveries = MailDelivery.objects.filter(message__kind="taskforces.invitation")
    assert sorted(deliveries.values_list("address", flat=True)) == ["dinsos@example.test", "radio@example.test"]
    assert {m.to[0] for m in mail.outbox} == {"Yuli <dinsos@example.test>", "Radio Contoh FM <radio@example.test>"}
    sent = next(m for m in mail.outbox if "dinsos@example.test" in m.to[0])
    assert "Rabu, 4 Januari 2023" in sent.body
    assert sent.attachments[0][0].startswith("undangan-")
    assert sent.attachments[0][2] == "application/pdf"
    assert (
        client_for(world.owner_staff)
        .post(f"/api/v1/taskforces/meetings/{world.meeting.pk}/invitation/send/")
        .status_code
        == 403
    )


def test_the_ics_feed_parses_and_its_times_carry_the_tenants_zone(world, client_for):
    from django.utils import timezone

    from sinergi.taskforces.tests.conftest import WITA

    next_year = timezone.now().year + 1
    services.meeting_create(
        actor=world.secretariat,
        body=world.body,
        type="rakor",
        title="Rakor triwulan",
        starts_at=dt.datetime(next_year, 1, 4, 9, 0, tzinfo=WITA),
        agenda=["Evaluasi"],
        invited=[world.members["dinsos"]],
    )
    created = client_for(world.owner_staff).post("/api/v1/taskforces/calendar-feed/")
    assert created.status_code == 201
    url = created.json()["url"]
    feed = Client().get(url)
    assert feed.status_code == 200
    calendar = Calendar.from_ical(feed.content)
    events = list(calendar.walk("VEVENT"))
    meeting = next(e for e in events if str(e["uid"]).startswith("meeting-"))
    start = meeting.decoded("dtstart")
    assert str(start.tzinfo) == "Asia/Makassar"
    assert start.replace(tzinfo=None) == dt.datetime(next_year, 1, 4, 9, 0)
    assert "TZID=Asia/Makassar" in feed.content.decode()
    assert any(str(e["uid"]).startswith("agreement-") for e in events)
    client_for(world.owner_staff).delete("/api/v1/taskforces/calendar-feed/")
    assert Client().get(url).status_code == 404
    assert Client().get(url.replace(url.rsplit("/", 1)[1], "wrong.ics")).status_code == 404


def test_the_pages_render_for_their_users(world, client_for):
    secretariat = client_for(world.secretariat)
    for name, args in [
        ("home", []),
        ("body_list", []),
        ("body_detail", [world.body.pk]),
        ("meeting_create", []),
        ("minutes", [world.meeting.pk]),
        ("matrix", []),
        ("overdue", []),
        ("calendar", []),
        ("followup_report_pdf", [world.meeting.pk]),
        ("attendance_pdf", [world.meeting.pk]),
        ("minutes_pdf", [world.meeting.pk]),
        ("agreement_detail", [world.agreement.pk]),
    ]:
        assert secretariat.get(reverse(f"taskforces:{name}", args=args)).status_code == 200, name
    assert client_for(world.analyst).get(reverse("taskforces:home")).status_code == 403


def test_the_secretariat_writes_minutes_and_adds_agreements_from_them(world, client_for):
    client = client_for(world.secretariat)
    items = list(world.meeting.agenda.all())
    data = {"summary": "Rapat berjalan baik"}
    for item in items:
        data[f"discussion-{item.pk}"] = f"Pembahasan {item.position}"
        data[f"decisions-{item.pk}"] = "Disepakati"
    assert client.post(reverse("taskforces:minutes", args=[world.meeting.pk]), data).status_code == 302
    world.meeting.refresh_from_db()
    assert world.meeting.minutes_saved_at is not None
    response = client.post(
        reverse("taskforces:agreement_add", args=[world.meeting.pk]),
        {"text": "Sosialisasi ke sekolah", "owner": world.disdik.pk},
    )
    assert response.status_code == 302
    assert world.meeting.agreements.filter(number=2, owner=world.disdik).exists()
    photo = client.post(
        reverse("taskforces:meeting_document_upload", args=[world.meeting.pk]),
        {
            "kind": "photo",
            "title": "Suasana rapat",
            "file": SimpleUploadedFile("foto.pdf", MINIMAL_PDF, content_type="application/pdf"),
        },
    )
    assert photo.status_code == 400  # a photo must be an image


def test_a_follow_up_meetings_invitation_carries_the_earlier_follow_up_report(
    world, client_for, django_capture_on_commit_callbacks
):
    follow = services.meeting_create(
        actor=world.secretariat,
        body=world.body,
        type="lanjutan",
        title="Rapat lanjutan",
        starts_at=world.meeting.starts_at + dt.timedelta(days=30),
        agenda=["Evaluasi"],
        invited=[world.members["dinsos"]],
        follows_up=world.meeting,
    )
    follow = services.invitation_issue(actor=world.secretariat, meeting=follow)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_send(actor=world.secretariat, meeting=follow)
    sent = next(m for m in mail.outbox if "dinsos@example.test" in m.to[0])
    attachments = {a[0]: a[1] for a in sent.attachments}
    assert sorted(attachments) == ["laporan-tindak-lanjut.pdf", f"undangan-{follow.letter_on:%Y%m%d}.pdf"]
    report = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(attachments["laporan-tindak-lanjut.pdf"])).pages
    )
    assert "Menyusun norma" in report


def test_check_in_through_the_api_with_the_signed_code_once_and_not_across_meetings_or_tenants(world, client_for):
    url = f"/api/v1/taskforces/meetings/{world.meeting.pk}/checkin/"
    code = services.checkin_code(meeting=world.meeting)
    member = client_for(world.owner_staff)
    first = member.post(url, {"code": code}, content_type="application/json")
    assert first.status_code == 201
    assert (first.json()["name"], first.json()["organisation"], first.json()["method"]) == (
        "Yuli Dinsos",
        "Dinsos",
        "qr",
    )
    again = member.post(url, {"code": code}, content_type="application/json")
    assert (again.status_code, again.json()["id"]) == (200, first.json()["id"])
    assert member.post(url, {"code": "forged"}, content_type="application/json").status_code == 400
    other_meeting = services.meeting_create(
        actor=world.secretariat,
        body=world.body,
        type="rakor",
        title="Rakor Lain",
        starts_at=dt.datetime(2023, 2, 1, 9, 0, tzinfo=dt.UTC),
        agenda=["Pembukaan"],
        invited=[],
    )
    wrong = member.post(
        f"/api/v1/taskforces/meetings/{other_meeting.pk}/checkin/", {"code": code}, content_type="application/json"
    )
    assert wrong.status_code == 400
    outsider = client_for(world.other_secretariat).post(url, {"code": code}, content_type="application/json")
    assert outsider.status_code == 404
    assert Attendance.objects.filter(meeting=world.meeting).count() == 1
    assert not Attendance.objects.filter(meeting=other_meeting).exists()


def test_the_secretariat_creates_quarterly_meetings_from_a_rule_on_the_page_and_in_the_api(world, client_for):
    from sinergi.taskforces.models import Meeting

    page_url = reverse("taskforces:meeting_series_create")
    client = client_for(world.secretariat)
    assert client.get(page_url).status_code == 200
    form = {
        "body": world.body.pk,
        "type": "rakor",
        "title": "Rakor Triwulan",
        "rule": "FREQ=MONTHLY;INTERVAL=3;COUNT=4",
        "first_starts_at": "2023-02-01T09:00",
        "duration_minutes": 120,
        "agenda": "Pembukaan\nEvaluasi",
        "invite_all": "on",
    }
    bad = client.post(page_url, {**form, "rule": "FREQ=SOMETIMES"})
    assert "Aturan pengulangan tidak sah" in bad.content.decode()
    assert not Meeting.objects.filter(title="Rakor Triwulan").exists()
    assert client.post(page_url, form).status_code == 302
    made = list(Meeting.objects.filter(title="Rakor Triwulan").order_by("starts_at"))
    assert [m.starts_at.astimezone(WITA).strftime("%Y-%m-%d %H:%M") for m in made] == [
        "2023-02-01 09:00",
        "2023-05-01 09:00",
        "2023-08-01 09:00",
        "2023-11-01 09:00",
    ]
    assert client_for(world.owner_staff).post(page_url, form).status_code == 403
    api = {**form, "body_id": str(world.body.pk), "title": "Rakor API", "agenda": ["Pembukaan"]}
    api["first_starts_at"] = "2023-02-01T09:00:00+08:00"
    response = client.post("/api/v1/taskforces/meetings/series/", api, content_type="application/json")
    assert response.status_code == 201
    assert len(response.json()) == 4
    assert response.json()[1]["starts_at"] == "2023-05-01T09:00:00+08:00"
    other = client_for(world.other_secretariat).post(
        "/api/v1/taskforces/meetings/series/", {**api, "title": "Rakor Asing"}, content_type="application/json"
    )
    assert other.status_code == 404
    bad_api = client.post(
        "/api/v1/taskforces/meetings/series/",
        {**api, "rule": "FREQ=SOMETIMES", "title": "Rakor Rusak"},
        content_type="application/json",
    )
    assert bad_api.status_code == 400
    assert not Meeting.objects.filter(title__in=["Rakor Asing", "Rakor Rusak"]).exists()


def test_the_secretariat_changes_a_meetings_status_on_the_page_and_in_the_api(world, client_for):
    page_url = reverse("taskforces:meeting_status", args=[world.meeting.pk])
    api_url = f"/api/v1/taskforces/meetings/{world.meeting.pk}/status/"
    client = client_for(world.secretariat)
    assert client.post(page_url, {"status": "held"}).status_code == 302
    world.meeting.refresh_from_db()
    assert world.meeting.status == "held"
    detail = client.get(reverse("taskforces:meeting_detail", args=[world.meeting.pk])).content.decode()
    assert '<span id="meeting-status">' in detail
    assert client_for(world.owner_staff).post(page_url, {"status": "cancelled"}).status_code == 403
    assert client_for(world.outsider_staff).post(page_url, {"status": "cancelled"}).status_code == 404
    assert client_for(world.other_secretariat).post(page_url, {"status": "cancelled"}).status_code == 404
    assert client.post(api_url, {"status": "nonsense"}, content_type="application/json").status_code == 400
    assert (
        client_for(world.other_secretariat)
        .post(api_url, {"status": "cancelled"}, content_type="application/json")
        .status_code
        == 404
    )
    assert (
        client_for(world.owner_staff)
        .post(api_url, {"status": "cancelled"}, content_type="application/json")
        .status_code
        == 403
    )
    world.meeting.refresh_from_db()
    assert world.meeting.status == "held"
    response = client.post(api_url, {"status": "cancelled"}, content_type="application/json")
    assert (response.status_code, response.json()["meeting"]["status"]) == (200, "cancelled")


def test_the_secretariat_marks_an_agreement_reviewed_from_the_follow_up_meeting_page_and_the_api(world, client_for):
    follow = services.meeting_create(
        actor=world.secretariat,
        body=world.body,
        type="lanjutan",
        title="Rapat lanjutan",
        starts_at=world.meeting.starts_at + dt.timedelta(days=30),
        agenda=["Evaluasi"],
        invited=[world.members["dinsos"]],
        follows_up=world.meeting,
    )
    client = client_for(world.secretariat)
    page = client.get(reverse("taskforces:meeting_detail", args=[follow.pk])).content.decode()
    mark_url = reverse("taskforces:agreement_reviewed", args=[follow.pk, world.agreement.pk])
    assert mark_url in page
    owner_page = client_for(world.owner_staff).get(reverse("taskforces:meeting_detail", args=[follow.pk]))
    assert "Menyusun norma pemberitaan anak" in owner_page.content.decode()
    assert mark_url not in owner_page.content.decode()
    assert client_for(world.owner_staff).post(mark_url).status_code == 403
    assert client_for(world.outsider_staff).post(mark_url).status_code == 404
    assert client_for(world.other_secretariat).post(mark_url).status_code == 404
    # The earlier meeting itself is not a later meeting: refused, nothing written.
    back = reverse("taskforces:agreement_reviewed", args=[world.meeting.pk, world.agreement.pk])
    assert client.post(back).status_code == 302
    world.agreement.refresh_from_db()
    assert world.agreement.reviewed_at_id is None
    assert client.post(mark_url).status_code == 302
    world.agreement.refresh_from_db()
    assert world.agreement.reviewed_at_id == follow.pk
    assert mark_url not in client.get(reverse("taskforces:meeting_detail", args=[follow.pk])).content.decode()

    api_url = f"/api/v1/taskforces/agreements/{world.agreement.pk}/reviewed/"
    early = client.post(api_url, {"meeting_id": str(world.meeting.pk)}, content_type="application/json")
    assert early.status_code == 400
    for persona, code in ((world.other_secretariat, 404), (world.outsider_staff, 404), (world.owner_staff, 403)):
        response = client_for(persona).post(api_url, {"meeting_id": str(follow.pk)}, content_type="application/json")
        assert response.status_code == code
    response = client.post(api_url, {"meeting_id": str(follow.pk)}, content_type="application/json")
    assert (response.status_code, response.json()["reviewed_at_meeting_id"]) == (200, str(follow.pk))


def test_the_api_accepts_as_reviewed_at_only_the_follow_up_meeting_the_page_offers(world, client_for):
    """A later meeting that does not follow up the agreement's meeting is not offered on any page: the API
    answers 400 for it and writes nothing; the follow-up meeting itself is accepted."""
    later = services.meeting_create(
        actor=world.secretariat,
        body=world.body,
        type="rakor",
        title="Rakor lain",
        starts_at=world.meeting.starts_at + dt.timedelta(days=60),
        agenda=["Lain-lain"],
        invited=[world.members["dinsos"]],
    )
    follow = services.meeting_create(
        actor=world.secretariat,
        body=world.body,
        type="lanjutan",
        title="Rapat lanjutan",
        starts_at=world.meeting.starts_at + dt.timedelta(days=30),
        agenda=["Evaluasi"],
        invited=[world.members["dinsos"]],
        follows_up=world.meeting,
    )
    client = client_for(world.secretariat)
    later_page = client.get(reverse("taskforces:meeting_detail", args=[later.pk])).content.decode()
    assert reverse("taskforces:agreement_reviewed", args=[later.pk, world.agreement.pk]) not in later_page
    api_url = f"/api/v1/taskforces/agreements/{world.agreement.pk}/reviewed/"
    response = client.post(api_url, {"meeting_id": str(later.pk)}, content_type="application/json")
    assert response.status_code == 400
    assert "meeting" in response.json()["error"]["details"]
    world.agreement.refresh_from_db()
    assert world.agreement.reviewed_at_id is None
    # The page's form posted by hand for the unrelated meeting is refused the same way (one service rule).
    client.post(reverse("taskforces:agreement_reviewed", args=[later.pk, world.agreement.pk]))
    world.agreement.refresh_from_db()
    assert world.agreement.reviewed_at_id is None
    response = client.post(api_url, {"meeting_id": str(follow.pk)}, content_type="application/json")
    assert (response.status_code, response.json()["reviewed_at_meeting_id"]) == (200, str(follow.pk))


def test_the_secretariat_edits_an_agreements_text_owner_and_due_date_on_the_page(world, client_for):
    url = reverse("taskforces:agreement_edit", args=[world.agreement.pk])
    detail = reverse("taskforces:agreement_detail", args=[world.agreement.pk])
    client = client_for(world.secretariat)
    assert url in client.get(detail).content.decode()
    assert url not in client_for(world.owner_staff).get(detail).content.decode()
    change = {"text": "Menyusun dan mengesahkan norma", "owner": world.satpol.pk, "due_on": "2023-06-30", "reason": ""}
    assert client_for(world.owner_staff).post(url, change).status_code == 403
    assert client_for(world.outsider_staff).post(url, change).status_code == 404
    assert client_for(world.other_secretariat).post(url, change).status_code == 404
    assert client.post(url, {**change, "text": "  "}).status_code == 400
    world.agreement.refresh_from_db()
    assert (world.agreement.text, world.agreement.owner_id) == ("Menyusun norma pemberitaan anak", world.dinsos.pk)
    assert client.post(url, {**change, "reason": "Menunggu rapat DPRD"}).status_code == 302
    world.agreement.refresh_from_db()
    assert (world.agreement.text, world.agreement.owner_id, world.agreement.due_on) == (
        "Menyusun dan mengesahkan norma",
        world.satpol.pk,
        dt.date(2023, 6, 30),
    )
    assert list(
        world.agreement.due_changes.filter(reason="Menunggu rapat DPRD").values_list("old_due_on", "new_due_on")
    ) == [(dt.date(2023, 3, 31), dt.date(2023, 6, 30))]
    assert "Menyusun dan mengesahkan norma" in client.get(detail).content.decode()


def test_the_secretariat_creates_a_working_group_on_the_page(world, client_for):
    from sinergi.taskforces.models import Body

    url = reverse("taskforces:body_list")
    client = client_for(world.secretariat)
    group = {"kind": "working_group", "name": "Pokja Klaster I", "parent": world.body.pk, "cluster": "1"}
    orphan = client.post(url, {**group, "parent": ""})
    assert "Kelompok kerja merupakan bagian dari Gugus Tugas KLA." in orphan.content.decode()
    assert not Body.objects.filter(name="Pokja Klaster I").exists()
    assert client_for(world.owner_staff).post(url, group).status_code == 403
    # Another regency's secretariat cannot hang a group under this regency's Gugus Tugas.
    assert client_for(world.other_secretariat).post(url, group).status_code == 200
    assert not Body.objects.filter(name="Pokja Klaster I").exists()
    assert client.post(url, group).status_code == 302
    made = Body.objects.get(name="Pokja Klaster I")
    assert (made.tenant_id, made.parent_id, made.cluster) == (world.tenant.pk, world.body.pk, "1")


def test_a_body_is_created_with_its_sk_document_through_the_api(world, client_for):
    from sinergi.taskforces.models import Body

    url = "/api/v1/taskforces/bodies/"
    data = {
        "kind": "forum",
        "name": "Forum Anak Daerah",
        "decree_number": "188.45/77/HK/2023",
        "decree_on": "2023-02-01",
        "decree_file": SimpleUploadedFile("sk.pdf", MINIMAL_PDF, content_type="application/pdf"),
    }
    response = client_for(world.secretariat).post(url, data)
    assert response.status_code == 201, response.content
    body = Body.objects.get(pk=response.json()["id"])
    assert response.json()["decree_document_id"] == str(body.decree_document_id)
    assert body.decree_document.tenant_id == world.tenant.pk
    data["decree_file"] = SimpleUploadedFile("sk.pdf", MINIMAL_PDF, content_type="application/pdf")
    assert client_for(world.owner_staff).post(url, {**data, "name": "Forum Lain"}).status_code == 403
    group = {"kind": "working_group", "name": "Pokja Asing", "parent_id": str(world.body.pk)}
    assert client_for(world.other_secretariat).post(url, group, content_type="application/json").status_code == 404
    assert not Body.objects.filter(name__in=["Forum Lain", "Pokja Asing"]).exists()


def test_the_invitation_api_refuses_an_inactive_or_foreign_signatory_on_its_field_and_keeps_no_number(
    world, client_for
):
    from sinergi.tenants.models import Signatory

    retired = Signatory.objects.create(
        tenant=world.meeting.tenant, name="Pensiunan", position="Mantan Kepala", is_active=False
    )
    foreign = Signatory.objects.create(tenant=world.other_secretariat.tenant, name="Lain", position="Kepala")
    client = client_for(world.secretariat)
    url = f"/api/v1/taskforces/meetings/{world.meeting.pk}/invitation/"
    for signatory in (retired, foreign):
        response = client.post(url, {"signatory_id": str(signatory.pk)}, content_type="application/json")
        assert response.status_code == 400
        assert "signatory_id" in response.json()["error"]["details"]
    world.meeting.refresh_from_db()
    assert not world.meeting.letter_number
    assert world.meeting.signatory_id is None
    response = client.post(url, {}, content_type="application/json")
    assert response.status_code == 200
    world.meeting.refresh_from_db()
    assert world.meeting.letter_number
    assert world.meeting.signatory.name == "Drs. Contoh Penandatangan"
