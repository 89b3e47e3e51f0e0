"""Control charts: XmR and p-chart limits worked by hand, and each Western Electric rule."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from leadhub.measures.spc import Point, Rule, RuleSetName, analyse


def monthly(values: list[float], counts: list[tuple[float, float]] | None = None) -> list[Point]:
    """One point a month from September 2024, labelled like "Sep 2024"."""
    points = []
    for index, value in enumerate(values):
        year, month = divmod(8 + index, 12)
        day = dt.date(2024 + year, month + 1, 1)
        numerator, denominator = counts[index] if counts else (None, None)
        points.append(Point(f"{day:%b %Y}", day, value, numerator, denominator))
    return points


def rules(analysis) -> list[Rule]:
    return [signal.rule for signal in analysis.signals]


# Twelve baseline months alternating 12 and 10: mean 11, every moving range 2, so
# sigma = 2 / 1.128 = 1.773 and the limits are 11 ± 2.66 × 2 = 5.68 and 16.32.
# One sigma reaches 12.77, two sigma 14.55.
BASELINE = [12, 10] * 6
BASELINE_PERIOD = (dt.date(2024, 9, 1), dt.date(2025, 8, 1))


def xmr(after: list[float], **options):
    return analyse(
        monthly(BASELINE + after),
        rule_set=RuleSetName.XMR,
        baseline=BASELINE_PERIOD,
        **options,
    )


def test_xmr_limits_on_a_series_worked_by_hand() -> None:
    # Mean 11.6; moving ranges 2, 1, 2, 1 average 1.5; limits 11.6 ± 3.99.
    analysis = analyse(monthly([10, 12, 11, 13, 12]), rule_set=RuleSetName.XMR)
    assert analysis.centre == pytest.approx(11.6)
    assert analysis.moving_range_mean == pytest.approx(1.5)
    assert analysis.lower_limit == pytest.approx(7.61)
    assert analysis.upper_limit == pytest.approx(15.59)
    assert analysis.limits_at(3) == (analysis.lower_limit, analysis.upper_limit)
    assert analysis.centre_name == "mean"
    assert analysis.signals == ()
    assert analysis.notes == (
        "The limits come from 5 points; they settle once there are 20 or more, so read "
        "them as trial limits.",
    )


def test_the_baseline_sets_the_limits_and_every_point_is_tested() -> None:
    analysis = xmr([11, 11.5, 10.5])
    assert analysis.baseline_indexes == tuple(range(12))
    assert analysis.centre == 11
    assert analysis.moving_range_mean == 2
    assert (analysis.lower_limit, analysis.upper_limit) == pytest.approx((5.68, 16.32))
    assert analysis.signals == ()


def test_we_rule_1_a_point_outside_the_limits_is_astronomical() -> None:
    analysis = xmr([11, 17, 11])
    assert rules(analysis) == [Rule.ASTRONOMICAL]
    [outside] = analysis.signals
    assert outside.point_indexes == (13,)
    assert analysis.astronomical_indexes == {13}
    assert outside.title == "Outside the upper limit"
    assert outside.favourable is True
    assert outside.explanation == (
        "1 point is above the upper control limit: Oct 2025 (17, limit 16.32); chance "
        "alone almost never puts a point there."
    )


def test_a_point_below_the_lower_limit_is_bad_news_when_higher_is_better() -> None:
    analysis = xmr([11, 5, 11])
    [outside] = analysis.signals
    assert outside.title == "Outside the lower limit"
    assert outside.favourable is False
    assert xmr([11, 5, 11], direction="down").signals[0].favourable is True


def test_we_rule_2_two_of_three_beyond_two_sigma() -> None:
    analysis = xmr([15, 12, 15, 11])
    assert rules(analysis) == [Rule.WE_2_OF_3_BEYOND_2SIGMA]
    [signal] = analysis.signals
    assert signal.point_indexes == (12, 14)
    assert signal.explanation == (
        "Between Sep 2025 and Nov 2025, 2 points are more than two standard deviations "
        "above the mean of 11, at least 2 of them within 3 points in a row; chance "
        "rarely does that."
    )


def test_we_rule_2_needs_the_two_within_three_points() -> None:
    assert rules(xmr([15, 12, 11, 15, 11])) == []


def test_we_rule_2_needs_both_on_the_same_side() -> None:
    assert rules(xmr([15, 7, 11])) == []


def test_we_rule_3_four_of_five_beyond_one_sigma() -> None:
    analysis = xmr([7, 9, 11, 9, 9, 11])
    assert rules(analysis) == [Rule.WE_4_OF_5_BEYOND_1SIGMA]
    [signal] = analysis.signals
    assert signal.point_indexes == (12, 13, 15, 16)
    assert signal.title == "4 of 5 points far below the mean"
    assert signal.favourable is False


def test_we_rule_3_three_of_five_is_not_enough() -> None:
    assert rules(xmr([9, 9, 11, 9, 11, 9])) == []


def test_we_rule_4_eight_in_a_row_on_one_side() -> None:
    analysis = xmr([11.5] * 8 + [10.5])
    assert rules(analysis) == [Rule.WE_8_ONE_SIDE]
    [signal] = analysis.signals
    assert signal.point_indexes == tuple(range(12, 20))
    assert signal.title == "8 in a row above the mean"
    assert signal.explanation == (
        "8 points in a row, from Sep 2025 to Apr 2026, are above the mean of 11; 8 or "
        "more in a row rarely happen by chance."
    )


def test_we_rule_4_seven_in_a_row_or_a_point_on_the_mean_is_not_enough() -> None:
    assert rules(xmr([11.5] * 7 + [10.5])) == []
    assert rules(xmr([11.5] * 4 + [11] + [11.5] * 4)) == []


def test_a_large_shift_sets_off_every_rule_at_once() -> None:
    analysis = xmr([18] * 8)
    assert set(rules(analysis)) == set(Rule) - {
        Rule.SHIFT,
        Rule.TREND,
        Rule.TOO_FEW_RUNS,
        Rule.TOO_MANY_RUNS,
        Rule.ANHOEJ_LONGEST_RUN,
        Rule.ANHOEJ_CROSSINGS,
    }
    assert all(signal.favourable for signal in analysis.signals)


def test_an_explanation_names_three_points_outside_then_counts_the_rest() -> None:
    analysis = xmr([18] * 5)
    [outside] = [s for s in analysis.signals if s.rule is Rule.ASTRONOMICAL]
    assert outside.explanation.startswith(
        "5 points are above the upper control limit: Sep 2025 (18, limit 16.32), "
        "Oct 2025 (18, limit 16.32), Nov 2025 (18, limit 16.32) and 2 more;"
    )


# p-chart: a baseline of 60 successes in 300 gives p-bar = 20%.
P_COUNTS = [(20.0, 100.0), (5.0, 25.0), (80.0, 400.0), (10.0, 25.0), (160.0, 400.0)]


def p_chart(counts=P_COUNTS, **options):
    values = [100 * numerator / denominator for numerator, denominator in counts]
    return analyse(
        monthly(values, counts),
        rule_set=RuleSetName.P_CHART,
        baseline=(dt.date(2024, 9, 1), dt.date(2024, 11, 1)),
        unit_suffix="%",
        **options,
    )


def test_p_chart_limits_vary_with_each_denominator() -> None:
    analysis = p_chart()
    # p-bar = (20 + 5 + 80) / (100 + 25 + 400) = 105 / 525 = 20%.
    assert analysis.centre == pytest.approx(20.0)
    # n = 100: 20% ± 3 × √(0.2 × 0.8 / 100) = 20% ± 12%.
    assert analysis.limits_at(0) == pytest.approx((8.0, 32.0))
    # n = 25: 20% ± 24%, clipped at 0%.
    assert analysis.limits_at(1) == pytest.approx((0.0, 44.0))
    # n = 400: 20% ± 6%.
    assert analysis.limits_at(2) == pytest.approx((14.0, 26.0))
    assert isinstance(analysis.upper_limit, tuple) and len(analysis.upper_limit) == 5


def test_p_chart_the_same_share_is_usual_for_a_small_group_and_astronomical_for_a_large() -> None:
    analysis = p_chart()
    # 40% of 25 is inside 0–44%; 40% of 400 is far beyond 26%.
    assert analysis.astronomical_indexes == {4}
    [outside] = [s for s in analysis.signals if s.rule is Rule.ASTRONOMICAL]
    assert "Jan 2025 (40%, limit 26%)" in outside.explanation


def test_p_chart_limits_are_clipped_to_one_hundred_percent() -> None:
    analysis = p_chart([(9.0, 10.0), (8.0, 10.0), (10.0, 10.0)])
    assert analysis.centre == pytest.approx(90.0)
    spread = 3 * math.sqrt(0.9 * 0.1 / 10)
    assert 0.9 + spread > 1
    assert analysis.limits_at(0) == pytest.approx((100 * (0.9 - spread), 100.0))


def test_p_chart_of_plain_shares() -> None:
    counts = [(20.0, 100.0), (30.0, 100.0)]
    points = monthly([n / d for n, d in counts], counts)
    analysis = analyse(points, rule_set="p", p_scale=1)
    assert analysis.centre == pytest.approx(0.25)
    assert analysis.limits_at(0) == pytest.approx(
        (0.25 - 3 * math.sqrt(0.25 * 0.75 / 100), 0.25 + 3 * math.sqrt(0.25 * 0.75 / 100))
    )


def test_p_chart_western_electric_zones_follow_each_points_sigma() -> None:
    # Two of three beyond two sigma: 30% of 400 is 2.5 standard errors (2%) above 25%,
    # while 30% of 25 is within one (8.7%).
    counts = [(25.0, 100.0)] * 3 + [(120.0, 400.0), (7.5, 25.0), (120.0, 400.0)]
    analysis = p_chart(counts)
    assert analysis.centre == pytest.approx(25.0)
    assert rules(analysis) == [Rule.WE_2_OF_3_BEYOND_2SIGMA]
    assert analysis.signals[0].point_indexes == (3, 5)


def test_a_p_chart_without_denominators_is_read_as_xmr_and_says_so() -> None:
    points = monthly([10, 12, 11, 13, 12])
    analysis = analyse(points, rule_set=RuleSetName.P_CHART)
    assert analysis.rule_set is RuleSetName.XMR
    assert analysis.upper_limit == pytest.approx(15.59)
    assert analysis.notes[0] == (
        "A p-chart needs a numerator and a denominator for every point, and some points "
        "have none, so this is an XmR chart instead."
    )


def test_a_zero_denominator_counts_as_missing() -> None:
    counts = [(1.0, 10.0), (0.0, 0.0)]
    analysis = analyse(monthly([10, 0], counts), rule_set="p")
    assert analysis.rule_set is RuleSetName.XMR


def test_a_flat_baseline_puts_the_limits_on_the_mean() -> None:
    analysis = analyse(
        monthly([50.0] * 6 + [51.0]),
        rule_set=RuleSetName.XMR,
        baseline=(dt.date(2024, 9, 1), dt.date(2025, 2, 1)),
    )
    assert (analysis.lower_limit, analysis.centre, analysis.upper_limit) == (50, 50, 50)
    assert analysis.astronomical_indexes == {6}
    assert (
        "Every baseline value is the same, so the limits sit on the mean and any "
        "different value falls outside them."
    ) in analysis.notes


def test_twenty_baseline_points_are_steady_limits() -> None:
    analysis = analyse(monthly([10, 12] * 10), rule_set=RuleSetName.XMR)
    assert analysis.notes == ()
