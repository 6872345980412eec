"""Public report form and status check (no login): bot trap, rate limits, tracking code, stage only; and
the same through the public JSON API."""

import re
import time

import pytest
from django.urls import reverse
from django.utils import translation

from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent
from sinergi.cases import services
from sinergi.cases import taxonomy as t
from sinergi.cases.forms_public import MAX_FILL_SECONDS, public_stage_label, started_token
from sinergi.cases.models import Case, Person
from sinergi.tenants.tests.factories import TenantFactory

from .factories import first_district

pytestmark = pytest.mark.django_db

REPORT = reverse("public:report")
STATUS = reverse("public:status")
THANKS = reverse("public:thanks")
API_REPORT = reverse("api-public-report")
API_STATUS = reverse("api-public-report-status")
CODE_RE = re.compile(r"\b([A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4})\b")


def stage_text(stage: str) -> str:
    with translation.override("id"):
        return str(public_stage_label(stage))


def form_data(tenant, **overrides) -> dict:
    data = {
        "what_happened": "Tetangga saya memukul anaknya setiap malam.",
        "district": first_district(tenant).code,
        "age_group": "6-12",
        "sex": t.Sex.MALE,
        "victim_name": "Budi Santoso",
        "reporter_name": "Ani Wulandari",
        "reporter_phone": "081299988877",
        "consent": "on",
        "website": "",
        "started": started_token(at=time.time() - 30),
    }
    data.update(overrides)
    return data


def submit(client, tenant, **overrides) -> str:
    """Send a valid report and return the tracking code shown on the thank-you page."""
    url = reverse("public:report_for", args=[tenant.code])
    response = client.post(url, form_data(tenant, **overrides), follow=True)
    match = CODE_RE.search(response.content.decode())
    assert match, response.content.decode()
    return match.group(1)


# ---- Report form --------------------------------------------------------------------------------


def test_form_needs_no_login_and_has_the_bot_trap(client, tenant):
    response = client.get(REPORT)

    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="website"' in body
    assert 'class="visually-hidden" aria-hidden="true"' in body  # hidden by a CSS class, not inline style
    assert " style=" not in body
    assert "<script>" not in body
    assert 'name="started"' in body
    assert first_district(tenant).name in body  # kecamatan of the regency


def test_successful_report_shows_the_code_once(client, tenant):
    response = client.post(REPORT, form_data(tenant))

    assert response.status_code == 302
    assert response["Location"] == THANKS
    thanks = client.get(THANKS).content.decode()
    code = CODE_RE.search(thanks).group(1)
    assert "129" in thanks  # SAPA 129 hotline
    case = Case.objects.get()
    assert case.channel == t.Channel.PUBLIC_FORM
    assert case.created_by is None
    assert case.chronology == "Tetangga saya memukul anaknya setiap malam."
    assert code.replace("-", "") not in case.tracking_code_bidx  # only an HMAC is stored
    assert services.public_report_status(tenant=tenant, code=code) == t.Stage.RECEIVED
    victim = case.people.get(role=Person.Role.VICTIM)
    assert victim.full_name == "Budi Santoso"
    assert victim.is_child
    assert victim.age_band == "6-12"
    reporter = case.people.get(role=Person.Role.REPORTER)
    assert reporter.phone == "081299988877"
    assert case.district_id == first_district(tenant).code
    # Shown once: a reload does not show it again.
    assert not CODE_RE.search(client.get(THANKS).content.decode())


def test_minimal_report_is_enough(client, tenant):
    data = {"what_happened": "Ada anak ditelantarkan.", "consent": "on", "started": started_token(at=time.time() - 30)}
    response = client.post(REPORT, data)

    assert response.status_code == 302
    case = Case.objects.get()
    assert list(case.people.values_list("role", flat=True)) == [Person.Role.VICTIM]


def test_case_team_is_notified_without_details(client, tenant, make_user):
    from sinergi.notifications.models import Notification

    cm = make_user(Role.CASE_MANAGER)
    client.post(REPORT, form_data(tenant))

    note = Notification.objects.get(recipient=cm)
    assert "Budi" not in note.title
    assert "memukul" not in note.title


def test_honeypot_is_answered_like_success_but_creates_nothing(client, tenant):
    response = client.post(REPORT, form_data(tenant, website="http://spam.example"), follow=True)

    assert response.status_code == 200
    assert CODE_RE.search(response.content.decode())
    assert not Case.objects.exists()


def test_too_fast_submission_is_rejected(client, tenant):
    response = client.post(REPORT, form_data(tenant, started=started_token()))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Case.objects.exists()
    # What was typed stays in the form.
    assert "Tetangga saya memukul anaknya setiap malam." in response.content.decode()


@pytest.mark.parametrize("kind", ["missing", "forged", "expired"])
def test_missing_forged_or_expired_start_time_is_rejected(client, tenant, kind):
    # Built inside the test: a token in the parameter id would differ between xdist workers.
    started = {
        "missing": "",
        "forged": "forged-token",
        "expired": started_token(at=time.time() - MAX_FILL_SECONDS - 60),
    }[kind]
    response = client.post(REPORT, form_data(tenant, started=started))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert response.context["started"] != started  # a fresh start time to try again
    assert not Case.objects.exists()


def test_consent_is_required(client, tenant):
    response = client.post(REPORT, form_data(tenant, consent=""))

    assert "consent" in response.context["form"].errors
    assert not Case.objects.exists()


def test_kecamatan_of_another_regency_is_refused(client, tenant, other_tenant):
    url = reverse("public:report_for", args=[tenant.code])
    response = client.post(url, form_data(tenant, district=first_district(other_tenant).code))

    assert "district" in response.context["form"].errors
    assert not Case.objects.exists()


def test_reports_are_rate_limited_per_ip(client, tenant):
    for _ in range(5):
        client.post(REPORT, form_data(tenant, consent=""), REMOTE_ADDR="10.1.1.1")

    blocked = client.post(REPORT, form_data(tenant), REMOTE_ADDR="10.1.1.1")
    other_ip = client.post(REPORT, form_data(tenant), REMOTE_ADDR="10.1.1.2")

    assert blocked.status_code == 429
    assert other_ip.status_code == 302
    assert Case.objects.count() == 1


def test_several_regencies_get_a_choice_and_their_own_form(client, tenant, other_tenant):
    body = client.get(REPORT).content.decode()
    assert reverse("public:report_for", args=[tenant.code]) in body
    assert reverse("public:report_for", args=[other_tenant.code]) in body

    url = reverse("public:report_for", args=[other_tenant.code])
    response = client.post(url, form_data(other_tenant))

    assert response.status_code == 302
    assert Case.objects.get().tenant == other_tenant


def test_inactive_regency_has_no_form(client, tenant):
    closed = TenantFactory(code="64.03", name="Kabupaten Tutup", is_active=False)
    assert client.get(reverse("public:report_for", args=[closed.code])).status_code == 404


# ---- Status check -------------------------------------------------------------------------------


def test_status_shows_the_stage_only(client, tenant, make_user):
    code = submit(client, tenant)
    case = Case.objects.get()

    response = client.post(STATUS, {"tenant": tenant.code, "code": code})

    assert response.status_code == 200
    body = response.content.decode()
    assert stage_text(t.Stage.RECEIVED) in body
    for secret in (
        case.number,
        "Budi",
        "Santoso",
        "Ani Wulandari",
        "081299988877",
        "memukul",
        case.reported_on.isoformat(),
        first_district(tenant).name,
    ):
        assert secret not in body, secret
    assert code not in body  # the code is not echoed back into the page either


def test_status_follows_the_case_in_plain_words(client, tenant, make_user):
    code = submit(client, tenant)
    case = Case.objects.get()
    cm = make_user(Role.CASE_MANAGER)
    services.case_change_stage(actor=cm, case=case, to_stage=t.Stage.OUTREACH)

    body = client.post(STATUS, {"tenant": tenant.code, "code": code.lower().replace("-", " ")}).content.decode()

    assert stage_text(t.Stage.OUTREACH) in body
    assert stage_text(t.Stage.OUTREACH) != stage_text(t.Stage.RECEIVED)


def test_wrong_code_gets_a_neutral_answer(client, tenant, other_tenant):
    code = submit(client, tenant)

    wrong = client.post(STATUS, {"tenant": tenant.code, "code": "AAAA-BBBB-CCCC"})
    other_regency = client.post(STATUS, {"tenant": other_tenant.code, "code": code})

    for response in (wrong, other_regency):
        assert response.status_code == 200
        assert response.context["looked_up"]
        assert response.context["stage_label"] is None
        assert 'id="report-not-found"' in response.content.decode()


def test_status_checks_are_rate_limited_per_ip(client, tenant):
    for _ in range(20):
        client.post(STATUS, {"tenant": tenant.code, "code": "AAAA-BBBB-CCCC"}, REMOTE_ADDR="10.2.2.2")
    assert (
        client.post(STATUS, {"tenant": tenant.code, "code": "AAAA-BBBB-CCCC"}, REMOTE_ADDR="10.2.2.2").status_code
        == 429
    )


# ---- Public API ---------------------------------------------------------------------------------


def api_payload(for_tenant, **overrides) -> dict:
    payload = {
        "tenant": for_tenant.code,
        "what_happened": "Anak tetangga dipaksa bekerja malam hari.",
        "age_group": "13-17",
        "victim_name": "Dewi Anggraini",
        "consent": True,
    }
    payload.update(overrides)
    return payload


def test_api_report_returns_a_tracking_code(client, tenant):
    response = client.post(API_REPORT, api_payload(tenant), content_type="application/json")

    assert response.status_code == 201
    code = response.json()["tracking_code"]
    assert CODE_RE.fullmatch(code)
    assert set(response.json()) == {"tracking_code"}
    case = Case.objects.get()
    assert case.channel == t.Channel.PUBLIC_FORM
    assert services.public_report_status(tenant=tenant, code=code) == t.Stage.RECEIVED


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"consent": False}, "consent"), ({"tenant": "99.99"}, "tenant"), ({"what_happened": ""}, "what_happened")],
)
def test_api_report_validates(client, tenant, overrides, field):
    response = client.post(API_REPORT, api_payload(tenant, **overrides), content_type="application/json")

    assert response.status_code == 400
    assert field in response.json()["error"]["details"]
    assert not Case.objects.exists()


def test_api_report_refuses_a_kecamatan_of_another_regency(client, tenant, other_tenant):
    payload = api_payload(tenant, district=first_district(other_tenant).code)
    response = client.post(API_REPORT, payload, content_type="application/json")
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_api_status_returns_the_stage_only(client, tenant):
    code = client.post(API_REPORT, api_payload(tenant), content_type="application/json").json()["tracking_code"]

    response = client.post(API_STATUS, {"tenant": tenant.code, "code": code}, content_type="application/json")

    assert response.status_code == 200
    assert set(response.json()) == {"stage", "label"}
    assert response.json()["stage"] == t.Stage.RECEIVED
    assert Case.objects.get().number not in response.content.decode()


def test_api_status_wrong_code_or_regency_is_a_neutral_404(client, tenant, other_tenant):
    code = client.post(API_REPORT, api_payload(tenant), content_type="application/json").json()["tracking_code"]

    wrong = client.post(API_STATUS, {"tenant": tenant.code, "code": "AAAA-BBBB-CCCC"}, content_type="application/json")
    other = client.post(API_STATUS, {"tenant": other_tenant.code, "code": code}, content_type="application/json")
    unknown = client.post(API_STATUS, {"tenant": "99.99", "code": code}, content_type="application/json")

    assert wrong.status_code == other.status_code == unknown.status_code == 404
    assert wrong.json() == other.json() == unknown.json()


def test_api_reports_are_throttled(client, tenant):
    statuses = [
        client.post(
            API_REPORT, api_payload(tenant, consent=False), content_type="application/json", REMOTE_ADDR="10.3.3.3"
        ).status_code
        for _ in range(11)
    ]
    assert statuses[:10] == [400] * 10
    assert statuses[10] == 429


def test_api_status_checks_are_throttled(client, tenant):
    payload = {"tenant": tenant.code, "code": "AAAA-BBBB-CCCC"}
    statuses = [
        client.post(API_STATUS, payload, content_type="application/json", REMOTE_ADDR="10.4.4.4").status_code
        for _ in range(21)
    ]
    assert statuses[:20] == [404] * 20
    assert statuses[20] == 429


def test_api_ignores_a_session_and_needs_no_csrf(client_for, tenant, make_user):
    cm = make_user(Role.CASE_MANAGER)
    client = client_for(cm)
    client.handler.enforce_csrf_checks = True

    response = client.post(API_REPORT, api_payload(tenant), content_type="application/json")

    assert response.status_code == 201
    assert Case.objects.get().created_by is None
    assert AuditEvent.objects.filter(action="case.created", actor__isnull=True).exists()


def test_public_endpoints_are_documented_as_public(client_for, make_user):
    client = client_for(make_user(Role.CASE_MANAGER))
    schema = client.get("/api/schema/", {"format": "json"}).json()

    assert "security" not in schema  # no global requirement that public operations would inherit
    private = schema["paths"]["/api/v1/tenants/current/"]["get"]
    assert private["security"]  # authenticated endpoints do list their schemes
    for path in ("/api/v1/public/reports/", "/api/v1/public/reports/status/"):
        operation = schema["paths"][path]["post"]
        assert operation.get("security", []) in ([], [{}])
        assert "Public, no authentication" in operation["description"]
