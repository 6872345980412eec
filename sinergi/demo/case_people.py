"""The fictional people and intake report of one demo case, and the world the case stories share."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sinergi.accounts.models import User
from sinergi.regions.models import District, Village
from sinergi.tenants.models import Agency, Tenant

from .case_profile import (
    CATEGORY_FORMS,
    CATEGORY_PLACE,
    CATEGORY_PROFILE,
    CATEGORY_RELATION,
    CHRONOLOGY,
    PLACE_ID,
    RELATION_ID,
    _children_ages,
    _education_for,
    _weighted,
    fictional_nik,
    fictional_phone,
)


@dataclass
class CaseWorld:
    """Everything the case stories share while the history is replayed."""

    rng: random.Random
    fake: Any
    tenant: Tenant
    agencies: dict[str, Agency]
    users: dict[str, User]
    managers: list[User]
    office_head: User
    satgas: User | None
    districts: list[District]
    district_weights: list[float]
    villages: dict[str, list[Village]]
    end: dt.datetime
    tz: dt.tzinfo
    referrals_enabled: bool
    stats: Counter = field(default_factory=Counter)


def _person(
    world: CaseWorld, *, role: str, age: int, female: bool, incident: dt.date, district: District | None, **extra
) -> Any:
    from sinergi.cases.services import PersonInput

    rng, fake = world.rng, world.fake
    first = fake.first_name_female() if female else fake.first_name_male()
    last = fake.last_name_female() if female else fake.last_name_male()
    birth = incident - dt.timedelta(days=age * 365 + rng.randint(10, 350))
    village = rng.choice(world.villages.get(district.code, [None]) or [None]) if district else None
    address = fake.street_address()
    if village is not None:
        address = f"{address}, {village.prefixed_name}, Kec. {district.name}"
    has_birth = rng.random() < (0.8 if age < 18 else 0.6)
    has_nik = district is not None and rng.random() < (0.65 if age < 18 else 0.85)
    data = PersonInput(
        role=role,
        full_name=f"{first} {last}",
        nik=fictional_nik(rng, district.code, birth, female) if has_nik else "",
        birth_date=birth if has_birth else None,
        age=age,
        address=address,
        phone=fictional_phone(rng) if age >= 15 and rng.random() < 0.7 else "",
        sex="F" if female else "M",
        education=_education_for(rng, age),
        district_code=district.code if district else "",
        village_code=village.code if village else "",
    )
    if role == "victim" and age < 18:
        data.guardian_name = f"{fake.first_name_female()} {fake.last_name_female()}"
        data.guardian_phone = fictional_phone(rng)
        if 6 <= age <= 17:
            level = "SD" if age <= 12 else ("SMP" if age <= 15 else "SMA")
            data.school_name = f"{level} Negeri {rng.randint(1, 30):03d} {district.name if district else ''}".strip()
    if role == "victim" and rng.random() < 0.04:
        data.disabilities = [rng.choice(["physical", "intellectual", "sensory", "mental"])]
    for key, value in extra.items():
        setattr(data, key, value)
    return data


def _intake_data(world: CaseWorld, *, category: str, channel: str, reported: dt.date) -> Any:
    from sinergi.cases.services import IntakeInput

    rng = world.rng
    _weight, child_share, female_share = CATEGORY_PROFILE[category]
    district = rng.choices(world.districts, weights=world.district_weights, k=1)[0] if world.districts else None
    villages = world.villages.get(district.code, []) if district else []
    village = rng.choice(villages) if villages and rng.random() < 0.85 else None
    incident = None if rng.random() < 0.1 else reported - dt.timedelta(days=int(rng.expovariate(1 / 6)))
    day = incident or reported
    people = []
    for _n in range(2 if rng.random() < 0.08 else 1):
        is_child = rng.random() < child_share
        age = _children_ages(rng, category) if is_child else rng.randint(18, 52)
        people.append(
            _person(
                world,
                role="victim",
                age=age,
                female=rng.random() < female_share,
                incident=day,
                district=district,
            )
        )
    victim = people[0]
    relation = _weighted(rng, CATEGORY_RELATION[category])
    for _n in range(0 if relation == "unknown" else (2 if rng.random() < 0.08 else 1)):
        perp_age = rng.randint(14, 17) if category == "abh" else rng.randint(19, 58)
        perp = _person(
            world,
            role="perpetrator",
            age=perp_age,
            female=rng.random() < (0.1 if category != "neglect" else 0.5),
            incident=day,
            district=district,
            relation_to_victim=relation,
            perpetrator_status=_weighted(
                rng, [("unknown", 2), ("at_large", 2), ("reported", 4), ("detained", 2), ("convicted", 1)]
            ),
        )
        if rng.random() < 0.25:
            perp.full_name = ""  # reporters often know the relation, not the name
            perp.nik = ""
        people.append(perp)
    if channel in ("walk_in", "hotline", "satgas", "public_form", "school") and rng.random() < 0.7:
        people.append(
            _person(
                world,
                role="reporter",
                age=rng.randint(25, 60),
                female=rng.random() < 0.6,
                incident=day,
                district=district,
            )
        )
    place = _weighted(rng, CATEGORY_PLACE[category])
    forms = _weighted(rng, CATEGORY_FORMS[category])
    who = f"{'anak ' if (victim.age or 0) < 18 else ''}{'perempuan' if victim.sex == 'F' else 'laki-laki'}, {victim.age} tahun"
    chronology = rng.choice(CHRONOLOGY[category]).format(who=who, rel=RELATION_ID[relation], place=PLACE_ID[place])
    child_victim = any((p.age or 99) < 18 for p in people if p.role == "victim")
    triage = {
        "immediate_danger": rng.random() < 0.04,
        "child_sexual_violence": child_victim and category == "sexual",
        "trafficking": category == "tppo",
        "perpetrator_at_home": relation in ("parent", "family", "spouse") and rng.random() < 0.7,
        "injury_needs_medical": "physical" in forms and rng.random() < 0.5,
        "repeated_violence": rng.random() < 0.35,
        "victim_disability": any(p.disabilities for p in people if p.role == "victim"),
        "suicide_risk": rng.random() < 0.02,
    }
    return IntakeInput(
        channel=channel,
        reported_on=reported,
        category=category,
        forms=forms,
        channel_detail={
            "police": f"Unit PPA {world.tenant.name}",
            "school": "Laporan guru BK",
            "health": "Rujukan Puskesmas",
            "ngo": "Rujukan LSM pendamping",
            "media": "Unggahan media sosial",
            "hotline": rng.choice(["SAPA 129", "Hotline UPTD PPA"]),
        }.get(channel, ""),
        incident_on=incident,
        incident_place=place,
        district_code=district.code if district else "",
        village_code=village.code if village else "",
        chronology=chronology,
        triage=triage,
        is_lpsk_protected=category in ("sexual", "tppo") and rng.random() < 0.05,
        people=people,
    )
