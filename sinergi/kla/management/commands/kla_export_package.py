from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sinergi.audit import services as audit
from sinergi.kla.events import Event
from sinergi.kla.models import EvaluationYear
from sinergi.kla.package import package_write
from sinergi.tenants.models import Tenant


class Command(BaseCommand):
    help = "Write a tenant's KLA evidence package (ZIP: folders per cluster and indicator, index XLSX, summary PDF)."

    def add_arguments(self, parser):
        parser.add_argument("--tenant", required=True, help="Tenant code, e.g. 64.01")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--out", type=Path, required=True)

    def handle(self, *args, tenant, year, out, **options):
        t = Tenant.objects.filter(code=tenant).first()
        ey = EvaluationYear.objects.filter(year=year).first()
        if t is None or ey is None:
            raise CommandError("Unknown tenant or evaluation year not loaded (run kla_load_year).")
        n = package_write(tenant=t, year=ey, out=out)
        audit.record(
            actor=None, action=Event.PACKAGE_EXPORTED, obj=t, extra={"year": year, "via": "command", "files": n}
        )
        self.stdout.write(f"{out}: {n} evidence files.")
