"""What is known about each organization over time: service areas, calendars, school
profiles, special programs and participation in the hubs' program.

A school's profile for a year depends only on the school and that year, never on
the year the demo is built in, so a profile built last year is the one built today.
"""

from __future__ import annotations

import random
from decimal import Decimal

from leadhub.demo.calendars import instructional_calendar
from leadhub.demo.names import rng_for
from leadhub.demo.organizations import (
    ELEMENTARY,
    HIGH,
    MIDDLE,
    SWITCHED_DISTRICT,
    DistrictBlueprint,
    HubBlueprint,
    Locale,
    SchoolBlueprint,
)
from leadhub.demo.records import (
    CalendarRecord,
    ParticipationRecord,
    ProfileRecord,
    ServiceAreaRecord,
    SpecialProgramRecord,
)
from leadhub.orgs.models import ProgramParticipation, SchoolProfile, SpecialProgram
from leadhub.orgs.schoolyears import school_year_bounds

Designation = SchoolProfile.Designation
Program = SpecialProgram.Kind
Tier = ProgramParticipation.Tier

# The year the drawn "base" values describe; other years drift from it.
BASE_YEAR = 2025

# Mean and spread of each percentage, by locale.
LOW_INCOME: dict[str, tuple[float, float]] = {
    Locale.CITY: (72, 14),
    Locale.SUBURB: (32, 17),
    Locale.TOWN: (52, 12),
    Locale.RURAL: (44, 12),
}
ENGLISH_LEARNERS: dict[str, tuple[float, float]] = {
    Locale.CITY: (24, 11),
    Locale.SUBURB: (13, 8),
    Locale.TOWN: (7, 5),
    Locale.RURAL: (3, 3),
}
HIGHEST_GRADE = {ELEMENTARY: "05", MIDDLE: "08", HIGH: "12"}


def service_areas(
    districts: tuple[DistrictBlueprint, ...], hubs: tuple[HubBlueprint, ...], anchor_year: int
) -> list[ServiceAreaRecord]:
    """Every district served by its hub for the last three years; one changed hubs."""
    since = school_year_bounds(anchor_year - 3)[0]
    areas = []
    for district in districts:
        state_id, hub_slug = district.record.state_id, district.record.hub_slug
        if district.position == SWITCHED_DISTRICT:
            areas.append(
                ServiceAreaRecord(
                    state_id, hubs[0].record.slug, since, school_year_bounds(anchor_year - 2)[1]
                )
            )
            since_switch = school_year_bounds(anchor_year - 1)[0]
            areas.append(ServiceAreaRecord(state_id, hub_slug, since_switch, None))
        else:
            areas.append(ServiceAreaRecord(state_id, hub_slug, since, None))
    return areas


def calendars(district: DistrictBlueprint, years: range) -> list[CalendarRecord]:
    records = []
    for year in years:
        first_day, last_day, closures = instructional_calendar(year, district.habits)
        records.append(
            CalendarRecord(district.record.state_id, year, first_day, last_day, closures)
        )
    return records


def _percent(value: float, low: float = 0.5, high: float = 99.0) -> Decimal:
    return Decimal(f"{min(high, max(low, value)):.1f}")


class SchoolTraits:
    """A school's characteristics in the base year and how they move from year to year."""

    def __init__(self, school: SchoolBlueprint) -> None:
        rng = rng_for("traits", school.key)
        self.enrollment_trend = rng.gauss(-0.008, 0.02)
        self.low_income = rng.gauss(*LOW_INCOME[school.locale])
        self.low_income_trend = rng.gauss(0.3, 0.8)
        self.english_learners = max(0.0, rng.gauss(*ENGLISH_LEARNERS[school.locale]))
        self.english_learner_trend = rng.gauss(0.4, 0.5)
        self.iep = rng.gauss(15.5, 3.0)
        self.iep_trend = rng.gauss(0.2, 0.3)
        roll = rng.random()
        poverty = 0.04 if self.low_income > 70 else 0.0
        if roll < 0.02 + poverty:
            self.designation = Designation.CSI
        elif roll < 0.05 + poverty:
            self.designation = Designation.ATSI
        elif roll < 0.11 + poverty:
            self.designation = Designation.TSI
        else:
            self.designation = Designation.NONE
        self.identified_in = rng.choice([2019, 2023, 2023, 2025])

    def designation_in(self, year: int) -> str:
        return self.designation if year >= self.identified_in else Designation.NONE


def profile(school: SchoolBlueprint, traits: SchoolTraits, year: int) -> ProfileRecord:
    rng = rng_for("profile", school.key, year)
    years_on = year - BASE_YEAR
    enrollment = school.record.base_enrollment * (1 + traits.enrollment_trend) ** years_on
    return ProfileRecord(
        school_state_id=school.record.state_id,
        year=year,
        lowest_grade=school.lowest_grade,
        highest_grade=HIGHEST_GRADE[school.level],
        locale=school.locale,
        enrollment=max(30, round(enrollment * (1 + rng.gauss(0, 0.015)))),
        pct_low_income=_percent(
            traits.low_income + traits.low_income_trend * years_on + rng.gauss(0, 0.7)
        ),
        pct_english_learners=_percent(
            traits.english_learners + traits.english_learner_trend * years_on + rng.gauss(0, 0.5),
            low=0.0,
        ),
        pct_iep=_percent(traits.iep + traits.iep_trend * years_on + rng.gauss(0, 0.5), low=4.0),
        federal_designation=traits.designation_in(year),
    )


def _program_candidates(
    school: SchoolBlueprint, traits: SchoolTraits, rng: random.Random
) -> list[tuple[str, str]]:
    bilingual = rng.choice(
        [
            "Transitional bilingual education (Spanish)",
            "Dual language (Spanish–English)",
            "Transitional program of instruction",
        ]
    )
    candidates: list[tuple[str, str]] = []
    if school.level == ELEMENTARY:
        candidates += [(Program.SPECIAL_EDUCATION, "Special education resource program")]
        if school.lowest_grade == "PK":
            candidates += [(Program.EARLY_CHILDHOOD, "Preschool for All")]
        candidates += [
            (Program.GIFTED, "Gifted and talented enrichment"),
            (Program.ARTS, "Orchestra and strings"),
        ]
    elif school.level == MIDDLE:
        candidates += [
            (Program.SPECIAL_EDUCATION, "Co-taught special education classes"),
            (Program.GIFTED, "Accelerated mathematics"),
            (Program.ARTS, "Band and choir"),
            (Program.OTHER, "AVID college readiness"),
        ]
    else:
        pathway = rng.choice(
            [
                "Health sciences pathway",
                "Manufacturing and engineering pathway",
                "Agricultural education and FFA",
                "Information technology pathway",
            ]
        )
        candidates += [
            (Program.CAREER_TECHNICAL, pathway),
            (Program.SPECIAL_EDUCATION, "Transition services (ages 18–22)"),
            (Program.GIFTED, "Advanced Placement program"),
            (Program.OTHER, "Dual credit with the community college"),
            (Program.ARTS, "Fine arts academy"),
        ]
    if traits.english_learners >= 8:
        candidates.insert(1, (Program.BILINGUAL, bilingual))
    return candidates


def special_programs(school: SchoolBlueprint, traits: SchoolTraits) -> list[SpecialProgramRecord]:
    """One to three programs, the ones a school of its kind most often runs first."""
    rng = rng_for("programs", school.key)
    candidates = _program_candidates(school, traits, rng)
    count = min(len(candidates), rng.randint(1, 3))
    return [
        SpecialProgramRecord(school.record.state_id, kind, name)
        for kind, name in candidates[:count]
    ]


def participations(
    school: SchoolBlueprint,
    traits: SchoolTraits,
    hubs: tuple[HubBlueprint, ...],
    anchor_year: int,
) -> list[ParticipationRecord]:
    """Most schools take part in their hub's program; those that switched hubs, in both."""
    rng = rng_for("participation", school.key)
    joins = rng.random() < 0.85 or school.position == (0, 0, 0)
    tier = rng.choices([Tier.UNIVERSAL, Tier.TARGETED, Tier.INTENSIVE], weights=[60, 28, 12])[0]
    if traits.designation_in(anchor_year) == Designation.CSI:
        tier = Tier.INTENSIVE
    years_in = rng.randint(0, 3)
    if not joins:
        return []
    state_id = school.record.state_id
    hub_slug = school.district.record.hub_slug
    if school.district.position == SWITCHED_DISTRICT:
        return [
            ParticipationRecord(
                state_id, hubs[0].record.slug, anchor_year - 3, anchor_year - 2, tier
            ),
            ParticipationRecord(state_id, hub_slug, anchor_year - 1, None, tier),
        ]
    return [ParticipationRecord(state_id, hub_slug, anchor_year - years_in, None, tier)]
