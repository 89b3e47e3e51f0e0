"""What one cell's text means, for the columns whose values come from a small vocabulary.

Each function takes one distinct text of a column and answers a :class:`Meaning` (the
code or number it stands for) or a problem in plain words. The staging step asks once
per distinct text, never once per row.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from leadhub.assessments.models import Subject, Window
from leadhub.measures.compute import window_period_start
from leadhub.orgs.models import Grade
from leadhub.orgs.schoolyears import (
    FIRST_MONTH,
    school_year_bounds,
    school_year_label,
    school_year_of,
)

FIRST_SCHOOL_YEAR = 1990
LAST_SCHOOL_YEAR = 2100
MAX_LEVEL = 10


@dataclass(frozen=True)
class Meaning:
    code: str = ""
    number: int | None = None
    detail: str = ""
    label: str = ""
    problem: str = ""


BLANK = Meaning()


def missing(label: str) -> Meaning:
    return Meaning(problem=f"{label} is missing.")


SUBJECT_ALIASES: dict[str, str] = {
    "ela": Subject.ELA,
    "englishlanguagearts": Subject.ELA,
    "english": Subject.ELA,
    "reading": Subject.ELA,
    "readinglanguagearts": Subject.ELA,
    "literacy": Subject.ELA,
    "rla": Subject.ELA,
    "math": Subject.MATH,
    "maths": Subject.MATH,
    "mathematics": Subject.MATH,
    "science": Subject.SCIENCE,
    "sci": Subject.SCIENCE,
    "socialstudies": Subject.SOCIAL_STUDIES,
    "ss": Subject.SOCIAL_STUDIES,
    "history": Subject.SOCIAL_STUDIES,
    "other": Subject.OTHER,
}

WINDOW_ALIASES: dict[str, str] = {
    "fall": Window.FALL,
    "autumn": Window.FALL,
    "fa": Window.FALL,
    "boy": Window.FALL,
    "winter": Window.WINTER,
    "wi": Window.WINTER,
    "moy": Window.WINTER,
    "spring": Window.SPRING,
    "sp": Window.SPRING,
    "eoy": Window.SPRING,
    "annual": Window.ANNUAL,
    "year": Window.ANNUAL,
    "summative": Window.ANNUAL,
}

GRADE_ALIASES: dict[str, str] = {
    "pk": Grade.PRE_K,
    "prek": Grade.PRE_K,
    "prekindergarten": Grade.PRE_K,
    "k": Grade.KINDERGARTEN,
    "kg": Grade.KINDERGARTEN,
    "kindergarten": Grade.KINDERGARTEN,
    "0": Grade.KINDERGARTEN,
    "00": Grade.KINDERGARTEN,
}

YES = frozenset({"y", "yes", "1", "true", "t", "x"})
NO = frozenset({"n", "no", "0", "false", "f"})

MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (
        dt.date(2000, number, 1).strftime("%B").lower(),
        dt.date(2000, number, 1).strftime("%b").lower(),
    )
}


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def subject_meaning(text: str) -> Meaning:
    if not text:
        return missing("The subject")
    code = SUBJECT_ALIASES.get(_key(text))
    if code is None:
        return Meaning(problem="Unknown subject: use ELA, math, science or social studies.")
    return Meaning(code=code)


def window_meaning(text: str) -> Meaning:
    if not text:
        return missing("The window")
    code = WINDOW_ALIASES.get(_key(text))
    if code is None:
        return Meaning(problem="Unknown window: use fall, winter, spring or annual.")
    return Meaning(code=code)


def grade_meaning(text: str) -> Meaning:
    if not text:
        return missing("The grade")
    key = _key(text).removeprefix("grade").removeprefix("gr")
    if key in GRADE_ALIASES:
        return Meaning(code=GRADE_ALIASES[key])
    if key.isdigit() and 1 <= int(key) <= 12:
        return Meaning(code=f"{int(key):02d}")
    return Meaning(problem="Unknown grade: use PK, K or 1 to 12.")


def school_year_meaning(text: str) -> Meaning:
    """2025-26, 2025–2026, SY2026 and 2026 all mean the year ending in 2026."""
    if not text:
        return missing("The school year")
    year = school_year_number(text)
    if year is None:
        return Meaning(problem="Unknown school year: write it as 2025-26.")
    return Meaning(number=year, label=school_year_label(year))


def school_year_number(text: str) -> int | None:
    digits = re.findall(r"\d+", text)
    year: int | None = None
    if len(digits) == 1 and len(digits[0]) == 4:
        year = int(digits[0])
    elif len(digits) == 2 and len(digits[0]) == 4:
        start = int(digits[0])
        end = digits[1]
        full_end = int(end) if len(end) == 4 else (start // 100) * 100 + int(end[-2:])
        if full_end == start + 1 or (len(end) == 2 and full_end + 100 == start + 1):
            year = start + 1
    if year is None or not FIRST_SCHOOL_YEAR <= year <= LAST_SCHOOL_YEAR:
        return None
    return year


def level_meaning(text: str) -> Meaning:
    """A performance level's number: "3", "3.0", "Level 3" and "L3" are all level 3."""
    if not text:
        return BLANK
    match = re.fullmatch(r"(?:level|lvl|l|pl)?\s*(\d+)(?:\.0+)?", text.strip().lower())
    if match is None or not 1 <= int(match.group(1)) <= MAX_LEVEL:
        return Meaning(problem="Unknown performance level: use the level's number, 1 to 10.")
    return Meaning(number=int(match.group(1)))


def yes_no_meaning(text: str) -> Meaning:
    """Y or N (blank leaves the student's groups as they are)."""
    key = text.strip().lower()
    if not key:
        return BLANK
    if key in YES:
        return Meaning(code="Y")
    if key in NO:
        return Meaning(code="N")
    return Meaning(problem="Use Y or N.")


def period_meaning(text: str) -> Meaning:
    """The first day a measure value covers, from a date, a month, or a school year with a
    window or month ("2025-26 fall", "2026 March", "2025-26").

    ``code`` is the ISO date, ``number`` the school year, ``detail`` the window if any.
    """
    if not text:
        return Meaning(problem="The date (or school year) is missing.")
    day = _date(text)
    if day is not None:
        return _period(day, label=day.strftime("%-d %B %Y"))
    month = _month(text)
    if month is not None:
        return _period(month, label=month.strftime("%B %Y"))
    return _school_year_period(text)


def _period(day: dt.date, *, label: str, window: str = "") -> Meaning:
    year = school_year_of(day)
    if not FIRST_SCHOOL_YEAR <= year <= LAST_SCHOOL_YEAR:
        return Meaning(problem="This date is outside the school years LeadHub keeps.")
    return Meaning(code=day.isoformat(), number=year, detail=window, label=label)


def _date(text: str) -> dt.date | None:
    for pattern in ("%Y-%m-%d", "%m/%d/%Y", "%Y/%m/%d", "%m/%d/%y", "%d %B %Y", "%B %d, %Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    return None


def _month(text: str) -> dt.date | None:
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
    if iso and 1 <= int(iso.group(2)) <= 12:
        return dt.date(int(iso.group(1)), int(iso.group(2)), 1)
    named = re.fullmatch(r"([A-Za-z]+)\.?\s+(\d{4})", text)
    if named and named.group(1).lower() in MONTHS:
        return dt.date(int(named.group(2)), MONTHS[named.group(1).lower()], 1)
    return None


def _school_year_period(text: str) -> Meaning:
    words = text.split()
    year = school_year_number(words[0]) if words else None
    if year is None:
        return Meaning(
            problem="Unknown date or school year: write a date as 2025-09-01, or a school "
            "year as 2025-26 with a window or month."
        )
    first_day, _ = school_year_bounds(year)
    rest = " ".join(words[1:]).lower()
    # A value for a whole year sits where the annual state test does, as computed
    # measures chart it; a window's value where that window's results are charted.
    window = WINDOW_ALIASES.get(_key(rest)) if rest else Window.ANNUAL
    if window is not None:
        return _period(
            window_period_start(first_day, window),
            label=f"{Window(window).label} {school_year_label(year)}",
            window=window,
        )
    if rest in MONTHS:
        month = MONTHS[rest]
        start = dt.date(year - 1 if month >= FIRST_MONTH else year, month, 1)
        return _period(start, label=start.strftime("%B %Y"))
    return Meaning(problem="Unknown window or month: use fall, winter, spring, annual or a month.")
