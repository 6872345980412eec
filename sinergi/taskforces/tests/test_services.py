"""The services: numbering, roll-up, due-date history, extensions, dropping, reminders, check-in codes."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from freezegun import freeze_time

from sinergi.audit.models import AuditEvent
from sinergi.notifications.models import Notification
from sinergi.taskforces import services
from sinergi.taskforces.models import Agreement, Attendance, DueDateChange, Meeting

pytestmark = pytest.mark.django_db


def _pdf_file() -> SimpleUploadedFile:
    from sinergi.documents.tests.factories import MINIMAL_PDF

    return SimpleUploadedFile("bukti.pdf", MINIMAL_PDF, content_type="application/pdf")


def test_agreements_are_numbered_per_meeting_and_sub_agreements_per_parent(world):
    second = services.agreement_create(actor=world.secretariat, meeting=world.meeting, text="Kedua")
    sub1 = services.agreement_create(actor=world.secretariat, meeting=world.meeting, text="Sub", parent=second)
    sub2 = services.agreement_create(actor=world.secretariat, meeting=world.meeting, text="Sub 2", parent=second)
    assert [world.agreement.label, second.label, sub1.label, sub2.label] == ["1", "2", "2.1", "2.2"]


def test_sub_agreements_roll_up_to_the_parent_and_close_it(world):
    parent = world.agreement
    a = services.agreement_create(
        actor=world.secretariat, meeting=world.meeting, text="A", parent=parent, owner=world.dinsos
    )
    b = services.agreement_create(
        actor=world.secretariat, meeting=world.meeting, text="B", parent=parent, owner=world.dinsos
    )
    services.agreement_progress_add(actor=world.owner_staff, agreement=a, text="Setengah", progress=50)
    parent.refresh_from_db()
    assert parent.progress == 25
    with pytest.raises(ValidationError):
        services.agreement_progress_add(actor=world.owner_staff, agreement=parent, text="x", progress=10)
    services.agreement_progress_add(actor=world.owner_staff, agreement=a, text="Selesai", progress=100)
    services.agreement_drop(actor=world.secretariat, agreement=b, reason="Tidak relevan lagi")
    parent.refresh_from_db()
    assert (parent.progress, parent.status) == (100, "done")


def test_an_officer_of_another_agency_cannot_post_progress(world):
    with pytest.raises(PermissionDenied):
        services.agreement_progress_add(actor=world.outsider_staff, agreement=world.agreement, text="x", progress=10)
    with pytest.raises(PermissionDenied):
        services.agreement_progress_add(actor=world.supporter_staff, agreement=world.agreement, text="x", progress=10)
    assert not world.agreement.updates.exists()


def test_progress_with_a_pdf_stores_the_evidence_and_notifies_followers(world):
    services.agreement_follow(actor=world.head, agreement=world.agreement)
    update = services.agreement_progress_add(
        actor=world.owner_staff,
        agreement=world.agreement,
        text="Draf norma selesai",
        progress=100,
        evidence_file=_pdf_file(),
    )
    assert update.evidence_document.mime == "application/pdf"
    world.agreement.refresh_from_db()
    assert world.agreement.status == "done"
    assert world.agreement.done_on is not None
    assert Notification.objects.filter(recipient=world.head, kind="agreement_changed").count() == 1
    assert not Notification.objects.filter(recipient=world.owner_staff, kind="agreement_changed").exists()


def test_impossible_progress_is_refused_and_nothing_is_written(world):
    for progress in (-1, 101, "abc"):
        with pytest.raises(ValidationError):
            services.agreement_progress_add(
                actor=world.owner_staff, agreement=world.agreement, text="x", progress=progress
            )
    with pytest.raises(ValidationError):
        services.agreement_progress_add(
            actor=world.owner_staff, agreement=world.agreement, text="x", progress=5, status="dropped"
        )
    assert not world.agreement.updates.exists()


def test_dropping_needs_a_reason(world):
    with pytest.raises(ValidationError):
        services.agreement_drop(actor=world.secretariat, agreement=world.agreement, reason="  ")
    world.agreement.refresh_from_db()
    assert world.agreement.status == "open"


def test_an_approved_extension_moves_the_due_date_and_keeps_its_history(world):
    extension = services.extension_request(
        actor=world.owner_staff, agreement=world.agreement, due_on=dt.date(2023, 6, 30), reason="Menunggu Perbup"
    )
    with pytest.raises(ValidationError):
        services.extension_request(
            actor=world.owner_staff, agreement=world.agreement, due_on=dt.date(2023, 7, 30), reason="Lagi"
        )
    with pytest.raises(PermissionDenied):
        services.extension_decide(actor=world.owner_staff, extension=extension, approve=True)
    services.extension_decide(actor=world.secretariat, extension=extension, approve=True)
    world.agreement.refresh_from_db()
    assert world.agreement.due_on == dt.date(2023, 6, 30)
    history = list(DueDateChange.objects.filter(agreement=world.agreement).values_list("old_due_on", "new_due_on"))
    assert history == [(None, dt.date(2023, 3, 31)), (dt.date(2023, 3, 31), dt.date(2023, 6, 30))]
    with pytest.raises(ValidationError):
        services.extension_decide(actor=world.secretariat, extension=extension, approve=False, note="x")


def test_a_refused_extension_needs_a_note_and_leaves_the_due_date(world):
    extension = services.extension_request(
        actor=world.owner_staff, agreement=world.agreement, due_on=dt.date(2023, 6, 30), reason="Menunggu"
    )
    with pytest.raises(ValidationError):
        services.extension_decide(actor=world.secretariat, extension=extension, approve=False)
    services.extension_decide(actor=world.secretariat, extension=extension, approve=False, note="Tidak bisa")
    world.agreement.refresh_from_db()
    assert world.agreement.due_on == dt.date(2023, 3, 31)


def test_the_owner_agency_is_notified_of_a_new_agreement(world):
    assert Notification.objects.filter(recipient=world.owner_staff, kind="agreement_assigned").count() == 1
    assert not Notification.objects.filter(recipient=world.outsider_staff).exists()


def test_reminders_twice_notify_once(world):
    with freeze_time("2023-03-27 01:00:00"):  # 27 March 09.00 WITA: due in four days
        first = services.agreements_remind()
        second = services.agreements_remind()
    assert first["before_due"] == 1
    assert second["before_due"] == 0
    assert Notification.objects.filter(recipient=world.owner_staff, kind="agreement_before_due").count() == 1
    with freeze_time("2023-04-01 01:00:00"):
        services.agreements_remind()
        services.agreements_remind()
    assert Notification.objects.filter(kind="agreement_overdue", recipient=world.secretariat).count() == 1
    assert Notification.objects.filter(kind="agreement_overdue", recipient=world.owner_staff).count() == 1
    assert Notification.objects.filter(kind="agreement_overdue", recipient=world.head).count() == 1


def test_the_overdue_escalation_waits_for_the_tenants_midnight(world):
    # 31 March 23.30 WITA is 15.30 UTC: still the due day in Tenggarong.
    with freeze_time("2023-03-31 15:30:00"):
        assert services.agreements_remind()["overdue"] == 0
    with freeze_time("2023-03-31 16:30:00"):
        assert services.agreements_remind()["overdue"] == 1


def test_a_code_for_meeting_a_is_refused_on_meeting_b_and_after_it_expires(world):
    other = services.meeting_create(
        actor=world.secretariat,
        body=world.body,
        type="rakor",
        title="Rapat B",
        starts_at=world.meeting.starts_at + dt.timedelta(days=7),
        agenda=["Satu"],
    )
    with freeze_time("2023-01-04 01:00:00") as frozen:
        code = services.checkin_code(meeting=world.meeting)
        with pytest.raises(ValidationError):
            services.attendance_checkin(meeting=other, code=code, name="Tamu", organisation="LSM")
        services.checkin_code_check(meeting=world.meeting, code=code)
        frozen.tick(dt.timedelta(seconds=services.attendance.CODE_OPEN_SECONDS + 1))
        with pytest.raises(ValidationError):
            services.checkin_code_check(meeting=world.meeting, code=code)
        frozen.tick(dt.timedelta(seconds=services.attendance.CODE_SUBMIT_SECONDS))
        with pytest.raises(ValidationError):
            services.attendance_checkin(meeting=world.meeting, code=code, name="Tamu", organisation="LSM")
    with pytest.raises(ValidationError):
        services.attendance_checkin(meeting=world.meeting, code=code + "x", name="Tamu", organisation="LSM")
    assert not Attendance.objects.exists()


def test_a_double_check_in_creates_one_row(world):
    code = services.checkin_code(meeting=world.meeting)
    _a, created = services.attendance_checkin(meeting=world.meeting, code=code, user=world.owner_staff)
    _b, again = services.attendance_checkin(meeting=world.meeting, code=code, user=world.owner_staff)
    _c, guest = services.attendance_checkin(meeting=world.meeting, code=code, name="Siti  Aminah", organisation="APSAI")
    _d, guest_again = services.attendance_checkin(
        meeting=world.meeting, code=code, name="siti aminah", organisation="apsai"
    )
    assert (created, again, guest, guest_again) == (True, False, True, False)
    assert Attendance.objects.filter(meeting=world.meeting).count() == 2


def test_the_database_refuses_a_second_row_for_the_same_person(world):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    Attendance.objects.create(
        meeting=world.meeting, identity="guest:x|y", name="X", method="qr", checked_in_at=timezone.now()
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(
            meeting=world.meeting, identity="guest:x|y", name="X", method="qr", checked_in_at=timezone.now()
        )


def test_a_quarterly_rule_generates_meetings_at_the_same_local_time(world):
    from sinergi.taskforces.tests.conftest import WITA

    series = services.meeting_series_create(
        actor=world.secretariat,
        body=world.body,
        type="rakor",
        title="Rakor triwulan",
        rule="FREQ=MONTHLY;INTERVAL=3;COUNT=4",
        first_starts_at=dt.datetime(2025, 1, 15, 9, 0, tzinfo=WITA),
        duration=dt.timedelta(hours=3),
        agenda=["Evaluasi"],
    )
    starts = [m.starts_at.astimezone(WITA) for m in Meeting.objects.filter(series=series).order_by("starts_at")]
    assert [(s.month, s.hour) for s in starts] == [(1, 9), (4, 9), (7, 9), (10, 9)]
    with pytest.raises(ValidationError):
        services.meeting_series_create(
            actor=world.secretariat,
            body=world.body,
            type="rakor",
            title="X",
            rule="FREQ=DAILY;COUNT=400",
            first_starts_at=dt.datetime(2025, 1, 15, 9, 0, tzinfo=WITA),
            duration=dt.timedelta(hours=1),
            agenda=["x"],
        )


def test_every_write_is_audited(world):
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"taskforce.body_created", "taskforce.meeting_created", "taskforce.agreement_created"} <= actions


def test_a_satgas_body_refers_to_an_existing_satgas_agency(world):
    with pytest.raises(ValidationError):
        services.body_create(
            actor=world.secretariat, tenant=world.tenant, kind="satgas_ppa", name="Satgas X", agency=world.dinsos
        )


def test_nobody_else_creates_meetings_or_agreements(world):
    for actor in (world.head, world.owner_staff, world.other_secretariat):
        with pytest.raises(PermissionDenied):
            services.agreement_create(actor=actor, meeting=world.meeting, text="x")
    assert Agreement.objects.count() == 1
