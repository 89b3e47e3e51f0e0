"""School years are named by their ending year: 2026 is the 2025–26 school year.

The rule for which school year is current, summer included: a school year runs
from 1 July to 30 June, so from 1 July on, the coming year is the current one
(planning for it starts over the summer). This matches the state fiscal year.
"""

from __future__ import annotations

import datetime as dt

FIRST_MONTH = 7


def school_year_of(day: dt.date) -> int:
    return day.year + 1 if day.month >= FIRST_MONTH else day.year


def school_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year - 1, FIRST_MONTH, 1), dt.date(year, FIRST_MONTH - 1, 30)


def school_year_label(year: int) -> str:
    return f"{year - 1}–{str(year)[-2:]}"
