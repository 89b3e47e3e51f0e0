"""The students of one demo school over the demo's school years, as plain values.

A school's students are a sample sized from its profile enrollment (see
:data:`COHORT_SIZES`: every student of every school would be tens of millions of rows).
In the first year every grade of the school's span is filled; each later year everyone
moves up a grade, the top grade leaves, a few others move away, and new students
arrive, mostly in the lowest grade. Group memberships follow the profile's shares for the year:
low income and English learner status lean on race and ethnicity as they do in
Illinois, English learners are reclassified over time, and a few students are newly
identified for an IEP.

``ability`` is a student's standing against the standard (0 = a typical student);
the assessment generator (``leadhub.demo.assessments``) adds the school's and the
year's part to it. Everything comes from a generator named after the school, so a
school's students are the same in every build (at demo and state scale, the same).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from leadhub.demo.names import NamePool, rng_for
from leadhub.demo.records import ProfileRecord
from leadhub.orgs.models import GRADE_ORDER, SchoolProfile
from leadhub.students import groups

Locale = SchoolProfile.Locale


@dataclass(frozen=True)
class CohortSize:
    """How many students a school gets: ``share`` of its profile enrollment, between
    ``least`` and ``most``."""

    share: float
    least: int
    most: int

    def total(self, enrollment: int) -> int:
        return min(self.most, max(self.least, round(enrollment * self.share)))


# Tiny: ten students a grade at an elementary school, enough for an unsuppressed class.
# Demo: 60–120 a school, so `make run` stays quick. State: only the demo scale's schools
# get students (``organizations.demo_scale_school_ids``), the same ones as at demo scale.
COHORT_SIZES: dict[str, CohortSize] = {
    "tiny": CohortSize(1.0, 60, 60),
    "demo": CohortSize(0.25, 60, 120),
    "state": CohortSize(0.25, 60, 120),
}

LEAVE_RATE = 0.06  # students who move away between school years
LOW_INCOME_CHURN = 0.04
EL_RECLASSIFIED = 0.14  # English learners reclassified as proficient each year
NEWLY_IEP = 0.012

# Race and ethnicity by locale (roughly Illinois public schools), before a school's own lean.
RACE_MIX: dict[str, dict[str, float]] = {
    Locale.CITY: {
        groups.HISPANIC: 38,
        groups.BLACK: 32,
        groups.WHITE: 17,
        groups.ASIAN: 7,
        groups.TWO_OR_MORE: 5,
        groups.AMERICAN_INDIAN: 0.5,
        groups.PACIFIC_ISLANDER: 0.5,
    },
    Locale.SUBURB: {
        groups.WHITE: 48,
        groups.HISPANIC: 26,
        groups.BLACK: 10,
        groups.ASIAN: 10,
        groups.TWO_OR_MORE: 5,
        groups.AMERICAN_INDIAN: 0.5,
        groups.PACIFIC_ISLANDER: 0.5,
    },
    Locale.TOWN: {
        groups.WHITE: 68,
        groups.HISPANIC: 17,
        groups.BLACK: 7,
        groups.TWO_OR_MORE: 5,
        groups.ASIAN: 2,
        groups.AMERICAN_INDIAN: 0.5,
        groups.PACIFIC_ISLANDER: 0.5,
    },
    Locale.RURAL: {
        groups.WHITE: 84,
        groups.HISPANIC: 8,
        groups.TWO_OR_MORE: 4,
        groups.BLACK: 3,
        groups.ASIAN: 1,
        groups.AMERICAN_INDIAN: 0.5,
        groups.PACIFIC_ISLANDER: 0.5,
    },
}
# How much more or less likely than the school's average a student of each group is to be
# low-income, or an English learner; shares are normalized so the school keeps its profile.
LOW_INCOME_LEAN = {
    groups.BLACK: 1.35,
    groups.HISPANIC: 1.3,
    groups.AMERICAN_INDIAN: 1.3,
    groups.PACIFIC_ISLANDER: 1.2,
    groups.TWO_OR_MORE: 1.05,
    groups.WHITE: 0.8,
    groups.ASIAN: 0.7,
}
EL_LEAN = {groups.HISPANIC: 3.0, groups.ASIAN: 2.2, groups.PACIFIC_ISLANDER: 1.0}
EL_DEFAULT_LEAN = 0.25
# Standing against the standard, relative to other students.
ABILITY_GAP = {groups.LOW_INCOME: -0.4, groups.EL: -0.5, groups.SWD: -0.75}


@dataclass
class Pupil:
    serial: int
    given_name: str
    family_name: str
    race: str
    ability: float
    math_lean: float  # how much stronger (or weaker) in math than in reading
    low_income: bool
    english_learner: bool
    iep: bool
    grades: dict[int, str] = field(default_factory=dict)  # school year -> grade
    group_years: dict[int, tuple[str, ...]] = field(default_factory=dict)

    def groups_now(self) -> tuple[str, ...]:
        flags = (
            (groups.LOW_INCOME, self.low_income),
            (groups.EL, self.english_learner),
            (groups.SWD, self.iep),
        )
        return (self.race, *(code for code, held in flags if held))


@dataclass(frozen=True)
class SchoolCohort:
    school_state_id: str
    grades: tuple[str, ...]
    years: tuple[int, ...]
    pupils: tuple[Pupil, ...]

    def enrolled(self, year: int) -> list[Pupil]:
        return [pupil for pupil in self.pupils if year in pupil.grades]


def grade_span(lowest: str, highest: str) -> tuple[str, ...]:
    return tuple(GRADE_ORDER[GRADE_ORDER.index(lowest) : GRADE_ORDER.index(highest) + 1])


def grade_targets(total: int, grades: tuple[str, ...]) -> dict[str, int]:
    """``total`` students spread over ``grades``, the earlier grades taking any remainder."""
    base, extra = divmod(total, len(grades))
    return {grade: base + (index < extra) for index, grade in enumerate(grades)}


def student_state_id(school_state_id: str, serial: int) -> str:
    """Unique within the district: the district's number, the school's code, a serial."""
    parts = school_state_id.split("-")
    return f"{parts[2]}{parts[4]}{serial:04d}"


class CohortBuilder:
    def __init__(self, school_state_id: str, profiles: dict[int, ProfileRecord], size: CohortSize):
        self.school_state_id = school_state_id
        self.profiles = profiles
        self.size = size
        self.rng = rng_for("students", school_state_id)
        self.names = NamePool(f"students:{school_state_id}")
        first = profiles[min(profiles)]
        self.grades = grade_span(first.lowest_grade, first.highest_grade)
        mix = RACE_MIX[first.locale]
        # A school's own lean: some schools in a suburb are mostly Hispanic, others not.
        self.race_mix = {race: share * self.rng.uniform(0.5, 1.6) for race, share in mix.items()}
        total = sum(self.race_mix.values())
        self.low_income_norm = sum(
            LOW_INCOME_LEAN.get(race, 1.0) * share / total for race, share in self.race_mix.items()
        )
        self.el_norm = sum(
            EL_LEAN.get(race, EL_DEFAULT_LEAN) * share / total
            for race, share in self.race_mix.items()
        )
        self.pupils: list[Pupil] = []

    def build(self) -> SchoolCohort:
        years = sorted(self.profiles)
        for year in years:
            targets = grade_targets(self.size.total(self.profiles[year].enrollment), self.grades)
            if year == years[0]:
                current: list[Pupil] = []
            else:
                current = self.move_up(year)
            present = {grade: 0 for grade in self.grades}
            for pupil in current:
                present[pupil.grades[year]] += 1
            for grade in self.grades:
                for _ in range(max(0, targets[grade] - present[grade])):
                    pupil = self.new_pupil(self.profiles[year], grade)
                    pupil.grades[year] = grade
                    current.append(pupil)
            for pupil in current:
                pupil.group_years[year] = pupil.groups_now()
        return SchoolCohort(self.school_state_id, self.grades, tuple(years), tuple(self.pupils))

    def move_up(self, year: int) -> list[Pupil]:
        """Last year's students a grade on; the top grade and a few others have left."""
        rng, profile = self.rng, self.profiles[year]
        staying = []
        for pupil in self.pupils:
            grade = pupil.grades.get(year - 1)
            if grade is None or grade == self.grades[-1] or rng.random() < LEAVE_RATE:
                continue
            pupil.grades[year] = GRADE_ORDER[GRADE_ORDER.index(grade) + 1]
            if rng.random() < LOW_INCOME_CHURN:
                pupil.low_income = rng.random() < float(profile.pct_low_income) / 100
            if pupil.english_learner and rng.random() < EL_RECLASSIFIED:
                pupil.english_learner = False
            if not pupil.iep and rng.random() < NEWLY_IEP:
                pupil.iep = True
            staying.append(pupil)
        return staying

    def new_pupil(self, profile: ProfileRecord, grade: str) -> Pupil:
        rng = self.rng
        serial = len(self.pupils) + 1
        given, family = self.names.name_at(serial)
        races, weights = zip(*self.race_mix.items(), strict=True)
        race = rng.choices(races, weights=weights)[0]
        low_income_share = float(profile.pct_low_income) / 100
        low_income = rng.random() < min(
            0.97, low_income_share * LOW_INCOME_LEAN.get(race, 1.0) / self.low_income_norm
        )
        # Most English learners are identified early; few arrive in high school as one.
        early = 1.4 if GRADE_ORDER.index(grade) <= GRADE_ORDER.index("02") else 0.8
        el_share = float(profile.pct_english_learners) / 100 * early
        english_learner = rng.random() < min(
            0.9, el_share * EL_LEAN.get(race, EL_DEFAULT_LEAN) / self.el_norm
        )
        iep = rng.random() < float(profile.pct_iep) / 100
        ability = rng.gauss(0, 1)
        ability += ABILITY_GAP[groups.LOW_INCOME] * low_income
        ability += ABILITY_GAP[groups.EL] * english_learner
        ability += ABILITY_GAP[groups.SWD] * iep
        pupil = Pupil(
            serial=serial,
            given_name=given,
            family_name=family,
            race=race,
            ability=ability,
            math_lean=rng.gauss(0, 0.35),
            low_income=low_income,
            english_learner=english_learner,
            iep=iep,
        )
        self.pupils.append(pupil)
        return pupil


def school_cohort(
    school_state_id: str, profiles: dict[int, ProfileRecord], size: CohortSize
) -> SchoolCohort:
    """The school's students in each year of ``profiles`` (one profile per school year)."""
    return CohortBuilder(school_state_id, profiles, size).build()
