"""The demo's measures and the monthly values schools keep, as plain values.

Computed measures are state-wide: the share of tested students at or above the standard
on the demo's two assessments (``leadhub.measures.compute`` works their values out from
the results). Entered measures belong to each district, with a value for each school
for every school month of the last two school years and this one so far (at most 24),
and a team measure for a grade-level team with weekly values.

Each series follows a pattern (:data:`PATTERNS`), so the run-chart and control-chart
rules have something to find: steady, a shift after a change the school tried (noted on
the chart where it began, as a PDSA cycle or a plan action), a trend, or one unusual
month. The sign-in school's series are fixed, so the demo always shows each pattern.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from leadhub.assessments.models import Subject
from leadhub.demo.assessments import BENCHMARK, STATE_TEST, AssessmentSpec
from leadhub.demo.names import rng_for
from leadhub.measures.models import AnnotationKind, Direction, RuleSet, Unit
from leadhub.orgs.schoolyears import school_year_bounds

MAX_POINTS = 24
SCHOOL_MONTHS = (9, 10, 11, 12, 1, 2, 3, 4, 5)
TEAM_WEEKS = 14

STEADY, SHIFT, TREND, SPIKE = "steady", "shift", "trend", "spike"
PATTERNS = (STEADY, SHIFT, TREND, SPIKE)
PATTERN_WEIGHTS = (35, 35, 20, 10)


@dataclass(frozen=True)
class ComputedMeasure:
    name: str
    spec: AssessmentSpec
    subject: str
    description: str


COMPUTED_MEASURES = (
    ComputedMeasure(
        "ELA state test: meets or exceeds",
        STATE_TEST,
        Subject.ELA,
        "Share of students tested in English language arts who met or exceeded the standard.",
    ),
    ComputedMeasure(
        "Math state test: meets or exceeds",
        STATE_TEST,
        Subject.MATH,
        "Share of students tested in mathematics who met or exceeded the standard.",
    ),
    ComputedMeasure(
        "Reading benchmark: at or above",
        BENCHMARK,
        Subject.ELA,
        "Share of students at or above the reading benchmark in each screening window.",
    ),
    ComputedMeasure(
        "Math benchmark: at or above",
        BENCHMARK,
        Subject.MATH,
        "Share of students at or above the math benchmark in each screening window.",
    ),
)


@dataclass(frozen=True)
class EnteredMeasure:
    key: str
    name: str
    unit: str
    direction: str
    description: str
    numerator_label: str = ""
    denominator_label: str = ""
    rule_set: str = RuleSet.IHI
    note_kind: str = AnnotationKind.PDSA
    note: str = ""


ATTENDANCE = EnteredMeasure(
    "attendance",
    "Average daily attendance",
    Unit.PERCENT,
    Direction.UP,
    "Share of enrolled students present on an average school day that month.",
    rule_set=RuleSet.IHI,
    note_kind=AnnotationKind.PDSA,
    note="PDSA: greeting every student by name at the door",
)
CHRONIC_ABSENCE = EnteredMeasure(
    "chronic-absence",
    "Chronic absenteeism",
    Unit.PERCENT,
    Direction.DOWN,
    "Share of enrolled students who have missed 10% or more of school days so far this year.",
    numerator_label="Students missing 10% or more of school days",
    denominator_label="Students enrolled",
    rule_set=RuleSet.P_CHART,
    note_kind=AnnotationKind.PLAN_ACTION,
    note="Plan action: attendance team calls home after a second absence",
)
REFERRALS = EnteredMeasure(
    "referrals",
    "Office discipline referrals",
    Unit.COUNT,
    Direction.DOWN,
    "Referrals to the office for behaviour, counted by month.",
    rule_set=RuleSet.XMR,
    note_kind=AnnotationKind.PDSA,
    note="PDSA: a restorative conversation before any referral",
)
WALKTHROUGHS = EnteredMeasure(
    "walkthroughs",
    "Classroom walkthroughs with feedback",
    Unit.COUNT,
    Direction.UP,
    "Walkthroughs by the leadership team after which the teacher had feedback within a day.",
    rule_set=RuleSet.ANHOEJ,
    note_kind=AnnotationKind.PLAN_ACTION,
    note="Plan action: a weekly walkthrough schedule for the leadership team",
)
ENTERED_MEASURES = (ATTENDANCE, CHRONIC_ABSENCE, REFERRALS, WALKTHROUGHS)
EXIT_TICKETS = EnteredMeasure(
    "exit-tickets",
    "Exit tickets: share correct",
    Unit.PERCENT,
    Direction.UP,
    "Share of the grade's exit tickets answered correctly in the week's target lesson.",
    note_kind=AnnotationKind.PDSA,
    note="PDSA: reteach in small groups the next morning",
)
# The sign-in school's series, so the demo shows every pattern.
SIGNIN_PATTERNS = {
    ATTENDANCE.key: SHIFT,
    CHRONIC_ABSENCE.key: TREND,
    REFERRALS.key: SPIKE,
    WALKTHROUGHS.key: SHIFT,
    EXIT_TICKETS.key: SHIFT,
}


@dataclass(frozen=True)
class Point:
    period_start: dt.date
    value: float
    numerator: float | None = None
    denominator: float | None = None


@dataclass(frozen=True)
class SeriesPlan:
    points: tuple[Point, ...]
    pattern: str
    change_at: int | None  # the point where the change began (shift or trend)
    charted: bool  # whether the series has its own chart setting
    note_day: dt.date | None


@dataclass(frozen=True)
class SchoolFacts:
    state_id: str
    enrollment: int
    low_income: float  # percent


def school_months(anchor_year: int, today: dt.date) -> list[dt.date]:
    """First days of the school months from two school years ago until last month."""
    start = school_year_bounds(anchor_year - 2)[0]
    months = []
    day = dt.date(start.year, 9, 1)
    while day < dt.date(today.year, today.month, 1):
        if day.month in SCHOOL_MONTHS:
            months.append(day)
        day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return months[-MAX_POINTS:]


def team_weeks(today: dt.date) -> list[dt.date]:
    """The Mondays of the last ``TEAM_WEEKS`` school weeks before this one (summer skipped)."""
    monday = today - dt.timedelta(days=today.weekday())
    weeks: list[dt.date] = []
    while len(weeks) < TEAM_WEEKS:
        monday -= dt.timedelta(weeks=1)
        if monday.month not in (6, 7):
            weeks.append(monday)
    return weeks[::-1]


def _level(measure: EnteredMeasure, school: SchoolFacts, rng: random.Random) -> tuple[float, float]:
    """The school's usual level and month-to-month spread for the measure."""
    poverty = school.low_income - 50
    if measure is ATTENDANCE:
        return rng.gauss(94.0, 1.0) - 0.03 * poverty, 0.6
    if measure is CHRONIC_ABSENCE:
        return max(4.0, rng.gauss(17.0, 4.0) + 0.15 * poverty), 1.4
    if measure is REFERRALS:
        mean = max(3.0, school.enrollment / 35 * rng.uniform(0.6, 1.4) * (1 + poverty / 150))
        return mean, max(1.5, mean**0.5)
    if measure is WALKTHROUGHS:
        return rng.uniform(6, 14), 2.0
    return rng.uniform(48, 62), 4.0


def _bounded(measure: EnteredMeasure, value: float) -> float:
    if measure.unit == Unit.COUNT:
        return float(max(0, round(value)))
    return round(min(99.5, max(0.5, value)), 1)


def series_plan(
    measure: EnteredMeasure,
    school: SchoolFacts,
    periods: list[dt.date],
    *,
    signin_school: bool,
    scope: str = "",
) -> SeriesPlan:
    rng = rng_for("measure-series", measure.key, school.state_id, scope)
    level, spread = _level(measure, school, rng)
    pattern = (
        SIGNIN_PATTERNS[measure.key]
        if signin_school
        else rng.choices(PATTERNS, weights=PATTERN_WEIGHTS)[0]
    )
    better = 1 if measure.direction == Direction.UP else -1
    count = len(periods)
    # At least half the points come before the change, so the median of the whole series
    # sits below (or above) every point after it, and at least six come after.
    change_at = rng.randint(count // 2, count - 6) if count >= 12 else None
    shift = 2.8 * spread
    if measure.unit == Unit.COUNT:
        shift = min(shift, 0.5 * level)  # a school does not halve its referrals overnight
    values = []
    for index in range(count):
        value = level + rng.gauss(0, spread * 0.7)
        if change_at is not None and index >= change_at:
            if pattern == SHIFT:
                value += better * shift
            elif pattern == TREND:
                # Six steps, each larger than the noise, then the new level holds.
                step = min(index - change_at + 1, 6)
                value = level + better * step * 0.9 * spread + rng.gauss(0, spread * 0.15)
        if pattern == SPIKE and change_at is not None and index == change_at:
            value = level - better * 4.5 * spread
        values.append(_bounded(measure, value))
    points = []
    enrollment = school.enrollment
    for day, value in zip(periods, values, strict=True):
        if measure.denominator_label:
            numerator = round(value / 100 * enrollment)
            share = round(100 * numerator / enrollment, 1)
            points.append(Point(day, share, float(numerator), float(enrollment)))
        else:
            points.append(Point(day, value))
    changed = change_at if pattern != STEADY else None
    note_day = None
    if changed is not None and pattern in (SHIFT, TREND):
        # The change began in the first days of the month (or week) where the values move.
        note_day = periods[changed] + dt.timedelta(days=2)
    return SeriesPlan(
        points=tuple(points),
        pattern=pattern,
        change_at=changed,
        charted=signin_school or pattern != STEADY or rng.random() < 0.3,
        note_day=note_day,
    )


def baseline(plan: SeriesPlan) -> tuple[dt.date, dt.date]:
    """The points before the change (or the first nine), as a chart's baseline period."""
    end = plan.change_at if plan.change_at and plan.change_at >= 6 else 9
    points = plan.points[: min(end, len(plan.points))]
    return points[0].period_start, points[-1].period_start
