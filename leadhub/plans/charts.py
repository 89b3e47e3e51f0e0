"""A goal's chart: the planned trajectory and the checkpoints measured against it.

Drawn on the server (leadhub.lib.charts), so the goal page and the plan's PDF show the
same picture, and read out in words and a table for people who cannot see it.
"""

from __future__ import annotations

from leadhub.lib.charts import Chart, DatedPoint, StatusStyle, trajectory_chart
from leadhub.plans.progress import GoalProgress
from leadhub.plans.smarte import format_day, format_measured
from leadhub.plans.trajectory import Track

# Colour and shape together: a reader who cannot tell green from red still sees a circle
# against a downward triangle.
TRACK_STYLES = {
    Track.ON_TRACK: StatusStyle(Track.ON_TRACK.label, "#1b7a3a", "circle"),
    Track.OFF_TRACK: StatusStyle(Track.OFF_TRACK.label, "#b3261e", "triangle-down"),
    Track.NOT_JUDGED: StatusStyle(Track.NOT_JUDGED.label, "#5f6b7a", "square"),
}

_SUFFIX = {"percent": "%", "days": " days", "minutes": " minutes"}


def goal_chart(progress: GoalProgress) -> Chart:
    """The goal's trajectory from its baseline through its interim targets to its target
    (dashed, each waypoint labelled) and its checkpoints on the goal's own measure."""
    goal = progress.goal
    unit = goal.measure.unit if goal.measure else ""
    measure = goal.measure.name if goal.measure else "The goal's measure"
    planned = [DatedPoint(on=w.on, value=w.value, label=w.label) for w in progress.waypoints]
    measured = [
        DatedPoint(
            on=r.checkpoint.measured_on,
            value=r.checkpoint.value,
            label=r.checkpoint.interim_target.label if r.checkpoint.interim_target else "",
            status=Track(r.judgement.track).label,
        )
        for r in progress.readings
    ]
    present = {Track(r.judgement.track) for r in progress.readings}
    # On and off track always explain themselves in the legend; "not judged" only when drawn.
    shown = [
        style
        for track, style in TRACK_STYLES.items()
        if track != Track.NOT_JUDGED or track in present
    ]
    return trajectory_chart(
        title=f"{measure}: planned and measured",
        description=_describe(progress, unit),
        planned=planned,
        measured=measured,
        statuses=shown,
        y_title=measure if len(measure) <= 40 else "Value",
        suffix=_SUFFIX.get(unit, ""),
    )


def _describe(progress: GoalProgress, unit: str) -> str:
    waypoints = progress.waypoints
    if waypoints:
        start, end = waypoints[0], waypoints[-1]
        between = len(waypoints) - 2
        sentence = (
            f"The plan runs from {format_measured(start.value, unit)} on "
            f"{format_day(start.on)} to {format_measured(end.value, unit)} by "
            f"{format_day(end.on)}"
            + (
                f", through {between} interim target{'s' if between != 1 else ''}."
                if between
                else "."
            )
        )
    else:
        sentence = (
            "No trajectory yet: the goal needs a dated baseline and a target with a deadline."
        )
    readings = progress.readings
    if not readings:
        return f"{sentence} No checkpoints recorded yet."
    on = sum(1 for r in readings if r.judgement.track == Track.ON_TRACK)
    off = sum(1 for r in readings if r.judgement.track == Track.OFF_TRACK)
    latest = progress.latest or readings[-1]
    count = f"{len(readings)} checkpoint{'s' if len(readings) != 1 else ''}"
    return (
        f"{sentence} {count}: {on} on track, {off} off track. The latest, "
        f"{format_measured(latest.checkpoint.value, unit)} on "
        f"{format_day(latest.checkpoint.measured_on)}, is "
        f"{Track(latest.judgement.track).label.lower()}."
    )
