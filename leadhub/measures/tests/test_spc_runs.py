"""Run charts: the IHI rules and the Anhøj rules, each on a worked example."""

from __future__ import annotations

import datetime as dt

import pytest

from leadhub.measures.spc import Point, Rule, RuleSetName, analyse


def monthly(values: list[float]) -> list[Point]:
    """One point a month from September 2024, labelled like "Sep 2024"."""
    points = []
    for index, value in enumerate(values):
        year, month = divmod(8 + index, 12)
        day = dt.date(2024 + year, month + 1, 1)
        points.append(Point(label=f"{day:%b %Y}", date=day, value=value))
    return points


def sided(pattern: str) -> list[float]:
    """Values from a pattern of sides: "L" below 5, "H" above, "M" exactly 5.

    The lows cycle 1, 3, 2, 4 and the highs 8, 6, 9, 7, so as many Ls as Hs put the
    median at 5, and the zigzag within each side never makes a trend.
    """
    lows, highs = [1, 3, 2, 4], [8, 6, 9, 7]
    values: list[float] = []
    for side in pattern:
        if side == "L":
            values.append(lows[pattern[: len(values)].count("L") % 4])
        elif side == "H":
            values.append(highs[pattern[: len(values)].count("H") % 4])
        else:
            values.append(5)
    return values


def rules(analysis) -> list[Rule]:
    return [signal.rule for signal in analysis.signals]


def ihi(values: list[float], **options):
    return analyse(monthly(values), rule_set=RuleSetName.IHI, **options)


def anhoej(values: list[float], **options):
    return analyse(monthly(values), rule_set=RuleSetName.ANHOEJ, **options)


# Twelve points around a median of 5 with no pattern.
QUIET = [4, 6, 5.5, 3, 7, 4.5, 6, 3.5, 4, 6.5, 7, 4.5]


def test_a_quiet_series_has_no_signals_and_its_runs_are_counted() -> None:
    analysis = ihi(QUIET)
    assert analysis.centre == 5.0
    assert analysis.useful_observations == 12
    # Below, above ×2, below, above, below, above, below ×2, above ×2, below.
    assert (analysis.runs, analysis.crossings, analysis.longest_run) == (9, 8, 2)
    assert analysis.runs_range == (3, 11)
    assert analysis.signals == ()


SHIFT = [3, 2, 7, 4, 1, 8, 9, 6, 7, 8, 6, 2, 4, 3]


def test_a_shift_is_six_points_in_a_row_on_one_side_of_the_median() -> None:
    analysis = ihi(SHIFT)
    assert analysis.centre == 5
    assert rules(analysis) == [Rule.SHIFT]
    [shift] = analysis.signals
    assert shift.point_indexes == (5, 6, 7, 8, 9, 10)
    assert shift.favourable is True
    assert shift.title == "Shift above the median"
    assert shift.explanation == (
        "6 points in a row, from Feb 2025 to Jul 2025, are above the median of 5; "
        "6 or more in a row rarely happen by chance."
    )


def test_five_in_a_row_is_not_a_shift() -> None:
    analysis = ihi([3, 2, 7, 4, 1, 8, 9, 6, 7, 8, 2, 6, 4, 3])
    assert analysis.centre == 5
    assert analysis.longest_run == 5
    assert rules(analysis) == []


def test_points_on_the_median_neither_make_nor_break_a_shift() -> None:
    # Median 5: the run above is 6, 7, (5), 8, 6, 9, 7 — six points off the median, one on it.
    analysis = ihi([2, 3, 1, 4, 6, 7, 5, 8, 6, 9, 7, 3, 2, 5, 5])
    assert analysis.centre == 5
    assert analysis.useful_observations == 12
    [shift] = [s for s in analysis.signals if s.rule is Rule.SHIFT]
    assert shift.point_indexes == (4, 5, 7, 8, 9, 10)


def test_a_shift_on_the_worse_side_is_unfavourable() -> None:
    analysis = ihi(SHIFT, direction="down")
    [shift] = [s for s in analysis.signals if s.rule is Rule.SHIFT]
    assert shift.favourable is False


def test_a_trend_is_five_points_each_going_the_same_way() -> None:
    analysis = ihi([5, 3, 6, 2, 4, 5, 6, 7, 8, 3, 6, 4])
    [trend] = [s for s in analysis.signals if s.rule is Rule.TREND]
    assert trend.point_indexes == (3, 4, 5, 6, 7, 8)
    assert trend.title == "Trend upward"
    assert trend.favourable is True
    assert trend.explanation == (
        "6 points in a row each went up, from 2 in Dec 2024 to 8 in May 2025; "
        "5 or more in a row rarely happen by chance."
    )


def test_equal_values_neither_make_nor_break_a_trend() -> None:
    # 9, 8, 8, 7, 6, 6, 5: five distinct falling values, the repeats skipped.
    analysis = ihi([4, 6, 9, 8, 8, 7, 6, 6, 5, 7, 3, 6], direction="down")
    [trend] = [s for s in analysis.signals if s.rule is Rule.TREND]
    assert trend.point_indexes == (2, 3, 4, 5, 6, 7, 8)
    assert trend.title == "Trend downward"
    assert trend.favourable is True  # lower is better
    assert "5 points in a row each went down (not counting 2 repeated values)" in (
        trend.explanation
    )


def test_four_rises_with_a_repeat_are_not_a_trend() -> None:
    # 3, 4, 4, 5, 6: only four distinct values, so no trend however many points.
    analysis = ihi([7, 3, 4, 4, 5, 6, 2, 7, 3, 8, 4, 6])
    assert Rule.TREND not in rules(analysis)


def test_a_turning_point_can_end_one_trend_and_start_the_next() -> None:
    analysis = ihi([1, 2, 3, 4, 5, 4, 3, 2, 1, 2, 1, 2])
    trends = [s for s in analysis.signals if s.rule is Rule.TREND]
    assert [t.point_indexes for t in trends] == [(0, 1, 2, 3, 4), (4, 5, 6, 7, 8)]
    assert [t.favourable for t in trends] == [True, False]


def test_too_few_runs_against_the_published_limits() -> None:
    # 20 points in 5 runs: the table gives 6 to 16 runs for 20 useful observations.
    analysis = ihi(sided("LLLHHHHHLLLLHHHHHLLL"))
    assert (analysis.useful_observations, analysis.runs) == (20, 5)
    assert analysis.runs_range == (6, 16)
    assert rules(analysis) == [Rule.TOO_FEW_RUNS]
    [few] = analysis.signals
    assert few.favourable is None and few.point_indexes == ()
    assert few.explanation == (
        "The series stays on one side of the median for long stretches: 5 runs, "
        "where for 20 points off the median, chance gives 6 to 16 runs."
    )


def test_six_runs_in_twenty_points_is_within_the_limits() -> None:
    analysis = ihi(sided("LLLHHHHHLLLLHHHHLLLH"))
    assert analysis.runs == 6
    assert rules(analysis) == []


def test_too_many_runs_when_the_series_zigzags() -> None:
    analysis = ihi([3, 7] * 10)
    assert (analysis.useful_observations, analysis.runs) == (20, 20)
    assert rules(analysis) == [Rule.TOO_MANY_RUNS]
    assert analysis.signals[0].explanation == (
        "The series zigzags across the median more than chance would: 20 runs, where "
        "for 20 points off the median, chance gives 6 to 16 runs."
    )


def test_seventeen_runs_in_twenty_points_are_too_many_and_sixteen_are_not() -> None:
    analysis = ihi(sided("LHLHLHLHLHLHLHHLHHLL"))
    assert analysis.runs == 17
    assert rules(analysis) == [Rule.TOO_MANY_RUNS]
    analysis = ihi(sided("LHLHLHLHLHLHLLHHLLHH"))
    assert analysis.runs == 16
    assert rules(analysis) == []


def test_runs_are_not_counted_with_fewer_than_ten_useful_points() -> None:
    analysis = ihi([3, 7, 3, 7, 3, 7, 3, 7, 5])
    assert (analysis.useful_observations, analysis.runs) == (8, 8)
    assert analysis.runs_range is None
    assert rules(analysis) == []
    assert analysis.notes[0] == (
        "Fewer than 10 points: the rule on the number of runs needs at least 10 points "
        "off the median, so it waits for more data."
    )


def test_points_on_the_median_do_not_count_towards_the_ten() -> None:
    analysis = ihi([5, 3, 7, 5, 3, 7, 5, 3, 7, 5, 3, 7, 5])
    assert analysis.useful_observations == 8
    assert analysis.runs_range is None
    assert analysis.notes[0].startswith("Only 8 points are off the median")


def test_ihi_leaves_astronomical_points_to_the_control_charts() -> None:
    assert any("astronomical" in note for note in ihi(QUIET).notes)


def test_anhoej_an_unusually_long_run() -> None:
    # 20 points: a run longer than 7 signals, and this one has 8 (from Dec 2024).
    analysis = anhoej(sided("LHLHHHHHHHHLLHLLLLLL"))
    assert (analysis.useful_observations, analysis.longest_run) == (20, 8)
    assert (analysis.longest_run_limit, analysis.crossings_limit) == (7, 6)
    assert analysis.crossings == 6
    assert rules(analysis) == [Rule.ANHOEJ_LONGEST_RUN]
    [long_run] = analysis.signals
    assert long_run.point_indexes == tuple(range(3, 11))
    assert long_run.favourable is True
    assert long_run.explanation == (
        "8 points in a row, from Dec 2024 to Jul 2025, are above the median of 5; with "
        "this many points, a run longer than 7 rarely happens by chance."
    )


def test_anhoej_a_run_at_the_limit_is_not_a_signal() -> None:
    analysis = anhoej(sided("LHLHHHHHHHLLHLLLLLHL"))
    assert analysis.longest_run == 7
    assert rules(analysis) == []


def test_anhoej_too_few_crossings() -> None:
    # 20 points crossing the median 5 times; fewer than 6 signals.
    analysis = anhoej(sided("LLLHHHHLLLHHHLLLLHHH"))
    assert analysis.crossings == 5
    assert rules(analysis) == [Rule.ANHOEJ_CROSSINGS]
    assert analysis.signals[0].explanation == (
        "The line crosses the median 5 times; with 20 points off the median, fewer "
        "than 6 crossings rarely happen by chance."
    )
    assert analysis.signals[0].favourable is None


def test_anhoej_six_crossings_in_twenty_points_is_not_a_signal() -> None:
    analysis = anhoej(sided("LLHHHHLLLHHHLLLLHHHL"))
    assert analysis.crossings == 6
    assert rules(analysis) == []


def test_anhoej_ignores_shifts_and_trends_the_ihi_rules_would_flag() -> None:
    values = [5, 3, 6, 2, 4, 5, 6, 7, 8, 3, 6, 4]
    assert Rule.TREND in rules(ihi(values))
    assert rules(anhoej(values)) == []


def test_anhoej_rules_wait_for_ten_useful_points() -> None:
    analysis = anhoej(sided("LLLLHHHHM"))
    assert analysis.signals == ()
    assert analysis.longest_run == 4 and analysis.longest_run_limit is None
    assert analysis.notes == (
        "Fewer than 10 points: the Anhøj rules need at least 10 points off the median, "
        "so they wait for more data.",
    )


@pytest.mark.parametrize("rule_set", [RuleSetName.IHI, RuleSetName.ANHOEJ])
def test_every_point_on_the_median_leaves_no_runs_to_read(rule_set) -> None:
    analysis = analyse(monthly([4.0] * 12), rule_set=rule_set)
    assert analysis.centre == 4.0
    assert (analysis.useful_observations, analysis.runs, analysis.signals) == (0, 0, ())
    assert "Every point sits on the median, so there are no runs to read." in analysis.notes
