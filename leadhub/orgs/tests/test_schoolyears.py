from __future__ import annotations

import datetime as dt

import pytest

from leadhub.orgs.schoolyears import school_year_bounds, school_year_label, school_year_of


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (dt.date(2025, 9, 2), 2026),
        (dt.date(2026, 3, 15), 2026),
        (dt.date(2026, 6, 30), 2026),
        # Summer belongs to the coming year: planning for it starts on 1 July.
        (dt.date(2026, 7, 1), 2027),
        (dt.date(2026, 11, 22), 2027),
    ],
)
def test_the_current_school_year_turns_over_on_the_first_of_july(day: dt.date, year: int) -> None:
    assert school_year_of(day) == year


def test_a_school_year_is_named_by_its_ending_year() -> None:
    assert school_year_label(2026) == "2025–26"
    assert school_year_bounds(2026) == (dt.date(2025, 7, 1), dt.date(2026, 6, 30))
