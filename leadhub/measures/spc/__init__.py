"""Reading a measure's series the way improvement science does: run and control charts.

:func:`analyse` takes a series of points and a rule set and returns an :class:`Analysis`:
the centre line (median or mean), control limits where the chart has them, and the
signals, each told in one plain sentence. The centre and limits come from the baseline
period when one is given (all points otherwise), and every point is tested against them,
so a change after the baseline shows up as a signal. Whatever keeps a rule from being
applied (too few points, a missing denominator) is said in ``notes``, never passed over.

The rules and their sources are in :mod:`.runs` (IHI and Anhøj run-chart rules),
:mod:`.limits` (the run-count and Anhøj limits) and :mod:`.control` (XmR and p-charts
with the Western Electric rules).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from statistics import median

from leadhub.measures.spc import control, runs
from leadhub.measures.spc.types import (
    Analysis,
    Direction,
    Point,
    Rule,
    RuleSetName,
    Signal,
)

__all__ = ["Analysis", "Direction", "Point", "Rule", "RuleSetName", "Signal", "analyse"]


def analyse(
    points: Sequence[Point],
    *,
    rule_set: RuleSetName | str,
    direction: Direction | str = Direction.UP,
    baseline: tuple[dt.date, dt.date] | None = None,
    unit_suffix: str = "",
    p_scale: float = 100.0,
) -> Analysis:
    """Read a series by one rule set.

    ``direction`` is "up" when higher is better, "down" when lower is. ``baseline`` is a
    first and last date, both included. ``unit_suffix`` ("%") is written after the numbers
    in the explanations. For a p-chart, values are shares times ``p_scale``: 100 (the
    default) for percent, as the measures store them, 1 for plain shares; numerators and
    denominators are counts. A p-chart needs both on every point: without them the series
    is read as an XmR chart, and a note says so.
    """
    rule_set = RuleSetName(rule_set)
    direction = Direction(direction)
    ordered = tuple(sorted(points, key=lambda point: point.date))
    notes: list[str] = []
    counts = control.counts_of(ordered) if rule_set is RuleSetName.P_CHART else None
    if rule_set is RuleSetName.P_CHART and counts is None:
        rule_set = RuleSetName.XMR
        notes.append(
            "A p-chart needs a numerator and a denominator for every point, and some "
            "points have none, so this is an XmR chart instead."
        )
    # An XmR chart's moving range needs two points; a median or a p-bar needs one.
    minimum = 2 if rule_set is RuleSetName.XMR else 1
    chosen = baseline_indexes(ordered, baseline)
    if baseline is not None and ordered and len(chosen) < minimum:
        notes.append(
            f"The baseline {period_words(baseline)} holds {len(chosen)} "
            f"point{'' if len(chosen) == 1 else 's'}, too few to work from, "
            f"so every point is used instead."
        )
        chosen = tuple(range(len(ordered)))
    empty = Analysis(
        rule_set=rule_set,
        direction=direction,
        points=ordered,
        centre=None,
        lower_limit=None,
        upper_limit=None,
        baseline_indexes=chosen,
        signals=(),
        useful_observations=0,
        notes=tuple(notes),
    )
    if not ordered:
        return replace(empty, notes=("No values yet, so there is nothing to read.",))
    if len(chosen) < minimum:
        return replace(empty, notes=(*notes, f"A control chart needs at least {minimum} points."))
    if rule_set.is_control_chart:
        if counts is not None:
            reading = control.read_p_chart(
                ordered, counts, chosen, direction, unit_suffix, scale=p_scale
            )
        else:
            reading = control.read_xmr(ordered, chosen, direction, unit_suffix)
        return replace(
            empty,
            centre=reading.centre,
            lower_limit=reading.lower_limit,
            upper_limit=reading.upper_limit,
            signals=reading.signals,
            useful_observations=reading.useful_observations,
            moving_range_mean=reading.moving_range_mean,
            notes=(*notes, *reading.notes),
        )
    centre = median(ordered[i].value for i in chosen)
    read = runs.read_ihi if rule_set is RuleSetName.IHI else runs.read_anhoej
    run_reading = read(ordered, centre, direction, unit_suffix)
    return replace(
        empty,
        centre=centre,
        signals=run_reading.signals,
        useful_observations=run_reading.useful_observations,
        runs=run_reading.runs,
        crossings=run_reading.crossings,
        longest_run=run_reading.longest_run,
        runs_range=run_reading.runs_range,
        longest_run_limit=run_reading.longest_run_limit,
        crossings_limit=run_reading.crossings_limit,
        notes=(*notes, *run_reading.notes),
    )


def baseline_indexes(
    points: tuple[Point, ...], baseline: tuple[dt.date, dt.date] | None
) -> tuple[int, ...]:
    if baseline is None:
        return tuple(range(len(points)))
    first, last = baseline
    return tuple(i for i, point in enumerate(points) if first <= point.date <= last)


def period_words(period: tuple[dt.date, dt.date]) -> str:
    first, last = period
    return f"from {first:%-d %B %Y} to {last:%-d %B %Y}"
