"""The rule engine's front door: baselines, ordering, rule sets and the degenerate cases."""

from __future__ import annotations

import datetime as dt

import pytest

from leadhub.measures import models
from leadhub.measures.spc import Direction, Point, Rule, RuleSetName, analyse


def monthly(values: list[float]) -> list[Point]:
    """One point a month from September 2024, labelled like "Sep 2024"."""
    points = []
    for index, value in enumerate(values):
        year, month = divmod(8 + index, 12)
        day = dt.date(2024 + year, month + 1, 1)
        points.append(Point(label=f"{day:%b %Y}", date=day, value=value))
    return points


def test_rule_sets_and_directions_match_the_models_choices() -> None:
    assert {r.value for r in RuleSetName} == set(models.RuleSet.values)
    assert {d.value for d in Direction} == set(models.Direction.values)
    assert [r.is_control_chart for r in RuleSetName] == [False, False, True, True]


@pytest.mark.parametrize("rule_set", list(RuleSetName))
def test_no_points_says_there_is_nothing_to_read(rule_set) -> None:
    analysis = analyse([], rule_set=rule_set)
    assert analysis.points == () and analysis.signals == ()
    assert analysis.centre is None and analysis.limits_at(0) is None
    assert analysis.notes == ("No values yet, so there is nothing to read.",)


def test_one_point_is_too_few_for_an_xmr_chart() -> None:
    analysis = analyse(monthly([5]), rule_set=RuleSetName.XMR)
    assert analysis.centre is None and analysis.signals == ()
    assert analysis.notes == ("A control chart needs at least 2 points.",)


@pytest.mark.parametrize("rule_set", list(RuleSetName))
def test_all_equal_values_raise_no_signal(rule_set) -> None:
    analysis = analyse(monthly([7.0] * 12), rule_set=rule_set)
    assert analysis.centre == 7.0
    assert analysis.signals == ()
    assert analysis.useful_observations == 0
    assert analysis.notes  # every rule set says why there is nothing to see


def test_points_are_read_in_date_order_whatever_order_they_come_in() -> None:
    points = monthly([1, 2, 3, 4, 5, 4, 6, 2, 7, 3])
    analysis = analyse(list(reversed(points)), rule_set=RuleSetName.IHI)
    assert analysis.points == tuple(points)
    [trend] = [s for s in analysis.signals if s.rule is Rule.TREND]
    assert trend.point_indexes == (0, 1, 2, 3, 4)


def test_a_baseline_median_makes_later_improvement_a_shift() -> None:
    # Six baseline months around 40%, then six months of 45–50%: measured against the
    # baseline median, the later months are all above it.
    values = [38, 42, 40, 41, 39, 40, 45, 47, 46, 50, 48, 49]
    baseline = (dt.date(2024, 9, 1), dt.date(2025, 2, 28))
    analysis = analyse(
        monthly(values), rule_set=RuleSetName.IHI, baseline=baseline, unit_suffix="%"
    )
    assert analysis.baseline_indexes == (0, 1, 2, 3, 4, 5)
    assert analysis.centre == 40
    [shift] = [s for s in analysis.signals if s.rule is Rule.SHIFT]
    assert shift.point_indexes == (6, 7, 8, 9, 10, 11)
    assert "above the median of 40%" in shift.explanation
    # Without the baseline the median sits between the two halves.
    assert analyse(monthly(values), rule_set=RuleSetName.IHI).centre == 43.5


def test_a_baseline_mean_and_limits_for_a_control_chart() -> None:
    values = [10, 12, 10, 12, 10, 12, 20, 20]
    baseline = (dt.date(2024, 9, 1), dt.date(2025, 2, 1))
    analysis = analyse(monthly(values), rule_set=RuleSetName.XMR, baseline=baseline)
    assert analysis.centre == 11
    assert analysis.astronomical_indexes == {6, 7}


def test_the_baseline_includes_both_of_its_dates() -> None:
    analysis = analyse(
        monthly([1, 2, 3, 4, 5]),
        rule_set=RuleSetName.IHI,
        baseline=(dt.date(2024, 10, 1), dt.date(2024, 12, 1)),
    )
    assert analysis.baseline_indexes == (1, 2, 3)
    assert analysis.centre == 3


def test_a_baseline_with_too_few_points_falls_back_to_all_of_them_and_says_so() -> None:
    analysis = analyse(
        monthly([10, 12, 11, 13]),
        rule_set=RuleSetName.XMR,
        baseline=(dt.date(2024, 9, 1), dt.date(2024, 9, 30)),
    )
    assert analysis.baseline_indexes == (0, 1, 2, 3)
    assert analysis.centre == 11.5
    assert analysis.notes[0] == (
        "The baseline from 1 September 2024 to 30 September 2024 holds 1 point, too few "
        "to work from, so every point is used instead."
    )
    analysis = analyse(
        monthly([10, 12, 11, 13]),
        rule_set=RuleSetName.IHI,
        baseline=(dt.date(2030, 1, 1), dt.date(2030, 12, 31)),
    )
    assert analysis.baseline_indexes == (0, 1, 2, 3)
    assert analysis.notes[0].startswith("The baseline from 1 January 2030 to 31 December 2030 ")


def test_rule_sets_and_directions_can_be_given_as_the_stored_strings() -> None:
    analysis = analyse(monthly([1, 2, 3]), rule_set="anhoej", direction="down")
    assert analysis.rule_set is RuleSetName.ANHOEJ
    assert analysis.direction is Direction.DOWN
    with pytest.raises(ValueError):
        analyse(monthly([1, 2, 3]), rule_set="ihi", direction="sideways")
    with pytest.raises(ValueError):
        analyse(monthly([1, 2, 3]), rule_set="cusum")


def test_fewer_than_ten_points_is_said_never_passed_over_in_silence() -> None:
    for rule_set in (RuleSetName.IHI, RuleSetName.ANHOEJ):
        analysis = analyse(monthly([1, 9, 2, 8, 3, 7]), rule_set=rule_set)
        assert any(note.startswith("Fewer than 10 points") for note in analysis.notes)
