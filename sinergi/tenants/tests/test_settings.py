"""The tenant's own settings: edited in the app and the API by its admin or office head, audited, used by
the one letter layout (kop surat, nomor surat, date in Indonesian, signature block)."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent
from sinergi.core import letters
from sinergi.tenants import services
from sinergi.tenants.models import Signatory

pytestmark = pytest.mark.django_db

SETTINGS = reverse("tenant_settings:edit")
API = "/api/v1/tenants/settings/"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (11, 94, 107)).save(buffer, format="PNG")
    return buffer.getvalue()


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.OFFICE_HEAD])
def test_admin_and_office_head_change_settings_in_the_page(role, make_user, client_for, tenant):
    client = client_for(make_user(role))
    assert client.get(SETTINGS).status_code == 200
    form = {name: getattr(tenant, name) for name in services.EDITABLE}
    form.update(timezone="Asia/Makassar", letter_city="Tenggarong", small_count_threshold=5)
    response = client.post(SETTINGS, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    tenant.refresh_from_db()
    assert (tenant.timezone, tenant.letter_city, tenant.small_count_threshold) == ("Asia/Makassar", "Tenggarong", 5)
    event = AuditEvent.objects.get(action="tenant.settings_changed")
    assert event.fields == ["letter_city", "small_count_threshold", "timezone"]


@pytest.mark.parametrize("role", [Role.CASE_MANAGER, Role.ANALYST, Role.SERVICE_PROVIDER])
def test_other_roles_are_refused(role, make_user, client_for):
    client = client_for(make_user(role))
    assert client.get(SETTINGS).status_code == 403
    assert client.get(API).status_code == 403


def test_another_regencys_admin_cannot_reach_these_settings(make_user, client_for, tenant, other_tenant):
    outsider = make_user(Role.SYSTEM_ADMIN, tenant=other_tenant)
    with pytest.raises(Exception):  # noqa: B017, PT011 - PermissionDenied from the policy
        services.tenant_settings_update(actor=outsider, tenant=tenant, changes={"letter_city": "X"})
    # Through HTTP the admin only ever reaches their own tenant's settings.
    client_for(outsider).patch(API, {"letter_city": "Tana Paser"}, content_type="application/json")
    tenant.refresh_from_db()
    other_tenant.refresh_from_db()
    assert tenant.letter_city == ""
    assert other_tenant.letter_city == "Tana Paser"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"letter_number_pattern": "{office}/{year}"}, "letter_number_pattern"),  # no {seq}
        ({"letter_number_pattern": "{seq}/{__class__}"}, "letter_number_pattern"),
        ({"letter_number_pattern": "{seq"}, "letter_number_pattern"),
        ({"timezone": "Europe/Berlin"}, "timezone"),
        ({"small_count_threshold": 0}, "small_count_threshold"),
        ({"referral_access_grace_days": 400}, "referral_access_grace_days"),
        ({"small_count_threshold": 10, "small_count_threshold_sexual": 5}, "small_count_threshold_sexual"),
    ],
)
def test_bad_settings_are_refused_and_nothing_is_saved(changes, field, make_user, tenant):
    admin = make_user(Role.SYSTEM_ADMIN)
    with pytest.raises(ValidationError) as caught:
        services.tenant_settings_update(actor=admin, tenant=tenant, changes=changes)
    assert field in caught.value.message_dict
    tenant.refresh_from_db()
    assert tenant.letter_number_pattern == "{seq}/{office}/{roman_month}/{year}"
    assert not AuditEvent.objects.filter(action="tenant.settings_changed").exists()


def test_the_api_reads_and_patches_the_settings(make_user, client_for, tenant):
    client = client_for(make_user(Role.OFFICE_HEAD))
    assert client.get(API).json()["letter_number_pattern"] == "{seq}/{office}/{roman_month}/{year}"
    response = client.patch(API, {"referral_access_grace_days": 45}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["referral_access_grace_days"] == 45
    bad = client.patch(API, {"timezone": "UTC"}, content_type="application/json")
    assert bad.status_code == 400


def test_a_logo_must_be_a_small_image(make_user, tenant):
    admin = make_user(Role.SYSTEM_ADMIN)
    tenant = services.tenant_settings_update(actor=admin, tenant=tenant, changes={}, logo=_png())
    assert tenant.letterhead_logo.startswith("data:image/png;base64,")
    for bad in (b"%PDF-1.4 not an image", b"\x89PNG" + b"0" * 300_000):
        with pytest.raises(ValidationError):
            services.tenant_settings_update(actor=admin, tenant=tenant, changes={}, logo=bad)


def test_letter_numbers_follow_the_pattern_and_never_repeat(tenant):
    tenant.office_short_name = "DPPPA"
    day = dt.date(2026, 4, 7)
    numbers = [services.letter_number_next(tenant=tenant, on=day) for _ in range(3)]
    assert numbers == ["001/DPPPA/IV/2026", "002/DPPPA/IV/2026", "003/DPPPA/IV/2026"]
    assert services.letter_number_next(tenant=tenant, on=dt.date(2027, 1, 2)) == "001/DPPPA/I/2027"


def test_the_letter_has_the_kop_surat_the_date_in_indonesian_and_the_signature(make_user, tenant):
    admin = make_user(Role.SYSTEM_ADMIN)
    tenant = services.tenant_settings_update(
        actor=admin,
        tenant=tenant,
        changes={
            "letterhead_parent": "PEMERINTAH KABUPATEN KUTAI KARTANEGARA",
            "office_address": "Jalan Wolter Monginsidi No. 1\nTenggarong 75511",
            "office_phone": "(0541) 661234",
            "letter_city": "Tenggarong",
        },
        logo=_png(),
    )
    signatory = services.signatory_save(
        actor=admin, tenant=tenant, name="Dra. Contoh Pejabat", position="Kepala Dinas", nip="197001011995032001"
    )
    pdf = letters.render_letter_pdf(
        template="tenants/letter_sample.html",
        tenant=tenant,
        context={},
        signatory=signatory,
        day=dt.date(2023, 1, 4),
        number="005/DPPPA/I/2023",
    )
    text = _text(pdf)
    assert "PEMERINTAH KABUPATEN KUTAI KARTANEGARA" in text
    assert "Tenggarong, 4 Januari 2023" in text
    assert "005/DPPPA/I/2023" in text
    assert "197001011995032001" in text  # "NIP. …" (pypdf splits the kerned "NIP.")
    assert "Dra. Contoh Pejabat" in text


def test_signatories_are_managed_in_the_page_with_a_valid_nip(make_user, client_for, tenant):
    client = client_for(make_user(Role.SYSTEM_ADMIN))
    url = reverse("tenant_settings:signatory_add")
    bad = client.post(url, {"name": "A", "position": "Kepala", "nip": "1234"})
    assert bad.status_code == 400
    assert (
        client.post(
            url, {"name": "A", "position": "Kepala", "nip": "197001011995032001", "is_default": "on"}
        ).status_code
        == 302
    )
    assert client.post(url, {"name": "B", "position": "Sekretaris", "is_default": "on"}).status_code == 302
    assert list(Signatory.objects.filter(is_default=True).values_list("name", flat=True)) == ["B"]
    sample = client.get(reverse("tenant_settings:letter_sample"))
    assert sample["Content-Type"] == "application/pdf"
    assert "Sekretaris" in _text(sample.content)
