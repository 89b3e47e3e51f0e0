"""Which local dates a meeting series meets on. Pure functions: no database, no clock.

A rule is either *every n weeks on a weekday*, counted from the first such weekday on or
after the series' first date, or *given weeks of each month on a weekday* ("1,3" is the
1st and 3rd Wednesday; "-1" the last). Dates the district calendar marks as
non-instructional are skipped, and so are days before the first or after the last
instructional day of a school year whose calendar is known.

Dates are local to the team; :func:`local_start` turns a local date and a start time into
an aware datetime in the team's zone, so a 3:30 pm meeting stays at 3:30 pm local time
on both sides of a daylight-saving change.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from dateutil import rrule

from leadhub.orgs.schoolyears import school_year_of

EVERY_N_WEEKS = "weekly"
MONTHLY = "monthly"
LAST = -1
ORDINALS = (1, 2, 3, 4, LAST)
ORDINAL_WORDS = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", LAST: "last"}
RRULE_WEEKDAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DEFAULT_INTERVAL_WEEKS = 2
DEFAULT_MINUTES = 90
OUTSIDE_YEAR = "outside the instructional year"
NON_INSTRUCTIONAL = "non-instructional day"


@dataclass(frozen=True)
class Rule:
    """How often a series meets. ``until`` (inclusive) may be empty: the caller bounds it."""

    weekday: int
    first_date: dt.date
    pattern: str = EVERY_N_WEEKS
    interval_weeks: int = DEFAULT_INTERVAL_WEEKS
    week_ordinals: tuple[int, ...] = ()
    until: dt.date | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError("weekday must be 0 (Monday) to 6 (Sunday)")
        if self.pattern not in (EVERY_N_WEEKS, MONTHLY):
            raise ValueError(f"Unknown pattern {self.pattern!r}")
        if self.pattern == EVERY_N_WEEKS and self.interval_weeks < 1:
            raise ValueError("interval_weeks must be at least 1")
        if self.pattern == MONTHLY and not self.week_ordinals:
            raise ValueError("A monthly rule needs at least one week of the month")
        if any(o not in ORDINALS for o in self.week_ordinals):
            raise ValueError("Weeks of the month are 1–4 or -1 (the last)")


@dataclass(frozen=True)
class SchoolCalendar:
    """One school year of a district's calendar: its instructional span and days off
    (``closed``, each with the name of the break or holiday it belongs to)."""

    year: int
    first_day: dt.date
    last_day: dt.date
    closed: Mapping[dt.date, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SkipDays:
    """The days a series does not meet on, from the calendars of the years it covers.

    A school year without a calendar skips nothing: LeadHub cannot know its days off.
    """

    calendars: tuple[SchoolCalendar, ...] = ()

    def reason(self, day: dt.date) -> str | None:
        """Why ``day`` is skipped (the closure's name, or that it is outside the
        instructional year), or None when a meeting can take place."""
        year = school_year_of(day)
        for calendar in self.calendars:
            if calendar.year != year:
                continue
            if day < calendar.first_day or day > calendar.last_day:
                return OUTSIDE_YEAR
            if day in calendar.closed:
                return calendar.closed[day] or NON_INSTRUCTIONAL
        return None

    def skips(self, day: dt.date) -> bool:
        return self.reason(day) is not None


NO_SKIPPING = SkipDays()


def parse_ordinals(text: str) -> tuple[int, ...]:
    """ "1,3" → (1, 3); "-1" → (-1,). Unknown parts raise ValueError."""
    values = tuple(int(part) for part in text.split(",") if part.strip())
    if any(v not in ORDINALS for v in values):
        raise ValueError("Weeks of the month are 1–4 or -1 (the last)")
    return tuple(sorted(set(values), key=_ordinal_order))


def format_ordinals(values: Iterable[int]) -> str:
    return ",".join(str(v) for v in sorted(set(values), key=_ordinal_order))


def _ordinal_order(value: int) -> int:
    return 99 if value == LAST else value


def first_meeting_date(rule: Rule) -> dt.date:
    """The first weekday of the rule on or after its first date (every-n-weeks counting)."""
    return rule.first_date + dt.timedelta(days=(rule.weekday - rule.first_date.weekday()) % 7)


def _at_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min)


def rule_dates(rule: Rule, start: dt.date, end: dt.date) -> list[dt.date]:
    """Every date of the rule from ``start`` to ``end`` (inclusive), before skipping."""
    start = max(start, rule.first_date)
    if rule.until is not None:
        end = min(end, rule.until)
    if end < start:
        return []
    weekday = RRULE_WEEKDAYS[rule.weekday]
    if rule.pattern == EVERY_N_WEEKS:
        recurrence = rrule.rrule(
            rrule.WEEKLY,
            interval=rule.interval_weeks,
            byweekday=weekday,
            dtstart=_at_midnight(first_meeting_date(rule)),
        )
    else:
        recurrence = rrule.rrule(
            rrule.MONTHLY,
            byweekday=[weekday(ordinal) for ordinal in rule.week_ordinals],
            dtstart=_at_midnight(rule.first_date),
        )
    found = recurrence.between(_at_midnight(start), _at_midnight(end), inc=True)
    return [moment.date() for moment in found]


def expand(rule: Rule, start: dt.date, end: dt.date, skip: SkipDays = NO_SKIPPING) -> list[dt.date]:
    """The dates the series meets on from ``start`` to ``end`` (inclusive)."""
    return [day for day in rule_dates(rule, start, end) if not skip.skips(day)]


def skipped(
    rule: Rule, start: dt.date, end: dt.date, skip: SkipDays = NO_SKIPPING
) -> list[tuple[dt.date, str]]:
    """The rule's dates in the range that are skipped, each with the reason."""
    found = []
    for day in rule_dates(rule, start, end):
        reason = skip.reason(day)
        if reason is not None:
            found.append((day, reason))
    return found


def zone_of(zone: str | zoneinfo.ZoneInfo) -> zoneinfo.ZoneInfo:
    return zone if isinstance(zone, zoneinfo.ZoneInfo) else zoneinfo.ZoneInfo(zone)


def local_start(day: dt.date, start: dt.time, zone: str | zoneinfo.ZoneInfo) -> dt.datetime:
    """The aware datetime of ``start`` o'clock on ``day`` where the team meets.

    The offset is the one in force on that date (zoneinfo picks it per date). A time that
    does not exist on the day the clocks spring forward moves to the same wall time after
    the change, e.g. 2:30 am becomes 3:30 am.
    """
    tz = zone_of(zone)
    naive = dt.datetime.combine(day, start.replace(tzinfo=None))
    aware = naive.replace(tzinfo=tz)
    return aware.astimezone(dt.UTC).astimezone(tz)


def format_time(value: dt.time, *, with_meridiem: bool = True) -> str:
    """3:30 pm; noon and midnight read as 12:00 pm and 12:00 am."""
    hour = value.hour % 12 or 12
    text = f"{hour}:{value.minute:02d}"
    return f"{text} {'am' if value.hour < 12 else 'pm'}" if with_meridiem else text


def format_time_range(start: dt.time, minutes: int) -> str:
    """3:30–5:00 pm, or 11:30 am–1:00 pm when the meeting crosses noon."""
    begin = dt.datetime.combine(dt.date(2000, 1, 3), start.replace(tzinfo=None))
    end = (begin + dt.timedelta(minutes=minutes)).time()
    same_half = (start.hour < 12) == (end.hour < 12) and minutes < 12 * 60
    if same_half:
        return f"{format_time(start, with_meridiem=False)}–{format_time(end)}"
    return f"{format_time(start)}–{format_time(end)}"


def describe(
    rule: Rule, start: dt.time, minutes: int, *, skip_non_instructional: bool = True
) -> str:
    """The rule in plain words: "Every 2 weeks on Wednesday, 3:30–5:00 pm, skipping
    non-instructional days"."""
    weekday = WEEKDAY_NAMES[rule.weekday]
    if rule.pattern == EVERY_N_WEEKS:
        if rule.interval_weeks == 1:
            when = f"Every {weekday}"
        else:
            when = f"Every {rule.interval_weeks} weeks on {weekday}"
    else:
        words = [ORDINAL_WORDS[o] for o in sorted(rule.week_ordinals, key=_ordinal_order)]
        listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
        when = f"The {listed} {weekday} of each month"
    text = f"{when}, {format_time_range(start, minutes)}"
    if skip_non_instructional:
        text += ", skipping non-instructional days"
    return text
