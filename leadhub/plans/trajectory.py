"""A goal's trajectory and whether a measured value is on it.

Pure. The trajectory runs from the baseline through the interim targets on the goal's own
measure to the target, straight between each pair: an interim target set low for the
winter (a benchmark that dips mid-year) lowers what is expected around it, so a reading
is judged against what the school said it expected by then, not against a straight line
it never promised. Interim measures (walkthrough counts, attendance) are judged on their
own: against their own line when they have a baseline, otherwise against their target.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from leadhub.plans.smarte import format_day, format_measured, improvement

# Float noise from interpolation must not turn "exactly on the line" into off track.
TOLERANCE = 1e-9


class Track(StrEnum):
    ON_TRACK = "on_track"
    OFF_TRACK = "off_track"
    NOT_JUDGED = "not_judged"

    @property
    def label(self) -> str:
        return _TRACK_LABELS[self]


_TRACK_LABELS = {
    Track.ON_TRACK: "On track",
    Track.OFF_TRACK: "Off track",
    Track.NOT_JUDGED: "Not judged yet",
}


@dataclass(frozen=True)
class Waypoint:
    on: dt.date
    value: float
    label: str


@dataclass(frozen=True)
class Judgement:
    track: Track
    expected: float | None
    reason: str


def goal_waypoints(
    *,
    baseline_date: dt.date | None,
    baseline_value: float | None,
    deadline: dt.date | None,
    target_value: float | None,
    interim: Sequence[Waypoint],
) -> list[Waypoint]:
    """Baseline, the interim targets strictly between it and the deadline, then the target.

    Interim targets on or outside the baseline and deadline dates are left out: they
    would give the line two values on one day or bend it where the goal does not run.
    Empty when the baseline or the target is incomplete (no trajectory to draw)."""
    if (
        baseline_date is None
        or baseline_value is None
        or deadline is None
        or target_value is None
        or deadline <= baseline_date
    ):
        return []
    between = sorted(
        (w for w in interim if baseline_date < w.on < deadline), key=lambda w: (w.on, w.label)
    )
    # Two interim targets on the same day: the first (by label) sets the line.
    unique: dict[dt.date, Waypoint] = {}
    for waypoint in between:
        unique.setdefault(waypoint.on, waypoint)
    return [
        Waypoint(on=baseline_date, value=baseline_value, label="Baseline"),
        *unique.values(),
        Waypoint(on=deadline, value=target_value, label="Target"),
    ]


def expected_on(waypoints: Sequence[Waypoint], day: dt.date) -> float | None:
    """The value the trajectory expects on ``day``: straight between waypoints, the
    target from the deadline on, None before the baseline or without a trajectory."""
    if len(waypoints) < 2 or day < waypoints[0].on:
        return None
    if day >= waypoints[-1].on:
        return waypoints[-1].value
    for before, after in zip(waypoints, waypoints[1:], strict=False):
        if before.on <= day <= after.on:
            span = (after.on - before.on).days
            share = (day - before.on).days / span if span else 1.0
            return before.value + (after.value - before.value) * share
    return None  # unreachable with sorted waypoints


def _better_direction(direction: str, waypoints: Sequence[Waypoint]) -> str:
    """The measure's direction; without one, the way the target moves from the baseline."""
    if direction in ("up", "down"):
        return direction
    if len(waypoints) >= 2 and waypoints[-1].value < waypoints[0].value:
        return "down"
    return "up"


def _compare(
    value: float, expected: float, *, direction: str, unit: str, by: str
) -> tuple[Track, str]:
    # An expected value is a point on a line: one decimal says it without false precision.
    shown = format_measured(round(expected, 1), unit)
    if improvement(value - expected, direction) >= -TOLERANCE:
        side = "at or below" if direction == "down" else "at or above"
        return Track.ON_TRACK, f"{format_measured(value, unit)} is {side} the {shown} {by}."
    side = "above" if direction == "down" else "below"
    return Track.OFF_TRACK, f"{format_measured(value, unit)} is {side} the {shown} {by}."


def judge(
    *,
    value: float,
    on: dt.date,
    waypoints: Sequence[Waypoint],
    direction: str,
    unit: str = "",
) -> Judgement:
    """On track when ``value`` is at or better than the trajectory expects on ``on``."""
    if len(waypoints) < 2:
        return Judgement(
            Track.NOT_JUDGED,
            None,
            "No trajectory yet: the goal needs a baseline with its date and a target with "
            "a deadline.",
        )
    expected = expected_on(waypoints, on)
    if expected is None:
        return Judgement(
            Track.NOT_JUDGED,
            None,
            f"Measured before the baseline date, {format_day(waypoints[0].on)}.",
        )
    track, reason = _compare(
        value,
        expected,
        direction=_better_direction(direction, waypoints),
        unit=unit,
        by=f"expected by {format_day(on)}",
    )
    return Judgement(track, expected, reason)


def judge_interim(
    *,
    value: float,
    on: dt.date,
    target_value: float,
    due_on: dt.date,
    baseline_value: float | None,
    start: dt.date | None,
    direction: str,
    unit: str = "",
) -> Judgement:
    """An interim measure's reading. With its own baseline (and a start before ``due_on``)
    it is judged against the line from (start, baseline) to (due_on, target); without,
    it is on track once it meets the target, off track when measured after ``due_on``
    without meeting it, and not judged before then (it still has time)."""
    if baseline_value is not None and start is not None and start < due_on:
        line = [
            Waypoint(on=start, value=baseline_value, label="Baseline"),
            Waypoint(on=due_on, value=target_value, label="Target"),
        ]
        return judge(value=value, on=on, waypoints=line, direction=direction, unit=unit)
    better = direction if direction in ("up", "down") else "up"
    met = improvement(value - target_value, better) >= -TOLERANCE
    target = format_measured(target_value, unit)
    if met:
        return Judgement(
            Track.ON_TRACK,
            target_value,
            f"{format_measured(value, unit)} meets the target of {target}.",
        )
    if on > due_on:
        return Judgement(
            Track.OFF_TRACK,
            target_value,
            f"{format_measured(value, unit)} has not met the target of {target}, "
            f"due by {format_day(due_on)}.",
        )
    return Judgement(
        Track.NOT_JUDGED,
        None,
        f"Not judged until {format_day(due_on)}: the target of {target} is due then.",
    )
