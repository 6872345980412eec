from sinergi.core.plugins import DemoRun

from . import services
from .models import Visit

DEMO_VISIT_TITLE = "Kunjungan rumah (fiktif)"


def seed_visits(run: DemoRun) -> list[str]:
    """One fictional visit in the main demo tenant, once (reads the tenants the demo app left)."""
    tenant = run.data["tenants"]["64.02"]
    if Visit.objects.filter(tenant=tenant, title=DEMO_VISIT_TITLE).exists():
        return ["Visits: already seeded"]
    services.visit_create(actor=None, tenant=tenant, title=DEMO_VISIT_TITLE)
    return ["Visits: 1 created"]
