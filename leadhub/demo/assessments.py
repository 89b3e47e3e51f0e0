"""The demo's assessments and its students' results on them, as plain values.

Two assessments, as an Illinois district would have them: the state test (once a year
in spring, grades 3–8 and 11, levels 1–5 with 4 meeting the standard) and a benchmark
screener in reading and math (fall, winter and spring, kindergarten to grade 8,
levels 1–4 with 3 at or above the benchmark).

A result is a student's standing (``leadhub.demo.students``) plus the school's part:
where the school stands, its drift from year to year, a gain for every year it has
taken part in the hubs' program (so the program's impact has something to find), and
within a year the growth from fall to spring. Only windows that have already happened
are given.
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect_right
from dataclasses import dataclass

from leadhub.assessments.models import Subject, Window
from leadhub.demo.names import rng_for
from leadhub.demo.records import ParticipationRecord
from leadhub.demo.students import Pupil, SchoolCohort


@dataclass(frozen=True)
class AssessmentSpec:
    code: str
    name: str
    level_count: int
    proficient_level: int
    is_interim: bool
    grades: frozenset[str]
    windows: tuple[str, ...]
    subjects: tuple[str, ...]


STATE_TEST = AssessmentSpec(
    code="state-assessment",
    name="State assessment",
    level_count=5,
    proficient_level=4,
    is_interim=False,
    grades=frozenset({"03", "04", "05", "06", "07", "08", "11"}),
    windows=(Window.SPRING,),
    subjects=(Subject.ELA, Subject.MATH),
)
BENCHMARK = AssessmentSpec(
    code="benchmark-screener",
    name="Benchmark screener",
    level_count=4,
    proficient_level=3,
    is_interim=True,
    grades=frozenset({"KG", "01", "02", "03", "04", "05", "06", "07", "08"}),
    windows=(Window.FALL, Window.WINTER, Window.SPRING),
    subjects=(Subject.ELA, Subject.MATH),
)
ASSESSMENTS = (STATE_TEST, BENCHMARK)

# When each window's testing is done (month, day), in the school year's calendar year.
WINDOW_DAYS: dict[str, tuple[int, int]] = {
    Window.FALL: (9, 26),
    Window.WINTER: (1, 23),
    Window.SPRING: (5, 8),
}
# The state test's scale (650–850) and the lowest score of levels 2 to 5.
STATE_CUTS = (700, 725, 750, 786)
# The benchmark reports levels against where a student should be in that window.
BENCHMARK_CUTS = (-1.25, -0.55, 0.75)
# Growth within a year: the share at or above the benchmark rises from fall to spring.
WINDOW_OFFSET: dict[str, float] = {Window.FALL: -0.12, Window.WINTER: -0.02, Window.SPRING: 0.08}
PROGRAM_GAIN_PER_YEAR = 0.08
RESULT_NOISE = 0.4


def window_day(year: int, window: str) -> dt.date:
    month, day = WINDOW_DAYS[window]
    return dt.date(year - 1 if month >= 7 else year, month, day)


def grade_number(grade: str) -> int:
    return 0 if grade in {"PK", "KG"} else int(grade)


@dataclass(frozen=True)
class Result:
    spec: AssessmentSpec
    subject: str
    year: int
    window: str
    grade: str
    scale_score: float
    level: int


class SchoolOutlook:
    """Where a school stands against the standard in each year."""

    def __init__(
        self, school_state_id: str, participations: list[ParticipationRecord], first_year: int
    ) -> None:
        rng = rng_for("school-results", school_state_id)
        self.base = rng.gauss(0, 0.25)
        self.drift = rng.gauss(0.02, 0.04)
        self.first_year = first_year
        self.program_years = {
            year
            for taking_part in participations
            for year in range(taking_part.start_year, (taking_part.end_year or 2100) + 1)
        }

    def standing(self, year: int) -> float:
        years_in_program = sum(1 for y in self.program_years if y <= year)
        return (
            self.base
            + self.drift * (year - self.first_year)
            + PROGRAM_GAIN_PER_YEAR * years_in_program
        )


def _state_result(z: float) -> tuple[float, int]:
    score = float(min(850, max(650, round(748 + 30 * z))))
    return score, 1 + bisect_right(STATE_CUTS, score)


def _benchmark_result(z: float, grade: str, window: str) -> tuple[float, int]:
    step = BENCHMARK.windows.index(window)
    score = round(150 + 9 * grade_number(grade) + 3 * step + 11 * z, 1)
    return score, 1 + bisect_right(BENCHMARK_CUTS, z)


def given_windows(year: int, today: dt.date) -> list[tuple[AssessmentSpec, str]]:
    """The assessments and windows of ``year`` that have happened by ``today``."""
    return [
        (spec, window)
        for spec in ASSESSMENTS
        for window in spec.windows
        if window_day(year, window) <= today
    ]


def cohort_results(
    cohort: SchoolCohort, outlook: SchoolOutlook, today: dt.date
) -> list[tuple[Pupil, Result]]:
    rng = rng_for("results", cohort.school_state_id)
    results: list[tuple[Pupil, Result]] = []
    for year in cohort.years:
        given = given_windows(year, today)
        if not given:
            continue
        standing = outlook.standing(year)
        for pupil in cohort.enrolled(year):
            grade = pupil.grades[year]
            for spec, window in given:
                if grade not in spec.grades:
                    continue
                for subject in spec.subjects:
                    results.append(
                        (pupil, _result(rng, pupil, spec, subject, year, window, standing))
                    )
    return results


def _result(
    rng: random.Random,
    pupil: Pupil,
    spec: AssessmentSpec,
    subject: str,
    year: int,
    window: str,
    standing: float,
) -> Result:
    grade = pupil.grades[year]
    z = pupil.ability + standing + WINDOW_OFFSET[window] + rng.gauss(0, RESULT_NOISE)
    if subject == Subject.MATH:
        z += pupil.math_lean
    if spec is STATE_TEST:
        score, level = _state_result(z)
    else:
        score, level = _benchmark_result(z, grade, window)
    return Result(spec, subject, year, window, grade, score, level)
