"""The organization tree of the demo state: hubs, the districts they serve, their schools.

Every organization is drawn from a generator named after its position (hub 2,
district 2.4, school 2.4.1), so it comes out the same in every scale that has it.
How many districts and schools there are is the only thing a scale changes.
"""

from __future__ import annotations

import functools
import math
import random
from dataclasses import dataclass

from leadhub.demo.calendars import CalendarHabits
from leadhub.demo.names import (
    ELEMENTARY_NAMES,
    HUB_REGIONS,
    SCHOOL_SECTIONS,
    TOWNS,
    hyphen_slug,
    rng_for,
)
from leadhub.demo.records import DistrictRecord, HubRecord, SchoolRecord, StateRecord
from leadhub.demo.scales import DEMO, Scale
from leadhub.orgs.models import SchoolProfile

STATE = StateRecord(code="IL", name="Illinois", time_zone="America/Chicago")
TIME_ZONE = "America/Chicago"
# Room for this many districts per hub in the town list, whatever the scale.
DISTRICT_SLOTS_PER_HUB = 34
MAX_SCHOOLS_PER_DISTRICT = 90
# The district that moved from the first hub to the second a year ago.
SWITCHED_DISTRICT = (1, 0)

ELEMENTARY, MIDDLE, HIGH = "elementary", "middle", "high"
Locale = SchoolProfile.Locale


@dataclass(frozen=True)
class DistrictKind:
    key: str
    title: str  # the words between the town and the number
    abbreviation: str
    type_code: int  # the "T" of the state's RCDTS code


UNIT = DistrictKind("unit", "Community Unit School District", "cusd", 26)
COMMON_ELEMENTARY = DistrictKind("elementary", "School District", "sd", 2)
CONSOLIDATED_ELEMENTARY = DistrictKind(
    "elementary", "Community Consolidated School District", "ccsd", 4
)
COMMUNITY_HIGH = DistrictKind("high", "Community High School District", "chsd", 16)
TOWNSHIP_HIGH = DistrictKind("high", "Township High School District", "thsd", 17)


@dataclass(frozen=True)
class HubBlueprint:
    index: int
    record: HubRecord
    metro: float  # 0 = all rural, 1 = all suburban or city
    counties: tuple[int, ...]
    number_step: int
    number_offset: int
    coach_count: int


@dataclass(frozen=True)
class DistrictBlueprint:
    position: tuple[int, int]
    record: DistrictRecord
    kind: DistrictKind
    town: str
    locale: str
    habits: CalendarHabits
    junior_high: bool
    name_step: int
    name_offset: int
    leader_count: int
    has_mover: bool

    @property
    def key(self) -> str:
        return f"district-{self.position[0]}-{self.position[1]}"


@dataclass(frozen=True)
class SchoolBlueprint:
    position: tuple[int, int, int]
    record: SchoolRecord
    district: DistrictBlueprint
    locale: str
    lowest_grade: str

    @property
    def key(self) -> str:
        return "school-" + "-".join(map(str, self.position))

    @property
    def level(self) -> str:
        return self.record.level


def _coprime_step(rng: random.Random, modulus: int) -> int:
    step = rng.randrange(1, modulus)
    while math.gcd(step, modulus) != 1:
        step = step % (modulus - 1) + 1
    return step


def hub_blueprint(index: int) -> HubBlueprint:
    region, roe = HUB_REGIONS[index]
    rng = rng_for("hub", index)
    slug = hyphen_slug(region)
    record = HubRecord(
        slug=slug,
        name=f"{region} Leadership Hub",
        host_organization=f"Regional Office of Education #{roe}",
        email_domain=f"{slug}-hub.k12.il.us",
    )
    return HubBlueprint(
        index=index,
        record=record,
        metro=rng.random(),
        counties=tuple(sorted(rng.sample(range(1, 205, 2), rng.randint(2, 4)))),
        number_step=_coprime_step(rng, 397),
        number_offset=rng.randrange(397),
        coach_count=rng.randint(2, 3),
    )


def district_count(scale: Scale, hub_index: int) -> int:
    if scale.is_tiny:
        return 2 if hub_index == 0 else 1
    if not scale.is_state:
        return 5
    return rng_for("district-count", hub_index).randint(17, 31)


def district_blueprint(hub: HubBlueprint, index: int, current_hub_slug: str) -> DistrictBlueprint:
    position = (hub.index, index)
    rng = rng_for("district", *position)
    if position == (0, 0):
        rng.random()  # keep the draws in step with every other district
        kind = UNIT
    else:
        kind = rng.choices(
            [UNIT, COMMON_ELEMENTARY, CONSOLIDATED_ELEMENTARY, COMMUNITY_HIGH, TOWNSHIP_HIGH],
            weights=[50, 18, 20, 7, 5],
        )[0]
    metro = hub.metro
    locale = rng.choices(
        [Locale.CITY, Locale.SUBURB, Locale.TOWN, Locale.RURAL],
        weights=[0.1 * metro, 0.7 * metro, 0.35 * (1 - metro) + 0.1, 0.65 * (1 - metro)],
    )[0]
    town = TOWNS[hub.index * DISTRICT_SLOTS_PER_HUB + index]
    number = (hub.number_step * index + hub.number_offset) % 397 + 1
    county = rng.choice(hub.counties)
    roe = HUB_REGIONS[hub.index][1]
    record = DistrictRecord(
        state_id=f"{roe:02d}-{county:03d}-{number:04d}-{kind.type_code:02d}",
        name=f"{town} {kind.title} {number}",
        nces_id=f"17{hub.index + 10:02d}{index * 3 + 101:03d}",
        time_zone=TIME_ZONE,
        email_domain=f"{hyphen_slug(town)}-{kind.abbreviation}{number}.k12.il.us",
        hub_slug=current_hub_slug,
    )
    return DistrictBlueprint(
        position=position,
        record=record,
        kind=kind,
        town=town,
        locale=locale,
        habits=CalendarHabits.draw(rng_for("calendar", *position)),
        junior_high=rng.random() < 0.3,
        name_step=_coprime_step(rng, len(ELEMENTARY_NAMES)),
        name_offset=rng.randrange(len(ELEMENTARY_NAMES)),
        leader_count=rng.randint(1, 2),
        has_mover=position == (0, 0) or rng.random() < 0.35,
    )


def school_count(scale: Scale, district: DistrictBlueprint) -> int:
    if scale.is_tiny:
        return 2 if district.position == (0, 0) else 1
    rng = rng_for("school-count", *district.position)
    kind = district.kind.key
    if not scale.is_state:
        return {"unit": rng.randint(4, 7), "elementary": rng.randint(4, 6)}.get(
            kind, rng.randint(2, 3)
        )
    # Illinois has many one- and two-school districts and a few very large ones.
    if kind == "unit":
        count = max(2, round(rng.lognormvariate(1.55, 0.6)))
    elif kind == "elementary":
        count = max(1, round(rng.lognormvariate(1.1, 0.7)))
    else:
        count = rng.choice([1, 1, 1, 2, 2, 3, 4, 5])
    if in_demo_scale(district.position):
        count = max(count, school_count(DEMO, district))  # keep every demo school
    return min(count, MAX_SCHOOLS_PER_DISTRICT)


def in_demo_scale(position: tuple[int, ...]) -> bool:
    """Whether the demo scale has this district (hub, district) or school (… , school)."""
    hub, district = position[:2]
    if hub >= DEMO.hub_count or district >= district_count(DEMO, hub):
        return False
    if len(position) == 2:
        return True
    return position[2] < school_count(DEMO, district_blueprint(hub_blueprint(hub), district, ""))


def _school_level(district: DistrictBlueprint, index: int, rng: random.Random) -> str:
    roll = rng.random()
    kind = district.kind.key
    if kind == "high":
        return HIGH
    if kind == "elementary":
        fixed = {0: ELEMENTARY, 1: MIDDLE}
        return fixed.get(index) or (ELEMENTARY if roll < 0.78 else MIDDLE)
    fixed = {0: ELEMENTARY, 1: HIGH, 2: MIDDLE}
    return fixed.get(index) or (ELEMENTARY if roll < 0.72 else MIDDLE if roll < 0.9 else HIGH)


def _school_name(district: DistrictBlueprint, index: int, level: str) -> str:
    town = district.town
    first_high = {"high": 0, "unit": 1}.get(district.kind.key)
    first_middle = {"elementary": 1, "unit": 2}.get(district.kind.key)
    if level == HIGH and index == first_high:
        return f"{town} High School"
    middle_suffix = "Junior High School" if district.junior_high else "Middle School"
    if level == MIDDLE and index == first_middle:
        return f"{town} {middle_suffix}"
    pooled = ELEMENTARY_NAMES[
        (district.name_step * index + district.name_offset) % len(ELEMENTARY_NAMES)
    ]
    if level == HIGH:
        section = SCHOOL_SECTIONS[index % len(SCHOOL_SECTIONS)]
        return f"{town} {section} High School" if index < 6 else f"{pooled} High School"
    return f"{pooled} {middle_suffix if level == MIDDLE else 'Elementary School'}"


# Typical enrollment by level, and how much bigger or smaller schools are by locale.
ENROLLMENT = {ELEMENTARY: (390, 110, 120, 850), MIDDLE: (620, 170, 200, 1300)}
ENROLLMENT[HIGH] = (1050, 420, 180, 3400)
LOCALE_SIZE: dict[str, float] = {
    Locale.CITY: 1.15,
    Locale.SUBURB: 1.1,
    Locale.TOWN: 0.8,
    Locale.RURAL: 0.55,
}
SCHOOL_CODE_BASE = {HIGH: 1000, ELEMENTARY: 2000, MIDDLE: 3000}


def school_blueprint(district: DistrictBlueprint, index: int) -> SchoolBlueprint:
    position = (*district.position, index)
    rng = rng_for("school", *position)
    level = _school_level(district, index, rng)
    mean, spread, low, high = ENROLLMENT[level]
    size = min(high, max(low, rng.gauss(mean, spread))) * LOCALE_SIZE[district.locale]
    lowest_grade = {MIDDLE: "06", HIGH: "09"}.get(level) or ("PK" if rng.random() < 0.3 else "KG")
    city = district.town
    if index >= 4 and rng.random() < 0.3:
        city = rng.choice(TOWNS)  # large districts reach into neighboring towns
    code = SCHOOL_CODE_BASE[level] + index + 1
    record = SchoolRecord(
        state_id=f"{district.record.state_id}-{code:04d}",
        district_state_id=district.record.state_id,
        name=_school_name(district, index, level),
        nces_id=f"{district.record.nces_id}{index * 7 + 1031:05d}",
        city=city,
        level=level,
        base_enrollment=max(40, round(size)),
    )
    return SchoolBlueprint(
        position=position,
        record=record,
        district=district,
        locale=district.locale,
        lowest_grade=lowest_grade,
    )


@dataclass(frozen=True)
class OrganizationTree:
    hubs: tuple[HubBlueprint, ...]
    districts: tuple[DistrictBlueprint, ...]
    schools: tuple[SchoolBlueprint, ...]


def organization_tree(scale: Scale) -> OrganizationTree:
    hubs = tuple(hub_blueprint(index) for index in range(scale.hub_count))
    districts = tuple(
        district_blueprint(hub, index, hub.record.slug)
        for hub in hubs
        for index in range(district_count(scale, hub.index))
    )
    schools = tuple(
        school_blueprint(district, index)
        for district in districts
        for index in range(school_count(scale, district))
    )
    return OrganizationTree(hubs=hubs, districts=districts, schools=schools)


@functools.cache
def demo_scale_school_ids() -> frozenset[str]:
    """The schools the demo scale has, by state identifier. At state scale only these get
    students, results, measures and surveys: the same data as at demo scale, so the state
    benchmark measures the other tables and stays within minutes."""
    return frozenset(school.record.state_id for school in organization_tree(DEMO).schools)
