"""Trajectories from baseline through interim targets to target, and judging readings."""

from __future__ import annotations

import datetime as dt

import pytest

from leadhub.plans.trajectory import (
    Track,
    Waypoint,
    expected_on,
    goal_waypoints,
    judge,
    judge_interim,
)

BASELINE = dt.date(2025, 9, 1)
DEADLINE = dt.date(2026, 5, 1)
WINTER = Waypoint(on=dt.date(2026, 1, 1), value=32.0, label="Winter benchmark")


def line(*interim: Waypoint, baseline: float = 30.0, target: float = 50.0) -> list[Waypoint]:
    return goal_waypoints(
        baseline_date=BASELINE,
        baseline_value=baseline,
        deadline=DEADLINE,
        target_value=target,
        interim=list(interim),
    )


def test_waypoints_run_from_baseline_through_interim_targets_to_target() -> None:
    later = Waypoint(on=dt.date(2026, 3, 1), value=40.0, label="Spring window")
    points = line(later, WINTER)
    assert [(p.on, p.value) for p in points] == [
        (BASELINE, 30.0),
        (WINTER.on, 32.0),
        (later.on, 40.0),
        (DEADLINE, 50.0),
    ]
    assert [p.label for p in points] == ["Baseline", "Winter benchmark", "Spring window", "Target"]


@pytest.mark.parametrize(
    "missing",
    [
        {"baseline_date": None},
        {"baseline_value": None},
        {"deadline": None},
        {"target_value": None},
    ],
)
def test_no_waypoints_without_a_complete_baseline_and_target(missing: dict) -> None:
    fields = {
        "baseline_date": BASELINE,
        "baseline_value": 30.0,
        "deadline": DEADLINE,
        "target_value": 50.0,
        "interim": [WINTER],
    } | missing
    assert goal_waypoints(**fields) == []


def test_interim_targets_outside_the_goals_dates_are_left_out() -> None:
    before = Waypoint(on=BASELINE, value=99.0, label="On the baseline day")
    after = Waypoint(on=dt.date(2026, 6, 1), value=99.0, label="After the deadline")
    assert [p.label for p in line(before, after)] == ["Baseline", "Target"]


def test_expected_is_straight_between_waypoints() -> None:
    points = line()
    # 242 days from baseline to deadline; 20 points over them.
    assert expected_on(points, BASELINE) == 30.0
    assert expected_on(points, dt.date(2025, 12, 31)) == pytest.approx(30.0 + 20.0 * 121 / 242)
    assert expected_on(points, DEADLINE) == 50.0


def test_expected_follows_interim_targets() -> None:
    points = line(WINTER)
    assert expected_on(points, WINTER.on) == 32.0
    # Halfway from the winter benchmark (Jan 1) to the deadline (May 1): 120 days.
    assert expected_on(points, dt.date(2026, 3, 2)) == pytest.approx(41.0)


def test_expected_is_none_before_the_baseline_and_the_target_after_the_deadline() -> None:
    points = line(WINTER)
    assert expected_on(points, BASELINE - dt.timedelta(days=1)) is None
    assert expected_on(points, dt.date(2026, 8, 1)) == 50.0
    assert expected_on(points[:1], dt.date(2026, 1, 1)) is None
    assert expected_on([], dt.date(2026, 1, 1)) is None


def test_a_reading_on_track_only_because_the_interim_target_lowers_the_line() -> None:
    on = dt.date(2026, 1, 1)
    straight = judge(value=33.0, on=on, waypoints=line(), direction="up")
    assert straight.track == Track.OFF_TRACK
    assert straight.expected == pytest.approx(30.0 + 20.0 * 122 / 242)
    dipped = judge(value=33.0, on=on, waypoints=line(WINTER), direction="up")
    assert dipped.track == Track.ON_TRACK
    assert dipped.expected == 32.0
    assert "at or above" in dipped.reason


def test_a_reading_off_track_only_because_an_interim_target_raises_the_line() -> None:
    early = Waypoint(on=dt.date(2025, 11, 1), value=45.0, label="Fall push")
    on = dt.date(2025, 11, 1)
    assert judge(value=40.0, on=on, waypoints=line(), direction="up").track == Track.ON_TRACK
    pushed = judge(value=40.0, on=on, waypoints=line(early), direction="up")
    assert pushed.track == Track.OFF_TRACK
    assert "below the 45%" not in pushed.reason  # no unit given: plain numbers
    assert "below the 45" in pushed.reason


def test_exactly_on_the_line_is_on_track() -> None:
    points = line(WINTER)
    on = dt.date(2026, 2, 15)
    expected = expected_on(points, on)
    assert expected is not None
    assert judge(value=expected, on=on, waypoints=points, direction="up").track == Track.ON_TRACK


def test_lower_is_better_is_on_track_at_or_below_the_line() -> None:
    points = line(
        Waypoint(on=dt.date(2026, 1, 1), value=19.0, label="Winter"), baseline=22.0, target=14.0
    )
    on = dt.date(2026, 1, 1)
    assert judge(value=18.0, on=on, waypoints=points, direction="down").track == Track.ON_TRACK
    late = judge(value=20.0, on=on, waypoints=points, direction="down", unit="percent")
    assert late.track == Track.OFF_TRACK
    assert late.reason == "20% is above the 19% expected by January 1, 2026."
    # Without a direction, the way the target moves decides.
    assert judge(value=18.0, on=on, waypoints=points, direction="").track == Track.ON_TRACK


def test_after_the_deadline_the_target_itself_is_expected() -> None:
    on = dt.date(2026, 6, 15)
    assert judge(value=49.0, on=on, waypoints=line(), direction="up").track == Track.OFF_TRACK
    assert judge(value=51.0, on=on, waypoints=line(), direction="up").track == Track.ON_TRACK


def test_not_judged_without_a_trajectory_or_before_the_baseline() -> None:
    none = judge(value=40.0, on=dt.date(2026, 1, 1), waypoints=[], direction="up")
    assert none.track == Track.NOT_JUDGED and none.expected is None
    assert "baseline" in none.reason
    early = judge(value=40.0, on=dt.date(2025, 8, 1), waypoints=line(), direction="up")
    assert early.track == Track.NOT_JUDGED
    assert "before the baseline date" in early.reason
    assert Track.NOT_JUDGED.label == "Not judged yet"


# Interim measures ------------------------------------------------------------------------

DUE = dt.date(2026, 1, 31)


def test_an_interim_measure_with_a_baseline_follows_its_own_line() -> None:
    common = {"target_value": 20.0, "due_on": DUE, "baseline_value": 4.0, "start": BASELINE}
    # Sep 1 to Jan 31 is 152 days; halfway (Nov 16) expects 12 walkthroughs.
    mid = dt.date(2025, 11, 16)
    on = judge_interim(value=12.0, on=mid, direction="up", **common)
    assert on.track == Track.ON_TRACK and on.expected == pytest.approx(12.0)
    off = judge_interim(value=10.0, on=mid, direction="up", **common)
    assert off.track == Track.OFF_TRACK


def test_an_interim_measure_without_a_baseline_is_judged_against_its_target() -> None:
    common = {"target_value": 90.0, "due_on": DUE, "baseline_value": None, "start": BASELINE}
    met = judge_interim(value=91.0, on=dt.date(2025, 10, 1), direction="up", **common)
    assert met.track == Track.ON_TRACK
    waiting = judge_interim(value=85.0, on=dt.date(2025, 10, 1), direction="up", **common)
    assert waiting.track == Track.NOT_JUDGED
    assert "January 31, 2026" in waiting.reason
    missed = judge_interim(value=85.0, on=dt.date(2026, 2, 10), direction="up", **common)
    assert missed.track == Track.OFF_TRACK
    on_the_day = judge_interim(value=85.0, on=DUE, direction="up", **common)
    assert on_the_day.track == Track.NOT_JUDGED


def test_an_interim_measure_where_lower_is_better() -> None:
    common = {"target_value": 5.0, "due_on": DUE, "baseline_value": None, "start": None}
    assert judge_interim(value=4.0, on=DUE, direction="down", **common).track == Track.ON_TRACK
    late = judge_interim(value=7.0, on=dt.date(2026, 3, 1), direction="down", **common)
    assert late.track == Track.OFF_TRACK


def test_an_interim_baseline_without_a_usable_start_falls_back_to_the_target() -> None:
    common = {"target_value": 20.0, "due_on": DUE, "baseline_value": 4.0}
    no_start = judge_interim(
        value=10.0, on=dt.date(2025, 11, 16), start=None, direction="up", **common
    )
    assert no_start.track == Track.NOT_JUDGED
    backwards = judge_interim(
        value=25.0, on=DUE, start=dt.date(2026, 3, 1), direction="up", **common
    )
    assert backwards.track == Track.ON_TRACK
