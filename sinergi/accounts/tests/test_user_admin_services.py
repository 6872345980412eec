"""The tenant's user administration, service by service: who may do what, and what each change leaves."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinergi.accounts import selectors, services
from sinergi.accounts.models import ApiToken, User
from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent
from sinergi.tenants.models import Agency
from sinergi.tenants.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def uptd(tenant):
    return AgencyFactory(tenant=tenant, kind=Agency.Kind.UPTD_PPA, short_name="UPTD PPA Kukar")


def _create(actor, tenant, agency, **overrides):
    fields = {
        "username": "rina.uptd",
        "role": Role.CASE_MANAGER,
        "agency": agency,
        "full_name": "Rina Marlina",
        "email": "rina@uptd.example.org",
        "phone": "0812 1111 2222",
    }
    fields.update(overrides)
    return services.user_admin_create(actor=actor, tenant=tenant, **fields)


def test_a_new_user_with_an_address_gets_a_one_time_link_and_no_password(
    system_admin, tenant, uptd, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user, initial = _create(system_admin, tenant, uptd)
    assert initial is None
    assert not user.has_usable_password()
    assert (user.tenant, user.agency, user.role) == (tenant, uptd, Role.CASE_MANAGER)
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["rina@uptd.example.org"]
    assert "rina.uptd" in sent.body
    assert re.search(r"/accounts/password-reset/[\w-]+/[\w-]+/", sent.body)
    event = AuditEvent.objects.get(action="account.user_created", object_id=str(user.pk))
    assert event.actor_id == system_admin.pk
    assert event.extra["first_sign_in"] == "link"


def test_a_new_user_without_an_address_gets_a_password_shown_once(office_head, tenant, uptd):
    user, initial = _create(office_head, tenant, uptd, email="")
    assert initial
    assert User.objects.get(pk=user.pk).check_password(initial)
    assert initial not in str(AuditEvent.objects.get(action="account.user_created").extra)


def test_an_office_head_may_not_make_a_system_admin_but_may_make_an_office_head(office_head, tenant, uptd):
    with pytest.raises(ValidationError) as exc:
        _create(office_head, tenant, uptd, role=Role.SYSTEM_ADMIN)
    assert "role" in exc.value.message_dict
    assert not User.objects.filter(username="rina.uptd").exists()
    user, _ = _create(office_head, tenant, uptd, role=Role.OFFICE_HEAD)
    assert user.role == Role.OFFICE_HEAD


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"username": "admin-kukar"}, "username"),
        ({"username": "dua kata"}, "username"),
        ({"email": "bukan-alamat"}, "email"),
        ({"full_name": "  "}, "full_name"),
        ({"role": "superuser"}, "role"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(system_admin, tenant, uptd, overrides, field):
    before = User.objects.count()
    with pytest.raises(ValidationError) as exc:
        _create(system_admin, tenant, uptd, **overrides)
    assert field in exc.value.message_dict
    assert User.objects.count() == before
    assert not AuditEvent.objects.filter(action="account.user_created").exists()


def test_an_agency_of_another_tenant_or_an_inactive_one_is_refused(system_admin, tenant, other_tenant, uptd):
    foreign = AgencyFactory(tenant=other_tenant)
    closed = AgencyFactory(tenant=tenant, is_active=False)
    for agency in (foreign, closed, None):
        with pytest.raises(ValidationError) as exc:
            _create(system_admin, tenant, agency)
        assert "agency" in exc.value.message_dict
    assert not User.objects.filter(username="rina.uptd").exists()


def test_nobody_outside_the_administration_creates_users(make_user, other_admin, tenant, uptd):
    for actor in (make_user(Role.CASE_MANAGER), make_user(Role.ANALYST), other_admin):
        with pytest.raises(PermissionDenied):
            _create(actor, tenant, uptd)


def test_a_role_and_agency_change_is_audited(system_admin, staff_member, tenant):
    dinsos = AgencyFactory(tenant=tenant, kind=Agency.Kind.DINSOS)
    services.user_admin_update(actor=system_admin, user=staff_member, role=Role.SERVICE_PROVIDER, agency=dinsos)
    staff_member.refresh_from_db()
    assert (staff_member.role, staff_member.agency) == (Role.SERVICE_PROVIDER, dinsos)
    updated = AuditEvent.objects.get(action="account.user_updated")
    assert sorted(updated.fields) == ["agency", "role"]
    changed = AuditEvent.objects.get(action="account.role_changed")
    assert changed.extra == {"from": Role.CASE_MANAGER, "to": Role.SERVICE_PROVIDER}


def test_an_office_head_can_neither_touch_a_system_admin_nor_promote_anyone_to_it(
    office_head, system_admin, staff_member
):
    with pytest.raises(PermissionDenied):
        services.user_admin_update(actor=office_head, user=system_admin, full_name="Diganti")
    with pytest.raises(PermissionDenied):
        services.user_admin_set_active(actor=office_head, user=system_admin, is_active=False)
    with pytest.raises(PermissionDenied):
        services.user_admin_reset_otp(actor=office_head, user=system_admin, reason="ponsel hilang, sudah dicek")
    with pytest.raises(ValidationError):
        services.user_admin_update(actor=office_head, user=staff_member, role=Role.SYSTEM_ADMIN)
    staff_member.refresh_from_db()
    assert staff_member.role == Role.CASE_MANAGER


def test_nobody_deactivates_themselves_or_changes_their_own_role(system_admin):
    with pytest.raises(PermissionDenied):
        services.user_admin_set_active(actor=system_admin, user=system_admin, is_active=False)
    with pytest.raises(PermissionDenied):
        services.user_admin_update(actor=system_admin, user=system_admin, role=Role.ANALYST)
    # Their own name and contacts they may change.
    services.user_admin_update(actor=system_admin, user=system_admin, phone="0811 000")
    system_admin.refresh_from_db()
    assert system_admin.is_active
    assert system_admin.role == Role.SYSTEM_ADMIN


def test_the_last_active_system_admin_cannot_be_demoted_or_deactivated(system_admin, make_user):
    second = make_user(Role.SYSTEM_ADMIN, username="admin-dua", full_name="Admin Dua")
    services.user_admin_update(actor=second, user=system_admin, role=Role.OFFICE_HEAD)
    # Now `second` is the tenant's only system admin; the one who could act on them is an office head.
    system_admin.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.user_admin_set_active(actor=system_admin, user=second, is_active=False)
    # The rule holds in the service too, whoever asks (here: a check against a stale role in memory).
    stale = User.objects.get(pk=system_admin.pk)
    stale.role = Role.SYSTEM_ADMIN
    with pytest.raises(ValidationError):
        services.user_admin_set_active(actor=stale, user=second, is_active=False)
    with pytest.raises(ValidationError):
        services.user_admin_update(actor=stale, user=second, role=Role.ANALYST)
    second.refresh_from_db()
    assert second.is_active
    assert second.role == Role.SYSTEM_ADMIN


def test_deactivation_ends_sessions_and_tokens_and_keeps_the_history(system_admin, staff_member):
    generation = staff_member.session_generation
    services.user_admin_set_active(actor=system_admin, user=staff_member, is_active=False)
    staff_member.refresh_from_db()
    assert not staff_member.is_active
    assert staff_member.session_generation == generation + 1
    assert not ApiToken.objects.filter(user=staff_member, revoked_at__isnull=True).exists()
    assert User.objects.filter(pk=staff_member.pk).exists()
    event = AuditEvent.objects.get(action="account.user_deactivated")
    assert event.extra["tokens_revoked"] == 1
    services.user_admin_set_active(actor=system_admin, user=staff_member, is_active=True)
    staff_member.refresh_from_db()
    assert staff_member.is_active
    assert AuditEvent.objects.filter(action="account.user_reactivated").count() == 1


def test_a_second_factor_reset_needs_a_reason_and_removes_every_device(system_admin, staff_member):
    StaticDevice.objects.create(user=staff_member, name="backup", confirmed=True)
    with pytest.raises(ValidationError):
        services.user_admin_reset_otp(actor=system_admin, user=staff_member, reason="hilang")
    assert TOTPDevice.objects.filter(user=staff_member).exists()
    services.user_admin_reset_otp(
        actor=system_admin, user=staff_member, reason="Ponsel hilang, identitas dicek langsung oleh kepala UPTD"
    )
    assert not TOTPDevice.objects.filter(user=staff_member).exists()
    assert not StaticDevice.objects.filter(user=staff_member).exists()
    assert not ApiToken.objects.filter(user=staff_member, revoked_at__isnull=True).exists()
    event = AuditEvent.objects.get(action="account.otp_reset")
    assert event.extra["reason"] == "Ponsel hilang, identitas dicek langsung oleh kepala UPTD"
    assert event.extra["devices_removed"] == 2
    assert selectors.otp_pending_step(user=User.objects.get(pk=staff_member.pk)) == "accounts:otp_setup"


def test_an_admin_may_not_reset_their_own_second_factor(system_admin):
    with pytest.raises(PermissionDenied):
        services.user_admin_reset_otp(actor=system_admin, user=system_admin, reason="ponsel saya hilang kemarin")


def test_a_password_link_goes_to_the_users_address_only(system_admin, staff_member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.user_admin_send_password_link(actor=system_admin, user=staff_member)
    assert [m.to for m in mail.outbox] == [["dewi@uptd.example.org"]]
    assert AuditEvent.objects.filter(action="account.password_link_sent", object_id=str(staff_member.pk)).exists()
    staff_member.email = ""
    with pytest.raises(ValidationError):
        services.user_admin_send_password_link(actor=system_admin, user=staff_member)


def test_the_list_is_the_tenants_and_searchable(system_admin, staff_member, other_admin, make_user):
    make_user(Role.ANALYST, username="analis", full_name="Budi Analis", is_active=False)
    names = set(selectors.user_list_for_admin(user=system_admin).values_list("username", flat=True))
    assert "dewi-uptd" in names
    assert "admin-paser" not in names
    assert "analis" not in names
    assert list(selectors.user_list_for_admin(user=system_admin, q="lestari")) == [staff_member]
    assert [u.username for u in selectors.user_list_for_admin(user=system_admin, status="inactive")] == ["analis"]
    with pytest.raises(PermissionDenied):
        selectors.user_list_for_admin(user=staff_member)
