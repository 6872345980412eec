import datetime as dt

import pytest
from django.utils import timezone
from freezegun import freeze_time

from sinergi.accounts.roles import Role
from sinergi.audit.models import AuditEvent
from sinergi.cases import services
from sinergi.cases.models import IntakeDraft

pytestmark = pytest.mark.django_db


def test_stale_drafts_are_purged_and_fresh_ones_kept(make_user):
    volunteer = make_user(Role.SATGAS_VOLUNTEER)
    start = timezone.now()
    with freeze_time(start - dt.timedelta(days=services.DRAFT_RETENTION_DAYS + 1)):
        stale = services.intake_draft_save(actor=volunteer, payload='{"victim_name": "Anak Contoh"}')
    fresh = services.intake_draft_save(actor=volunteer, payload='{"victim_name": "Anak Lain"}')

    assert services.intake_drafts_purge(now=start) == 1

    assert not IntakeDraft.objects.filter(pk=stale.pk).exists()
    assert IntakeDraft.objects.filter(pk=fresh.pk).exists()
    event = AuditEvent.objects.get(action="case.drafts_purged")
    assert "Anak" not in event.canonical_payload()
    assert services.intake_drafts_purge(now=start) == 0
