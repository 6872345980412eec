"""Seed for scripts/ci_production_smoke.sh: one tenant, a case manager with TOTP, a case, a document.

Run inside the installation (`<unit-prefix>-manage shell < scripts/ci_smoke_seed.py`); the smoke script
reads the line starting with SMOKE. Idempotent: a second run reuses what exists. Fictional data only.
"""

import datetime as dt
import json
import secrets

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinergi.accounts import services as account_services
from sinergi.accounts.models import User
from sinergi.accounts.roles import Role
from sinergi.cases import services as case_services
from sinergi.cases.models import Case
from sinergi.documents.models import Document
from sinergi.regions.models import Regency
from sinergi.tenants.models import Agency, Tenant

USERNAME = "smoke.kasus"
PASSWORD = "Smoke-Test-" + "Sinergi-2026!"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

regency = Regency.objects.get(code="64.02")
tenant, _ = Tenant.objects.get_or_create(
    code=regency.code,
    defaults={
        "regency": regency,
        "name": regency.name,
        "office_name": "DPPPA (uji asap)",
        "office_short_name": "DPPPA",
        "service_unit_name": "UPTD PPA (uji asap)",
        "timezone": "Asia/Makassar",
    },
)
agency, _ = Agency.objects.get_or_create(
    tenant=tenant, short_name="UPTD PPA", defaults={"kind": Agency.Kind.UPTD_PPA, "name": "UPTD PPA uji asap"}
)
user = User.objects.filter(username=USERNAME).first()
if user is None:
    user = account_services.user_create(
        tenant=tenant, agency=agency, role=Role.CASE_MANAGER, username=USERNAME, password=PASSWORD, full_name="Uji Asap"
    )
device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
if device is None:
    device = TOTPDevice.objects.create(user=user, name="smoke", confirmed=True, key=secrets.token_hex(20))

case = Case.objects.filter(tenant=tenant, created_by=user).order_by("created_at").first()
if case is None:
    data = case_services.IntakeInput(
        channel="walk_in",
        reported_on=timezone.localdate(),
        chronology="Kasus fiktif untuk uji asap instalasi produksi.",
        people=[case_services.PersonInput(full_name="Anak Fiktif", age=9, sex="F", birth_date=dt.date(2017, 3, 1))],
    )
    case = case_services.case_intake(actor=user, tenant=tenant, data=data)
document = Document.objects.filter(owner_id=str(case.pk)).first()
if document is None:
    upload = SimpleUploadedFile("visum.pdf", PDF, content_type="application/pdf")
    document = case_services.case_document_add(
        actor=user, case=case, kind="police_report", uploaded_file=upload, title="Laporan fiktif"
    )
print(
    "SMOKE "
    + json.dumps(
        {
            "username": USERNAME,
            "password": PASSWORD,
            "totp_key": device.key,
            "case_id": str(case.pk),
            "case_number": case.number,
            "document_id": str(document.pk),
            "document_sha256": document.sha256,
        }
    )
)
