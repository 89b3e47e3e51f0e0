"""Mapping guesses from header names, and what the vocabulary cells mean."""

from __future__ import annotations

import pytest

from leadhub.imports import values
from leadhub.imports.kinds import ASSESSMENT_RESULTS, MEASURE_VALUES, mapping_guess


def test_the_mapping_is_guessed_from_the_header_names_people_use() -> None:
    headers = [
        "Last Name",
        "State Student ID",
        "School Code",
        "Test",
        "Content Area",
        "Grade Level",
        "School Year",
        "Season",
        "Scale Score",
        "Perf Level",
        "ELL",
        "IEP",
        "FRL",
    ]
    assert mapping_guess(ASSESSMENT_RESULTS, headers) == {
        "student": 1,
        "school": 2,
        "assessment": 3,
        "subject": 4,
        "grade": 5,
        "school_year": 6,
        "window": 7,
        "scale_score": 8,
        "performance_level": 9,
        "el": 10,
        "swd": 11,
        "low_income": 12,
    }


@pytest.mark.parametrize("header", ["SSID", "student_id", "STATE_STUDENT_ID", "SASID"])
def test_common_names_of_the_student_identifier_are_recognised(header: str) -> None:
    assert mapping_guess(ASSESSMENT_RESULTS, [header, "Score"]) == {
        "student": 0,
        "scale_score": 1,
    }


def test_the_closest_name_wins_and_names_of_people_are_never_guessed() -> None:
    guessed = mapping_guess(ASSESSMENT_RESULTS, ["Student Name", "Score", "Scale Score"])
    assert guessed == {"scale_score": 2}
    assert mapping_guess(MEASURE_VALUES, ["School", "Measure", "Date", "Value"]) == {
        "school": 0,
        "measure": 1,
        "period": 2,
        "value": 3,
    }


@pytest.mark.parametrize(
    ("text", "year"),
    [("2025-26", 2026), ("2025–2026", 2026), ("SY2026", 2026), ("2026", 2026), ("1999-00", 2000)],
)
def test_school_years_are_read_in_their_usual_spellings(text: str, year: int) -> None:
    assert values.school_year_meaning(text).number == year


@pytest.mark.parametrize("text", ["2025-27", "26", "next year", "1800"])
def test_a_school_year_that_is_not_one_is_a_problem(text: str) -> None:
    assert values.school_year_meaning(text).problem.startswith("Unknown school year")


@pytest.mark.parametrize(
    ("text", "code"),
    [("3", "03"), ("03", "03"), ("Grade 3", "03"), ("K", "KG"), ("Pre-K", "PK"), ("12", "12")],
)
def test_grades(text: str, code: str) -> None:
    assert values.grade_meaning(text).code == code


def test_windows_subjects_and_levels() -> None:
    assert values.window_meaning("Fall").code == "fall"
    assert values.window_meaning("EOY").code == "spring"
    assert values.window_meaning("Summer").problem
    assert values.subject_meaning("Mathematics").code == "math"
    assert values.subject_meaning("Reading").code == "ela"
    assert values.subject_meaning("Art").problem
    assert values.level_meaning("Level 3").number == 3
    assert values.level_meaning("4.0").number == 4
    assert values.level_meaning("").number is None
    assert values.level_meaning("Proficient").problem
    assert values.level_meaning("11").problem


def test_yes_no_columns() -> None:
    assert [values.yes_no_meaning(t).code for t in ("Y", "yes", "1", "TRUE", "N", "0", "")] == [
        "Y",
        "Y",
        "Y",
        "Y",
        "N",
        "N",
        "",
    ]
    assert values.yes_no_meaning("maybe").problem == "Use Y or N."


@pytest.mark.parametrize(
    ("text", "start", "year", "window", "label"),
    [
        ("2025-09-01", "2025-09-01", 2026, "", "1 September 2025"),
        ("9/15/2025", "2025-09-15", 2026, "", "15 September 2025"),
        ("2026-03", "2026-03-01", 2026, "", "March 2026"),
        ("March 2026", "2026-03-01", 2026, "", "March 2026"),
        ("2025-26 fall", "2025-08-30", 2026, "fall", "Fall 2025–26"),
        ("2025-26 Winter", "2025-11-28", 2026, "winter", "Winter 2025–26"),
        ("2025-26", "2026-05-27", 2026, "annual", "Annual 2025–26"),
        ("2025-26 October", "2025-10-01", 2026, "", "October 2025"),
    ],
)
def test_periods_come_from_dates_months_or_a_school_year_with_a_window(
    text: str, start: str, year: int, window: str, label: str
) -> None:
    meaning = values.period_meaning(text)
    assert (meaning.code, meaning.number, meaning.detail, meaning.label) == (
        start,
        year,
        window,
        label,
    )


def test_a_period_that_is_not_one_is_a_problem() -> None:
    assert values.period_meaning("").problem
    assert values.period_meaning("2025-26 someday").problem.startswith("Unknown window")
    assert values.period_meaning("soon").problem.startswith("Unknown date")
