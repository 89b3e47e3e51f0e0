"""The SMARTe checker on plain drafts: each criterion passes, fails for each reason, and
says "cannot check" where it cannot."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from leadhub.plans.smarte import (
    Criterion,
    GoalDraft,
    Verdict,
    YearlyHistory,
    check_goal,
    joins_two_results,
)

# Baseline Oct 1 2025, deadline Oct 1 2026 (one year less a quarter day): 31 -> 38 asks
# for almost exactly 7 points a year.
GOOD = GoalDraft(
    outcome="More English learners in grade 3 read on grade level",
    measure_name="Grade 3 reading proficiency",
    direction="up",
    unit="percent",
    student_group_label="English learners",
    baseline_value=31.0,
    baseline_date=dt.date(2025, 10, 1),
    target_value=38.0,
    deadline=dt.date(2026, 6, 1),
    need_label="English learners in grade 3 read below grade level",
    serves_label="Strong core reading",
    district_has_strategies=True,
    plan_start=dt.date(2025, 7, 1),
    plan_end=dt.date(2026, 6, 30),
    history=YearlyHistory(
        school_largest=12.0, school_changes=3, similar_largest=8.0, similar_schools=4
    ),
)


def verdict(draft: GoalDraft, criterion: Criterion) -> Verdict:
    return check_goal(draft).for_criterion(criterion).verdict


def message(draft: GoalDraft, criterion: Criterion) -> str:
    return check_goal(draft).for_criterion(criterion).message


def test_a_complete_goal_meets_every_criterion_in_order() -> None:
    report = check_goal(GOOD)
    assert [c.criterion for c in report.checks] == list(Criterion)
    assert [c.verdict for c in report.checks] == [Verdict.MET] * 6
    assert report.ready and report.gaps == ()


def test_labels_and_questions_are_plain_words() -> None:
    assert [c.label for c in Criterion] == [
        "Specific",
        "Measurable",
        "Achievable",
        "Relevant",
        "Time-bound",
        "Equitable",
    ]
    assert all(c.question.endswith("?") for c in Criterion)
    assert [v.label for v in Verdict] == ["Met", "Missing", "Cannot check"]


# Specific ------------------------------------------------------------------------------


def test_specific_names_the_population() -> None:
    assert "English learners" in message(GOOD, Criterion.SPECIFIC)
    everyone = replace(GOOD, student_group_label="")
    assert verdict(everyone, Criterion.SPECIFIC) == Verdict.MET
    assert "all students" in message(everyone, Criterion.SPECIFIC)


@pytest.mark.parametrize(
    "outcome",
    [
        "",
        "   ",
        "Raise reading proficiency. Cut chronic absence.",
        "Raise reading proficiency; cut chronic absence",
        "Raise reading proficiency and also attendance",
        "Raise reading proficiency as well as attendance",
        "Increase reading proficiency and reduce chronic absence",
        "Reading scores will rise and absences will drop",
        "Improve math scores, and lower the number of referrals",
    ],
)
def test_specific_fails_without_one_outcome(outcome: str) -> None:
    draft = replace(GOOD, outcome=outcome)
    assert verdict(draft, Criterion.SPECIFIC) == Verdict.GAP
    assert not check_goal(draft).ready


@pytest.mark.parametrize(
    "outcome",
    [
        "More students read and write on grade level",
        "Increase the share of students at or above grade level in reading and writing",
        "Raise the fall and spring benchmark results in grade 3",
        "Fall and spring reading scores rise",
        "Reduce chronic absence among students in grades K and 1",
        "Gr. 3 students read on grade level by spring.",
        "Close the gap between English learners and their classmates",
    ],
)
def test_specific_keeps_one_outcome_with_and_inside_it(outcome: str) -> None:
    assert joins_two_results(outcome) == ""
    assert verdict(replace(GOOD, outcome=outcome), Criterion.SPECIFIC) == Verdict.MET


def test_specific_says_why_and_how_to_fix() -> None:
    text = message(replace(GOOD, outcome="Raise reading; cut absence"), Criterion.SPECIFIC)
    assert "semicolon" in text and "separate goal" in text
    assert "Write the one result" in message(replace(GOOD, outcome=""), Criterion.SPECIFIC)


# Measurable ----------------------------------------------------------------------------


def test_measurable_says_what_is_there() -> None:
    text = message(GOOD, Criterion.MEASURABLE)
    assert "Grade 3 reading proficiency" in text
    assert "31%" in text and "38%" in text and "October 1, 2025" in text


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"measure_name": ""}, "Add a measure."),
        ({"baseline_value": None}, "Add a baseline value."),
        ({"baseline_date": None}, "Add the baseline date."),
        ({"target_value": None}, "Add a target."),
        (
            {"measure_name": "", "baseline_date": None, "target_value": None},
            "Add a measure, the baseline date and a target.",
        ),
    ],
)
def test_measurable_lists_exactly_what_is_missing(changes: dict, expected: str) -> None:
    draft = replace(GOOD, **changes)
    assert verdict(draft, Criterion.MEASURABLE) == Verdict.GAP
    assert message(draft, Criterion.MEASURABLE) == expected


# Achievable ----------------------------------------------------------------------------


def test_achievable_compares_with_the_schools_own_history() -> None:
    draft = replace(GOOD, deadline=dt.date(2026, 10, 1), plan_end=dt.date(2027, 6, 30))
    text = message(draft, Criterion.ACHIEVABLE)
    assert verdict(draft, Criterion.ACHIEVABLE) == Verdict.MET
    assert "7.0 percentage points a year" in text
    assert "this school's largest yearly gain in the past three years was 12.0" in text


def test_achievable_passes_on_similar_schools_history_alone() -> None:
    history = YearlyHistory(
        school_largest=2.0, school_changes=3, similar_largest=11.0, similar_schools=3
    )
    draft = replace(GOOD, history=history)
    assert verdict(draft, Criterion.ACHIEVABLE) == Verdict.MET
    assert "3 similar schools was 11.0" in message(draft, Criterion.ACHIEVABLE)


def test_achievable_fails_when_more_than_history_shows() -> None:
    history = YearlyHistory(
        school_largest=3.0, school_changes=3, similar_largest=4.0, similar_schools=2
    )
    draft = replace(GOOD, history=history)
    assert verdict(draft, Criterion.ACHIEVABLE) == Verdict.GAP
    text = message(draft, Criterion.ACHIEVABLE)
    assert "more than history shows" in text and "Why this is achievable" in text
    assert not check_goal(draft).ready


def test_a_stretch_explained_by_a_note_is_met_and_says_so() -> None:
    history = YearlyHistory(
        school_largest=3.0, school_changes=3, similar_largest=None, similar_schools=0
    )
    draft = replace(GOOD, history=history, achievability_note="A new reading coach starts.")
    assert verdict(draft, Criterion.ACHIEVABLE) == Verdict.MET
    assert message(draft, Criterion.ACHIEVABLE).startswith("A stretch")


def test_achievable_fails_when_the_target_is_no_improvement() -> None:
    for target in (31.0, 25.0):
        draft = replace(GOOD, target_value=target)
        assert verdict(draft, Criterion.ACHIEVABLE) == Verdict.GAP
        assert "not an improvement on the baseline" in message(draft, Criterion.ACHIEVABLE)


@pytest.mark.parametrize(
    ("changes", "names"),
    [
        ({"baseline_value": None}, "a baseline value"),
        ({"deadline": None}, "a deadline"),
        ({"measure_name": "", "target_value": None}, "a measure and a target"),
    ],
)
def test_achievable_cannot_check_without_the_measurable_pieces(changes: dict, names: str) -> None:
    draft = replace(GOOD, **changes)
    check = check_goal(draft).for_criterion(Criterion.ACHIEVABLE)
    assert check.verdict == Verdict.CANNOT_CHECK
    assert names in check.message


@pytest.mark.parametrize(
    "history",
    [
        None,
        YearlyHistory(
            school_largest=None, school_changes=0, similar_largest=None, similar_schools=0
        ),
    ],
)
def test_achievable_cannot_check_without_history_never_passes_silently(
    history: YearlyHistory | None,
) -> None:
    draft = replace(GOOD, history=history)
    check = check_goal(draft).for_criterion(Criterion.ACHIEVABLE)
    assert check.verdict == Verdict.CANNOT_CHECK
    assert check.message.startswith("No yearly results on this measure")
    # "Cannot check" does not block the goal.
    assert check_goal(draft).ready


def test_achievable_cannot_check_when_the_deadline_precedes_the_baseline() -> None:
    draft = replace(GOOD, deadline=dt.date(2025, 9, 1))
    assert verdict(draft, Criterion.ACHIEVABLE) == Verdict.CANNOT_CHECK


def test_a_goal_due_within_days_is_judged_as_if_it_had_a_month() -> None:
    draft = replace(GOOD, deadline=dt.date(2025, 10, 3), target_value=31.5)
    # 0.5 over a twelfth of a year is 6.0 a year, within the school's 12.0.
    assert verdict(draft, Criterion.ACHIEVABLE) == Verdict.MET
    assert "6.0 percentage points a year" in message(draft, Criterion.ACHIEVABLE)


def test_lower_is_better_measures_improve_downwards() -> None:
    absence = replace(
        GOOD,
        outcome="Fewer students are chronically absent",
        measure_name="Chronic absence",
        direction="down",
        baseline_value=22.0,
        target_value=16.0,
        deadline=dt.date(2026, 10, 1),
        plan_end=dt.date(2027, 6, 30),
        history=YearlyHistory(
            school_largest=6.5, school_changes=2, similar_largest=None, similar_schools=0
        ),
    )
    assert check_goal(absence).ready
    assert "6.0 percentage points a year" in message(absence, Criterion.ACHIEVABLE)
    worse = replace(absence, target_value=25.0)
    assert verdict(worse, Criterion.ACHIEVABLE) == Verdict.GAP
    assert "lower is better" in message(worse, Criterion.ACHIEVABLE)
    too_fast = replace(absence, target_value=10.0)
    assert verdict(too_fast, Criterion.ACHIEVABLE) == Verdict.GAP


# Relevant ------------------------------------------------------------------------------


def test_relevant_fails_without_a_need() -> None:
    draft = replace(GOOD, need_label="")
    assert verdict(draft, Criterion.RELEVANT) == Verdict.GAP
    assert "need" in message(draft, Criterion.RELEVANT)


def test_relevant_fails_without_a_strategy_when_the_district_has_some() -> None:
    draft = replace(GOOD, serves_label="")
    assert verdict(draft, Criterion.RELEVANT) == Verdict.GAP
    assert "Name the district strategy it serves" in message(draft, Criterion.RELEVANT)


def test_relevant_needs_no_strategy_when_the_district_has_none() -> None:
    draft = replace(GOOD, serves_label="", district_has_strategies=False)
    assert verdict(draft, Criterion.RELEVANT) == Verdict.MET
    assert "no strategies" in message(draft, Criterion.RELEVANT)
    assert "Strong core reading" in message(GOOD, Criterion.RELEVANT)


def test_an_aim_is_relevant_to_the_systems_analysis() -> None:
    aim = replace(GOOD, serves_label="", district_has_strategies=False, aim=True)
    assert verdict(aim, Criterion.RELEVANT) == Verdict.MET
    assert "systems analysis" in message(aim, Criterion.RELEVANT)
    assert verdict(replace(aim, need_label=""), Criterion.RELEVANT) == Verdict.GAP


# Time-bound ----------------------------------------------------------------------------


def test_time_bound_fails_without_a_deadline() -> None:
    draft = replace(GOOD, deadline=None)
    assert verdict(draft, Criterion.TIME_BOUND) == Verdict.GAP
    assert message(draft, Criterion.TIME_BOUND) == "Add a deadline."


@pytest.mark.parametrize("deadline", [dt.date(2026, 7, 1), dt.date(2025, 6, 30)])
def test_time_bound_fails_outside_the_plans_years(deadline: dt.date) -> None:
    draft = replace(GOOD, deadline=deadline)
    assert verdict(draft, Criterion.TIME_BOUND) == Verdict.GAP
    assert "outside the plan's years" in message(draft, Criterion.TIME_BOUND)


@pytest.mark.parametrize("deadline", [dt.date(2025, 10, 1), dt.date(2025, 9, 1)])
def test_time_bound_fails_on_or_before_the_baseline_date(deadline: dt.date) -> None:
    draft = replace(GOOD, deadline=deadline)
    assert verdict(draft, Criterion.TIME_BOUND) == Verdict.GAP
    assert "after the baseline date" in message(draft, Criterion.TIME_BOUND)


def test_time_bound_accepts_the_plans_last_day() -> None:
    draft = replace(GOOD, deadline=dt.date(2026, 6, 30))
    assert verdict(draft, Criterion.TIME_BOUND) == Verdict.MET
    assert "June 30, 2026" in message(draft, Criterion.TIME_BOUND)


# Equitable -----------------------------------------------------------------------------


def test_equitable_names_the_group() -> None:
    assert message(GOOD, Criterion.EQUITABLE) == "Closes the gap for English learners."


def test_equitable_fails_for_all_students() -> None:
    draft = replace(GOOD, student_group_label="")
    assert verdict(draft, Criterion.EQUITABLE) == Verdict.GAP
    assert message(draft, Criterion.EQUITABLE) == (
        "Name the student group whose gap this goal closes."
    )
    assert [c.criterion for c in check_goal(draft).gaps] == [Criterion.EQUITABLE]


def test_achievable_compares_the_figures_it_shows() -> None:
    # 7 points from Oct 1 2025 to Oct 1 2026 is 7.005 a year, shown as 7.0.
    history = YearlyHistory(
        school_largest=7.0, school_changes=3, similar_largest=None, similar_schools=0
    )
    draft = replace(
        GOOD, deadline=dt.date(2026, 10, 1), plan_end=dt.date(2027, 6, 30), history=history
    )
    assert verdict(draft, Criterion.ACHIEVABLE) == Verdict.MET
    assert verdict(replace(draft, target_value=38.2), Criterion.ACHIEVABLE) == Verdict.GAP
