"""The office figures' cache per tenant is invalidated after the commit of any change of case data, once
per tenant and transaction, including the writes that bypass save() (bulk inserts, conditional UPDATEs)."""

import datetime as dt

import pytest
from django.db import transaction
from freezegun import freeze_time

from sinergi.cases import services as case_services
from sinergi.cases import taxonomy as t
from sinergi.cases.models import Referral
from sinergi.cases.tests.factories import make_case, make_referral, victim_of
from sinergi.core.clock import tenant_today
from sinergi.maps import office, performance
from sinergi.maps.population import child_population_import
from sinergi.regions.models import District

pytestmark = pytest.mark.django_db


@pytest.fixture
def bumps(monkeypatch):
    """The tenants whose cache was bumped, in order (the real bump still runs)."""
    seen: list = []
    real = office.map_cache_bump

    def counting(tenant, **kwargs):
        seen.append(getattr(tenant, "pk", tenant))
        real(tenant, **kwargs)

    monkeypatch.setattr(office, "map_cache_bump", counting)
    return seen


def _pending(callbacks) -> list:
    return [cb.tenant_id for cb in callbacks if isinstance(cb, office._Bump)]


def _kecamatan_cases(user, tenant, year) -> int:
    data = office.office_map(user=user, tenant=tenant, q=office.map_query(year=year))
    return sum(r["cases"] for r in data["regions"])


def test_a_committed_case_change_makes_the_next_aggregate_fresh(
    tenant, head, cm, bumps, django_capture_on_commit_callbacks, fixtures_committed
):
    fixtures_committed()
    bumps.clear()
    year = tenant_today(tenant).year
    with django_capture_on_commit_callbacks(execute=True):
        make_case(cm, tenant, reported_on=tenant_today(tenant))
    assert _kecamatan_cases(head, tenant, year) == 1
    gen_before = office.cache.get(office._gen_key(tenant.pk))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        make_case(cm, tenant, reported_on=tenant_today(tenant))
        # Before the commit the generation is unchanged: a reader now (who still sees the old rows in
        # another transaction) cannot store the old counts under the generation of the new ones.
        assert office.cache.get(office._gen_key(tenant.pk)) == gen_before
    assert _pending(callbacks) == [tenant.pk]
    assert office.cache.get(office._gen_key(tenant.pk)) != gen_before
    assert _kecamatan_cases(head, tenant, year) == 2


def test_many_changes_in_one_transaction_bump_each_tenant_once(
    tenant, other_tenant, head, cm, make_user, bumps, django_capture_on_commit_callbacks, fixtures_committed
):
    from sinergi.accounts.roles import Role

    other_cm = make_user(Role.CASE_MANAGER, tenant=other_tenant)
    fixtures_committed()
    bumps.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        cases = [make_case(cm, tenant, reported_on=tenant_today(tenant)) for _ in range(3)]
        make_case(other_cm, other_tenant, district_code="")
        for case in cases:  # more saves of cases, people and rights of the same tenant
            case_services.case_record_first_response(actor=cm, case=case, note="Dihubungi")
    assert sorted(map(str, _pending(callbacks))) == sorted([str(tenant.pk), str(other_tenant.pk)])
    assert sorted(map(str, bumps)) == sorted([str(tenant.pk), str(other_tenant.pk)])
    assert _kecamatan_cases(head, tenant, tenant_today(tenant).year) == 3


def test_a_rolled_back_savepoint_keeps_the_bump_of_what_follows(
    tenant, cm, bumps, django_capture_on_commit_callbacks, fixtures_committed
):
    fixtures_committed()
    bumps.clear()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        try:
            with transaction.atomic():
                make_case(cm, tenant)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        assert office._Bump not in {type(f) for _s, f, _r in transaction.get_connection().run_on_commit}
        make_case(cm, tenant)
    assert bumps == [tenant.pk]


def test_a_rolled_back_transaction_bumps_nothing(
    tenant, cm, bumps, django_capture_on_commit_callbacks, fixtures_committed
):
    fixtures_committed()
    bumps.clear()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                make_case(cm, tenant)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert bumps == []


def test_rights_recomputed_by_update_refresh_the_performance_figures(
    tenant, head, cm, dinsos, dinsos_officer, django_capture_on_commit_callbacks, fixtures_committed
):
    """rights_recompute writes with UPDATE (no post_save): its signal still invalidates the cache."""
    fixtures_committed()
    period = office.map_query(year=tenant_today(tenant).year).period
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(cm, tenant, reported_on=tenant_today(tenant))
        referral = make_referral(cm, case, dinsos, victim=victim_of(case))
        case_services.case_record_first_response(actor=cm, case=case, note="Dihubungi")
    row = performance.service_performance(user=head, tenant=tenant, period=period)["agencies"][0]
    assert row["all_rights_fulfilled"] == 0
    # The referral completed behind save()'s back, then the service derives the rights from it.
    Referral.objects.filter(pk=referral.pk).update(
        status=t.ReferralStatus.COMPLETED, responded_at=referral.requested_at, completed_at=referral.requested_at
    )
    assert performance.service_performance(user=head, tenant=tenant, period=period)["agencies"][0] == row
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        case_services.rights_recompute(case=case)
    assert _pending(callbacks) == [tenant.pk]
    fresh = performance.service_performance(user=head, tenant=tenant, period=period)["agencies"][0]
    assert fresh["all_rights_fulfilled"] == 1


def test_escalation_and_population_import_invalidate(
    tenant, cm, head, bumps, django_capture_on_commit_callbacks, fixtures_committed
):
    fixtures_committed()
    bumps.clear()
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=3)
    with freeze_time(start), django_capture_on_commit_callbacks(execute=True):
        make_case(cm, tenant, reported_on=start.date())
    fixtures_committed()
    bumps.clear()
    with django_capture_on_commit_callbacks(execute=True):
        counts = case_services.escalate_overdue()
    assert counts["first_response"] == 1
    assert bumps == [tenant.pk]

    bumps.clear()
    public_before = office.public_counts_version(tenant)
    code = District.objects.filter(regency_id=tenant.regency_id).order_by("code").values_list("code", flat=True)[0]
    with django_capture_on_commit_callbacks(execute=True):
        child_population_import(
            actor=head, tenant=tenant, raw=f"tahun,kode_wilayah,jumlah_anak\n{start.year},{code},1200\n".encode()
        )
    assert bumps == [tenant.pk]
    assert office.public_counts_version(tenant) == public_before  # the public figures count cases only


def test_a_case_change_changes_the_public_version_and_a_referral_does_not(
    tenant, cm, dinsos, django_capture_on_commit_callbacks, fixtures_committed
):
    fixtures_committed()
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(cm, tenant)
    before = office.public_counts_version(tenant)
    with django_capture_on_commit_callbacks(execute=True):
        make_referral(cm, case, dinsos, victim=victim_of(case))
    assert office.public_counts_version(tenant) == before
    with django_capture_on_commit_callbacks(execute=True):
        case_services.case_record_first_response(actor=cm, case=case, note="Dihubungi")
    assert office.public_counts_version(tenant) != before
