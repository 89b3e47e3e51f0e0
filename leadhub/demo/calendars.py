"""Instructional calendars with the holidays and breaks an Illinois district would observe.

Every date is computed from the real calendar of the year in question (Labor Day is
the first Monday of September of that year, and so on), and each district keeps its
own habits from year to year: when it starts, whether spring break follows Easter.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import NamedTuple

from leadhub.orgs.models import NonInstructionalDay

# Illinois asks for 176 days of pupil attendance; districts schedule exactly that.
INSTRUCTIONAL_DAYS = 176

Kind = NonInstructionalDay.Kind
MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY = range(5)


class Closure(NamedTuple):
    start_date: dt.date
    end_date: dt.date
    kind: str
    label: str


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The ``n``-th given weekday of a month; ``n = -1`` is the last one."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    last = following - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def weekday_on_or_after(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def weekday_on_or_before(day: dt.date, weekday: int) -> dt.date:
    return day - dt.timedelta(days=(day.weekday() - weekday) % 7)


def easter_sunday(year: int) -> dt.date:
    """Western Easter (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month = (h + leap - 7 * m + 114) // 31
    day = (h + leap - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


@dataclass(frozen=True)
class CalendarHabits:
    """How one district lays out its year; drawn once per district and kept every year."""

    first_weekday: int
    earliest_first_day: int  # day of August
    full_thanksgiving_week: bool
    spring_break_after_easter: bool
    observes_columbus_day: bool
    observes_veterans_day: bool
    observes_lincolns_birthday: bool
    observes_pulaski_day: bool
    observes_good_friday: bool
    closes_on_election_day: bool

    @classmethod
    def draw(cls, rng: random.Random) -> CalendarHabits:
        return cls(
            first_weekday=rng.choice([MONDAY, TUESDAY, WEDNESDAY, WEDNESDAY, THURSDAY]),
            earliest_first_day=rng.randint(12, 20),
            full_thanksgiving_week=rng.random() < 0.2,
            spring_break_after_easter=rng.random() < 0.35,
            observes_columbus_day=rng.random() < 0.7,
            observes_veterans_day=rng.random() < 0.8,
            observes_lincolns_birthday=rng.random() < 0.4,
            observes_pulaski_day=rng.random() < 0.6,
            observes_good_friday=rng.random() < 0.5,
            closes_on_election_day=rng.random() < 0.4,
        )


def _fall_closures(fall: int, habits: CalendarHabits) -> list[Closure]:
    labor_day = nth_weekday(fall, 9, MONDAY, 1)
    closures = [Closure(labor_day, labor_day, Kind.HOLIDAY, "Labor Day")]
    columbus = nth_weekday(fall, 10, MONDAY, 2)
    if habits.observes_columbus_day:
        closures.append(Closure(columbus, columbus, Kind.HOLIDAY, "Columbus Day"))
    institute = columbus - dt.timedelta(days=3)  # the Friday before
    closures.append(Closure(institute, institute, Kind.PROFESSIONAL, "Teacher institute day"))
    # Schools are polling places; in even years many districts close for the general election.
    election = nth_weekday(fall, 11, MONDAY, 1) + dt.timedelta(days=1)
    if fall % 2 == 0 and habits.closes_on_election_day:
        closures.append(Closure(election, election, Kind.OTHER, "General election day"))
    veterans = dt.date(fall, 11, 11)
    if habits.observes_veterans_day and veterans.weekday() < 5:
        closures.append(Closure(veterans, veterans, Kind.HOLIDAY, "Veterans Day"))
    thanksgiving = nth_weekday(fall, 11, THURSDAY, 4)
    conferences = thanksgiving - dt.timedelta(days=13)  # the Friday two weeks before
    closures.append(
        Closure(conferences, conferences, Kind.OTHER, "Parent–teacher conferences (no students)")
    )
    break_start = thanksgiving - dt.timedelta(days=3 if habits.full_thanksgiving_week else 1)
    closures.append(
        Closure(break_start, thanksgiving + dt.timedelta(days=1), Kind.BREAK, "Thanksgiving break")
    )
    # Two full weeks that always take in Christmas Eve through New Year's Day.
    last_day_before = weekday_on_or_before(dt.date(fall, 12, 23), FRIDAY)
    winter_start = last_day_before + dt.timedelta(days=3)
    winter_end = winter_start + dt.timedelta(days=11)
    closures.append(Closure(winter_start, winter_end, Kind.BREAK, "Winter break"))
    return closures


def _spring_closures(spring: int, habits: CalendarHabits, winter_end: dt.date) -> list[Closure]:
    back = winter_end + dt.timedelta(days=3)  # the Monday teachers return
    closures = [Closure(back, back, Kind.PROFESSIONAL, "Teacher institute day")]
    mlk = nth_weekday(spring, 1, MONDAY, 3)
    closures.append(Closure(mlk, mlk, Kind.HOLIDAY, "Martin Luther King Jr. Day"))
    lincoln = dt.date(spring, 2, 12)
    if habits.observes_lincolns_birthday and lincoln.weekday() < 5:
        closures.append(Closure(lincoln, lincoln, Kind.HOLIDAY, "Lincoln's Birthday"))
    presidents = nth_weekday(spring, 2, MONDAY, 3)
    closures.append(Closure(presidents, presidents, Kind.HOLIDAY, "Presidents' Day"))
    pulaski = nth_weekday(spring, 3, MONDAY, 1)
    if habits.observes_pulaski_day:
        closures.append(Closure(pulaski, pulaski, Kind.HOLIDAY, "Casimir Pulaski Day"))
    easter = easter_sunday(spring)
    good_friday = easter - dt.timedelta(days=2)
    if habits.spring_break_after_easter:
        spring_break = easter + dt.timedelta(days=1)
    else:
        spring_break = nth_weekday(spring, 3, MONDAY, 4)
    spring_break_end = spring_break + dt.timedelta(days=4)
    closures.append(Closure(spring_break, spring_break_end, Kind.BREAK, "Spring break"))
    if habits.observes_good_friday and not spring_break <= good_friday <= spring_break_end:
        closures.append(Closure(good_friday, good_friday, Kind.HOLIDAY, "Good Friday"))
    memorial = nth_weekday(spring, 5, MONDAY, -1)
    closures.append(Closure(memorial, memorial, Kind.HOLIDAY, "Memorial Day"))
    return closures


def instructional_calendar(
    year: int, habits: CalendarHabits
) -> tuple[dt.date, dt.date, tuple[Closure, ...]]:
    """First day, last day and closures of school year ``year`` (2026 = 2025–26).

    The last day is wherever the 176th day of instruction falls, which lands in
    late May or early June as it does in Illinois districts.
    """
    fall = year - 1
    first_day = weekday_on_or_after(
        dt.date(fall, 8, habits.earliest_first_day), habits.first_weekday
    )
    fall_closures = _fall_closures(fall, habits)
    winter_end = fall_closures[-1].end_date
    closures = sorted(fall_closures + _spring_closures(year, habits, winter_end))
    closed: set[dt.date] = set()
    for closure in closures:
        day = closure.start_date
        while day <= closure.end_date:
            closed.add(day)
            day += dt.timedelta(days=1)
    day, counted = first_day, 0
    while True:
        if day.weekday() < 5 and day not in closed:
            counted += 1
            if counted == INSTRUCTIONAL_DAYS:
                break
        day += dt.timedelta(days=1)
    last_day = day
    kept = tuple(c for c in closures if first_day <= c.start_date and c.end_date <= last_day)
    return first_day, last_day, kept
