"""Every case service leaves an audit event, and no audit row, timeline summary or notification carries
identity values (names, NIK, birth dates, addresses, phones), even when free text mentions them."""

import datetime as dt
import json

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent
from sinergi.cases import services as s
from sinergi.cases import taxonomy as t
from sinergi.cases.models import RightItem, TimelineEntry
from sinergi.cases.tests.factories import make_referral
from sinergi.notifications.models import Notification
from sinergi.tenants.models import Agency

from .factories import PerpetratorInputFactory, PersonInputFactory, ReporterInputFactory, make_agency, make_case

pytestmark = pytest.mark.django_db

VICTIM = {
    "full_name": "Kartika Sarasvati",
    "nik": "6402014408140007",
    "birth_date": dt.date(2014, 8, 4),
    "address": "Gang Kenanga Nomor 9",
    "phone": "081377770001",
    "school_name": "MI Nurul Kenanga",
    "guardian_name": "Hartono Wibisono",
    "guardian_phone": "081377770002",
}
IDENTITY_STRINGS = [
    "Kartika",
    "Sarasvati",
    "6402014408140007",
    "2014-08-04",
    "Kenanga",
    "081377770001",
    "Hartono",
    "Wibisono",
    "081377770002",
    "Darmawan",  # perpetrator
    "Lestari Pelapor",  # reporter
    "Gunawan Kedua",  # second victim added later
    "6402010101150009",
]


def _serialize_audit() -> str:
    rows = AuditEvent.objects.order_by("id").values(
        "actor_label", "action", "object_type", "object_id", "fields", "extra", "user_agent", "request_id"
    )
    return json.dumps(list(rows), default=str, ensure_ascii=False)


def test_every_service_is_audited_without_identity_values(make_user, tenant, django_capture_on_commit_callbacks):
    # Fixed staff names: a random Faker name may share a surname with the victim's family (e.g. "Wibisono"),
    # and staff names do appear in the timeline (who a case was assigned to).
    cm = make_user(Role.CASE_MANAGER, full_name="Petugas Kasus Satu")
    head = make_user(Role.OFFICE_HEAD, full_name="Kepala Dinas Satu")
    satgas = make_user(Role.SATGAS_VOLUNTEER, full_name="Relawan Satu")
    dinsos = make_agency(tenant, Agency.Kind.DINSOS, short_name="Dinsos")
    police = make_agency(tenant, Agency.Kind.POLICE_PPA, short_name="Unit PPA")
    dinsos_officer = make_user(Role.SERVICE_PROVIDER, agency=dinsos, full_name="Petugas Dinsos Satu")
    police_officer = make_user(Role.SERVICE_PROVIDER, agency=police, full_name="Petugas Polres Satu")
    name = VICTIM["full_name"]

    actions: list[str] = []

    def expect(action: str) -> None:
        actions.append(action)
        assert AuditEvent.objects.filter(action=action).exists(), f"no audit event {action}"

    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(
            satgas,
            tenant,
            category=t.Category.ABH,
            forms=["physical"],
            people=[
                PersonInputFactory(**VICTIM),
                PerpetratorInputFactory(full_name="Darmawan Pelaku"),
                ReporterInputFactory(full_name="Lestari Pelapor", phone="081377770003"),
            ],
            chronology=f"{name} dipukul oleh tetangga",
        )
        expect("case.created")
        s.case_assign(actor=head, case=case, assignee=cm)
        expect("case.assigned")
        s.case_triage(actor=cm, case=case, answers={"perpetrator_at_home": True})
        expect("case.triaged")
        s.case_record_first_response(actor=cm, case=case, note=f"Menghubungi {name} via 081377770001")
        expect("case.first_response")
        s.case_change_stage(actor=cm, case=case, to_stage=t.Stage.ASSESSMENT, note=f"Asesmen {name}")
        expect("case.stage_changed")
        s.case_add_note(actor=cm, case=case, text=f"{name}, NIK {VICTIM['nik']}, tinggal di {VICTIM['address']}")
        expect("case.note_added")
        s.case_update_incident(
            actor=cm,
            case=case,
            category=t.Category.ABH,
            forms=["physical", "psychological"],
            chronology=f"{name} dipukul dan diancam",
            incident_on=case.incident_on,
            incident_place=t.Place.SCHOOL,
            district_code=case.district_id,
            village_code="",
            is_lpsk_protected=True,
        )
        expect("case.updated")
        victim = case.people.get(role="victim")
        s.person_add(actor=cm, case=case, data=PersonInputFactory(full_name="Gunawan Kedua", nik="6402010101150009"))
        expect("case.person_added")
        revealed = s.identity_reveal(actor=cm, case=case, person=victim, fields=["full_name", "nik"])
        assert revealed == {"full_name": name, "nik": VICTIM["nik"]}
        expect("case.identity_revealed")
        referral = make_referral(
            actor=cm, case=case, agency=dinsos, service_type="social_rehab", victim=victim, note=f"Untuk {name}"
        )
        expect("referral.created")
        s.referral_respond(actor=dinsos_officer, referral=referral, accept=True)
        expect("referral.accepted")
        s.service_record(
            actor=dinsos_officer,
            referral=referral,
            delivered_on=timezone.localdate(),
            sessions=3,
            outcome="completed",
            notes=f"Konseling {name}",
        )
        expect("service.recorded")
        declined = make_referral(actor=cm, case=case, agency=police, service_type="police")
        s.referral_respond(actor=police_officer, referral=declined, accept=False, reason=f"{name} sudah melapor")
        expect("referral.declined")
        cancelled = make_referral(actor=cm, case=case, agency=dinsos, service_type="shelter")
        s.referral_cancel(actor=cm, referral=cancelled, reason=f"{name} tinggal dengan nenek")
        expect("referral.cancelled")
        s.diversion_record(actor=cm, case=case, level="investigation", outcome="agreed", note=f"Diversi {name}")
        expect("case.diversion_recorded")
        item = RightItem.objects.filter(case=case, victim=victim, right=t.Right.RESTITUTION).get()
        s.right_set(actor=cm, item=item, status=t.RightStatus.NOT_NEEDED, reason=f"{name} tidak menuntut")
        expect("case.right_set")
        # The police declined: the case is gone for them. Dinsos may not see the NIK (social_rehab set).
        with pytest.raises(Http404):
            s.identity_reveal(actor=police_officer, case=case, person=victim, fields=["full_name"])
        with pytest.raises(PermissionDenied):
            s.identity_reveal(actor=dinsos_officer, case=case, person=victim, fields=["nik"])
        s.case_close(
            actor=head,
            case=case,
            reason=t.ClosureReason.RESOLVED,
            note=f"{name} pulih",
            override_reason=f"Hak {name} lain dipantau",
        )
        expect("case.closed")
        s.case_reopen(actor=cm, case=case, reason=f"{name} melapor lagi")
        expect("case.reopened")

    assert len(actions) == len(set(actions)) == 18

    audit_dump = _serialize_audit()
    timeline_dump = json.dumps(list(TimelineEntry.objects.values_list("summary", flat=True)), ensure_ascii=False)
    notifications_dump = json.dumps(
        list(Notification.objects.values("title", "body", "url")), ensure_ascii=False, default=str
    )
    mail_dump = json.dumps([[m.subject, m.body] for m in mail.outbox], ensure_ascii=False)
    assert mail.outbox, "referral notifications should have been e-mailed"
    for label, dump in (
        ("audit", audit_dump),
        ("timeline", timeline_dump),
        ("notifications", notifications_dump),
        ("mail", mail_dump),
    ):
        leaked = [value for value in IDENTITY_STRINGS if value in dump]
        assert not leaked, f"{label} leaks {leaked}"

    # The events still say *which* fields were touched or revealed, by name.
    reveal = AuditEvent.objects.get(action="case.identity_revealed")
    assert reveal.fields == ["victim.full_name", "victim.nik"]
    assert reveal.actor == cm
    added = AuditEvent.objects.get(action="case.person_added")
    assert {"victim.full_name", "victim.nik"} <= set(added.fields)
