"""The fictional case history of the demo: stories per case replayed in time order through the real
case services (numbering, rights, audit and timeline are genuine)."""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import random
import zoneinfo
from collections import Counter
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.regions.models import District, Village
from sinergi.tenants.models import Agency, Tenant

from .case_people import CaseWorld, _intake_data
from .case_profile import (
    CATEGORY_PROFILE,
    CATEGORY_SERVICES,
    CHANNEL_WEIGHTS,
    CLOSURE_WEIGHTS,
    DECLINE_REASONS,
    DISTRICT_WEIGHTS,
    EARLY_CLOSURES,
    RIGHT_NOT_NEEDED_REASONS,
    SERVICE_DUE_DAYS,
    SERVICE_NOTES,
    SERVICE_SLOT,
    _weighted,
)
from .people import HISTORY_DAYS, RESPONDER_FOR_SLOT


@dataclass
class CasePlan:
    start: dt.datetime
    category: str
    channel: str
    target: str  # received/outreach/assessment/planning/services/monitoring/closed
    closure: str = ""
    reopen: bool = False
    stall_referral: bool = False
    override: bool = False
    reassign: bool = False


Story = Generator[dt.datetime, None, None]


def _working_time(world: CaseWorld, day: dt.date, *, any_hour: bool = False) -> dt.datetime:
    rng = world.rng
    hour = rng.randint(0, 23) if any_hour else rng.randint(8, 15)
    local = dt.datetime.combine(day, dt.time(hour, rng.randint(0, 59), rng.randint(0, 59)), tzinfo=world.tz)
    return local.astimezone(dt.UTC)


def _hours(world: CaseWorld, low: float, high: float) -> dt.timedelta:
    return dt.timedelta(hours=world.rng.uniform(low, high))


def _days(world: CaseWorld, low: float, high: float) -> dt.timedelta:
    return dt.timedelta(days=world.rng.uniform(low, high))


def _case_story(world: CaseWorld, plan: CasePlan, spawn: Callable[[Story], None]) -> Story:
    """Replay one case's life, yielding the time of each next step (the scheduler freezes the clock)."""
    from sinergi.cases import services as s
    from sinergi.cases.models import Case

    rng = world.rng
    t_now = plan.start
    yield t_now
    data = _intake_data(world, category=plan.category, channel=plan.channel, reported=timezone.localdate())
    if plan.channel == "public_form":
        case, _code = s.public_report_submit(tenant=world.tenant, data=data)
        manager = rng.choice(world.managers)
    elif plan.channel == "satgas" and world.satgas is not None:
        case = s.case_intake(actor=world.satgas, tenant=world.tenant, data=data)
        manager = rng.choice(world.managers)
    else:
        manager = rng.choice(world.managers)
        case = s.case_intake(actor=manager, tenant=world.tenant, data=data)
    world.stats["cases"] += 1
    case_id = case.pk

    def fresh() -> Case:
        return Case.objects.select_related("tenant").get(pk=case_id)

    if plan.target == "received":
        return
    # Triage, then the first response (outreach or assessment). Most within the due time, some late.
    t_now += _hours(world, 0.2, 6)
    yield t_now
    s.case_triage(actor=manager, case=fresh(), answers=data.triage)
    t_now += _weighted(rng, [(_hours(world, 1, 20), 70), (_hours(world, 20, 60), 20), (_hours(world, 60, 160), 10)])
    yield t_now
    first = "outreach" if rng.random() < 0.6 else "assessment"
    s.case_change_stage(actor=manager, case=fresh(), to_stage=first, note="Penjangkauan/asesmen awal dilakukan.")
    if plan.target == "outreach":
        return
    if first == "outreach":
        t_now += _days(world, 1, 4)
        yield t_now
        s.case_change_stage(actor=manager, case=fresh(), to_stage="assessment")
    if plan.reassign and len(world.managers) > 1:
        t_now += _days(world, 0.5, 3)
        yield t_now
        other = next(m for m in world.managers if m.pk != manager.pk)
        s.case_assign(actor=world.office_head, case=fresh(), assignee=other)
        manager = other
    if plan.category == "abh":
        spawn(_diversion_story(world, case_id, manager, t_now + _days(world, 3, 15), plan.target))
    if plan.closure in EARLY_CLOSURES or plan.target == "assessment":
        if plan.closure:
            t_now += _days(world, 2, 12)
            yield t_now
            _close(world, case_id, manager, plan)
            world.stats["closed"] += 1
        return
    t_now += _days(world, 2, 7)
    yield t_now
    s.case_change_stage(actor=manager, case=fresh(), to_stage="planning", note="Rencana intervensi disusun.")
    ends: list[dt.datetime] = []
    if world.referrals_enabled:
        wanted = [svc for svc, p in CATEGORY_SERVICES[plan.category] if rng.random() < p]
        if not wanted:
            wanted = [CATEGORY_SERVICES[plan.category][0][0]]
        if "sexual" in data.forms or plan.category == "sexual":
            wanted = [w for w in wanted if w != "mediation"]
        for index, service in enumerate(wanted[:4]):
            t_now += _hours(world, 0.3, 30)
            yield t_now
            slot = rng.choice(SERVICE_SLOT[service])
            agency = world.agencies[slot]
            current = fresh()
            victim = current.people.filter(role="victim").first()
            referral = s.referral_create(
                actor=manager,
                case=current,
                agency=agency,
                service_type=service,
                victim=victim if rng.random() < 0.7 else None,
                due_on=timezone.localdate() + dt.timedelta(days=SERVICE_DUE_DAYS[service]),
                note="Mohon tindak lanjut sesuai kebutuhan korban.",
                # Sharing rests on consent: the guardian's for a child, the victim's own otherwise.
                consent=s.ConsentInput(
                    given_by="guardian" if current.has_child_victim else "victim",
                    method="written",
                    given_on=timezone.localdate(),
                ),
            )
            world.stats["referrals"] += 1
            stalled = plan.stall_referral and index == 0
            responder = world.users.get(RESPONDER_FOR_SLOT.get(slot, ""))
            if responder is not None and not stalled:
                fate = _weighted(rng, [("complete", 80), ("ongoing", 3), ("decline", 9), ("cancel", 4), ("wait", 3)])
                times = _referral_schedule(world, t_now, fate, SERVICE_DUE_DAYS[service])
                ends.extend(times[-1:])
                spawn(_referral_story(world, referral.pk, responder, manager, times, fate))
    if plan.target == "planning":
        return
    t_now += _days(world, 1, 4)
    yield t_now
    s.case_change_stage(actor=manager, case=fresh(), to_stage="services")
    if plan.target == "services":
        return
    t_now = max([t_now, *ends]) + _days(world, 2, 10)
    yield t_now
    s.case_change_stage(actor=manager, case=fresh(), to_stage="monitoring", note="Pemantauan pascalayanan.")
    if plan.target == "monitoring":
        return
    t_now += _days(world, 10, 50)
    yield t_now
    _close(world, case_id, manager, plan)
    world.stats["closed"] += 1
    if plan.reopen:
        t_now += _days(world, 15, 80)
        yield t_now
        s.case_reopen(actor=manager, case=fresh(), reason="Korban kembali melapor; diperlukan asesmen ulang.")
        world.stats["reopened"] += 1
        t_now += _days(world, 3, 10)
        yield t_now
        s.case_change_stage(actor=manager, case=fresh(), to_stage="planning")


def _close(world: CaseWorld, case_id: Any, manager: User, plan: CasePlan) -> None:
    from sinergi.cases import services as s
    from sinergi.cases import taxonomy as t
    from sinergi.cases.models import Case, Referral

    case = Case.objects.select_related("tenant").get(pk=case_id)
    if plan.override:
        # The office head closes although a right is still pending (recorded reason, UU 35/2014 art. 59A).
        s.case_close(
            actor=world.office_head,
            case=case,
            reason=plan.closure or "referred_out",
            note="Korban pindah domisili.",
            override_reason="Korban pindah ke luar daerah; pemenuhan hak dilanjutkan UPTD PPA daerah tujuan.",
        )
        world.stats["override"] += 1
        return
    for referral in Referral.objects.filter(case=case, status__in=t.OPEN_REFERRAL_STATUSES):
        s.referral_cancel(actor=manager, referral=referral, reason="Layanan tidak lagi diperlukan saat terminasi.")
    s.rights_recompute(case=case)
    for item in s.unresolved_rights(case=case):
        s.right_set(
            actor=manager,
            item=item,
            status=t.RightStatus.NOT_NEEDED,
            reason=RIGHT_NOT_NEEDED_REASONS.get(item.right, "Tidak diperlukan menurut hasil asesmen akhir."),
        )
    s.case_close(actor=manager, case=case, reason=plan.closure or "resolved", note="Terminasi sesuai rencana.")


def _referral_schedule(world: CaseWorld, start: dt.datetime, fate: str, due_days: int) -> list[dt.datetime]:
    """When the agency answers, then when each service session is recorded: mostly before the due
    date, about one referral in eight late."""
    rng = world.rng
    if fate == "wait":
        return []
    span = dt.timedelta(days=due_days * (rng.uniform(1.1, 1.8) if rng.random() < 0.12 else rng.uniform(0.4, 0.95)))
    answer = min(_weighted(rng, [(_hours(world, 2, 30), 7), (_days(world, 1, 4), 3)]), span / 2)
    times = [start + answer]
    if fate in ("complete", "ongoing"):
        sessions = rng.randint(1, 3 if due_days <= 7 else 4)
        step = (span - answer) / sessions
        times += [start + answer + step * (n + 1) for n in range(sessions)]
    return times


def _referral_story(
    world: CaseWorld, referral_id: Any, responder: User, manager: User, times: list[dt.datetime], fate: str
) -> Story:
    from sinergi.cases import services as s
    from sinergi.cases.models import Referral

    rng = world.rng

    def fresh() -> Referral:
        return Referral.objects.select_related("case__tenant", "agency").get(pk=referral_id)

    if not times:
        return
    yield times[0]
    if fresh().status != "pending":
        return
    if fate == "cancel":
        s.referral_cancel(actor=manager, referral=fresh(), reason="Korban sudah mendapat layanan dari pihak lain.")
        return
    if fate == "decline":
        s.referral_respond(actor=responder, referral=fresh(), accept=False, reason=rng.choice(DECLINE_REASONS))
        return
    s.referral_respond(actor=responder, referral=fresh(), accept=True)
    sessions = times[1:]
    for number, when in enumerate(sessions):
        yield when
        referral = fresh()
        if referral.status != "accepted":
            return
        last = number == len(sessions) - 1
        s.service_record(
            actor=responder,
            referral=referral,
            delivered_on=timezone.localdate(),
            sessions=rng.randint(1, 3),
            outcome="completed" if last and fate == "complete" else "ongoing",
            notes=rng.choice(SERVICE_NOTES),
        )
        world.stats["services"] += 1


def _diversion_story(world: CaseWorld, case_id: Any, manager: User, start: dt.datetime, target: str) -> Story:
    from sinergi.cases import services as s
    from sinergi.cases.models import Case

    rng = world.rng
    t_now = start
    for level in ("investigation", "prosecution", "court"):
        yield t_now
        case = Case.objects.select_related("tenant").get(pk=case_id)
        if case.stage == "closed" or case.assigned_to_id not in (None, manager.pk):
            return
        outcome = _weighted(
            rng,
            [("agreed", 5), ("failed", 3), ("not_eligible", 1)]
            if level == "investigation"
            else [("agreed", 1), ("failed", 1)],
        )
        s.diversion_record(
            actor=manager,
            case=case,
            level=level,
            outcome=outcome,
            decided_on=timezone.localdate(),
            is_bapas_involved=rng.random() < 0.85,
            note="Musyawarah diversi dengan keluarga, pembimbing kemasyarakatan dan penyidik.",
        )
        world.stats["diversions"] += 1
        if outcome != "failed":
            return
        t_now += _days(world, 15, 40)


def _plans(world: CaseWorld, count: int, *, overdue_first: int, overdue_referrals: int) -> list[CasePlan]:
    """Which case happens when, and how far it gets: older cases are mostly closed, recent ones open."""
    rng = world.rng
    categories = list(CATEGORY_PROFILE)
    plans: list[CasePlan] = []
    end_day = timezone.localdate(world.end)
    for index in range(count):
        # Reporting grows over time (more awareness), so recent months hold more cases.
        days_ago = int(HISTORY_DAYS * (1 - rng.random() ** 0.8))
        days_ago = max(days_ago, 1)
        category = (
            categories[index]
            if index < len(categories)
            else _weighted(rng, [(c, w[0]) for c, w in CATEGORY_PROFILE.items()])
        )
        channel = _weighted(rng, CHANNEL_WEIGHTS)
        if channel == "satgas" and world.satgas is None:
            channel = "walk_in"
        if days_ago > 150:
            target = _weighted(rng, [("closed", 82), ("monitoring", 12), ("services", 5), ("planning", 1)])
        elif days_ago > 60:
            target = _weighted(rng, [("closed", 40), ("monitoring", 30), ("services", 25), ("planning", 5)])
        elif days_ago > 14:
            target = _weighted(rng, [("closed", 8), ("services", 45), ("planning", 25), ("assessment", 22)])
        else:
            target = _weighted(rng, [("received", 30), ("outreach", 30), ("assessment", 30), ("planning", 10)])
        plan = CasePlan(
            start=_working_time(world, end_day - dt.timedelta(days=days_ago), any_hour=channel == "hotline"),
            category=category,
            channel=channel,
            target=target,
        )
        if target == "closed":
            plan.closure = _weighted(rng, CLOSURE_WEIGHTS)
            plan.reopen = plan.closure == "resolved" and days_ago > 200 and rng.random() < 0.06
            plan.override = plan.closure == "referred_out" and rng.random() < 0.5
        if target in ("assessment", "planning", "services", "monitoring", "closed") and days_ago > 7:
            plan.reassign = rng.random() < 0.04
        plans.append(plan)
    # A few reports still waiting for a first response past its due time (child victims: 24 h).
    for plan in plans[count - overdue_first :] if overdue_first else []:
        plan.start = world.end - dt.timedelta(hours=rng.uniform(30, 110))
        plan.category = rng.choice(["sexual", "violence_child", "neglect"])
        plan.target = "received"
        plan.closure = ""
        plan.reopen = plan.override = False
    # And referrals no agency has answered, a week or more past their due date.
    for plan in plans[count - overdue_first - overdue_referrals : count - overdue_first]:
        plan.start = world.end - dt.timedelta(days=rng.uniform(25, 50))
        plan.target = "services"
        plan.stall_referral = True
        plan.closure = ""
        plan.reopen = plan.override = False
    return plans


def seed_cases(
    *,
    tenant: Tenant,
    agencies: dict[str, Agency],
    users: dict[str, User],
    count: int,
    seed: int,
    overdue_first: int = 5,
    overdue_referrals: int = 6,
    referrals_enabled: bool = True,
) -> Counter:
    """Generate `count` fictional cases over the last 24 months through the case services."""
    from faker import Faker

    from sinergi.accounts.roles import Role as R

    rng = random.Random(seed)  # noqa: S311 - reproducible fiction, not security
    Faker.seed(seed)
    fake = Faker("id_ID")
    tenant_users = {name: u for name, u in users.items() if u.tenant_id == tenant.pk}
    managers = [u for u in tenant_users.values() if u.role == R.CASE_MANAGER]
    heads = [u for u in tenant_users.values() if u.role == R.OFFICE_HEAD]
    satgas = next((u for u in tenant_users.values() if u.role == R.SATGAS_VOLUNTEER), None)
    districts = list(District.objects.filter(regency_id=tenant.regency_id).order_by("code"))
    villages: dict[str, list[Village]] = {}
    for village in Village.objects.filter(district__regency_id=tenant.regency_id).order_by("code"):
        villages.setdefault(village.district_id, []).append(village)
    weights = [DISTRICT_WEIGHTS.get(d.code, 2) for d in districts]
    end = timezone.now() - dt.timedelta(minutes=5)
    world = CaseWorld(
        rng=rng,
        fake=fake,
        tenant=tenant,
        agencies=agencies,
        users=tenant_users,
        managers=managers,
        office_head=heads[0],
        satgas=satgas,
        districts=districts,
        district_weights=weights,
        villages=villages,
        end=end,
        tz=zoneinfo.ZoneInfo(tenant.timezone),
        referrals_enabled=referrals_enabled,
    )
    plans = _plans(world, count, overdue_first=overdue_first, overdue_referrals=overdue_referrals)
    spawned: list[Story] = []
    stories = [_case_story(world, plan, spawned.append) for plan in plans]
    _replay(stories, spawned, end)
    return world.stats


def _replay(stories: list[Story], spawned: list[Story], end: dt.datetime) -> None:
    """Like _replay, but stories may start sub-stories (referrals, diversions) while they run."""
    from freezegun import freeze_time

    counter = itertools.count()
    heap: list[tuple[dt.datetime, int, Story]] = []

    def push(story: Story) -> None:
        try:
            when = next(story)
        except StopIteration:
            return
        if when <= end:
            heapq.heappush(heap, (when, next(counter), story))
        else:
            story.close()

    with freeze_time(end) as frozen:
        for story in stories:
            push(story)
        while heap:
            when, _n, story = heapq.heappop(heap)
            frozen.move_to(when)
            push(story)
            while spawned:
                push(spawned.pop(0))
