"""Control charts: XmR for single values, p for shares with a denominator.

XmR (individuals and moving range), as Wheeler and Provost & Murray ("The Health Care
Data Guide", 2011) describe it: the centre is the mean of the baseline points, the
average moving range (MR-bar) is the mean of the differences between neighbouring
baseline points, the limits sit 2.66 × MR-bar either side of the centre, and one sigma is
MR-bar / 1.128 (the bias constant d2 for ranges of two).

p-chart: the centre p-bar is the sum of the baseline numerators over the sum of their
denominators, and each point's limits sit three standard errors, √(p-bar(1 − p-bar)/nᵢ),
either side, clipped to 0 and 1: a month with fewer students gets wider limits. Measures
keep percentages as percent (45.0 for 45%), so :func:`read_p_chart` takes ``scale``:
values, centre and limits are shares multiplied by it (100, the default, for percent; 1
for plain shares), and the counts stay counts.

Western Electric rules (Western Electric "Statistical Quality Control Handbook", 1956),
tested against the baseline's centre and sigma on every point:

1. one point beyond three sigma, that is outside the control limits: an astronomical
   point;
2. two of three points in a row beyond two sigma on the same side;
3. four of five points in a row beyond one sigma on the same side;
4. eight points in a row on the same side of the centre (a point on the centre breaks it).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from statistics import fmean

from leadhub.measures.spc.types import Direction, Point, Rule, Signal, amount, same, span

XMR_LIMIT_FACTOR = 2.66
D2 = 1.128
P_SIGMAS = 3
STEADY_BASELINE = 20
ONE_SIDE_LENGTH = 8
# An explanation names this many points outside the limits, then counts the rest.
LISTED_POINTS = 3


@dataclass(frozen=True)
class Zones:
    """A control chart's centre, per-point sigma and limits, all in the values' scale."""

    centre: float
    sigmas: tuple[float, ...]
    lowers: tuple[float, ...]
    uppers: tuple[float, ...]


@dataclass(frozen=True)
class ControlReading:
    centre: float
    lower_limit: float | tuple[float, ...]
    upper_limit: float | tuple[float, ...]
    moving_range_mean: float | None
    signals: tuple[Signal, ...]
    useful_observations: int
    notes: tuple[str, ...]


def read_xmr(
    points: tuple[Point, ...],
    baseline: Sequence[int],
    direction: Direction,
    suffix: str,
) -> ControlReading:
    """An XmR chart; the baseline needs two points or more for a moving range."""
    values = [points[i].value for i in baseline]
    centre = fmean(values)
    moving_range = fmean(abs(b - a) for a, b in pairwise(values))
    sigma = moving_range / D2
    lower = centre - XMR_LIMIT_FACTOR * moving_range
    upper = centre + XMR_LIMIT_FACTOR * moving_range
    zones = Zones(
        centre=centre,
        sigmas=(sigma,) * len(points),
        lowers=(lower,) * len(points),
        uppers=(upper,) * len(points),
    )
    notes = baseline_notes(len(baseline))
    if moving_range == 0:
        notes += (
            "Every baseline value is the same, so the limits sit on the mean and any "
            "different value falls outside them.",
        )
    return ControlReading(
        centre=centre,
        lower_limit=lower,
        upper_limit=upper,
        moving_range_mean=moving_range,
        signals=western_electric(points, zones, direction, suffix),
        useful_observations=off_centre(points, centre),
        notes=notes,
    )


def read_p_chart(
    points: tuple[Point, ...],
    counts: Sequence[tuple[float, float]],
    baseline: Sequence[int],
    direction: Direction,
    suffix: str,
    scale: float = 100.0,
) -> ControlReading:
    """A p-chart from each point's (numerator, denominator), denominators all positive."""
    p_bar = sum(counts[i][0] for i in baseline) / sum(counts[i][1] for i in baseline)
    standard_errors = tuple(
        math.sqrt(p_bar * (1 - p_bar) / denominator) for _, denominator in counts
    )
    zones = Zones(
        centre=p_bar * scale,
        sigmas=tuple(error * scale for error in standard_errors),
        lowers=tuple(max(p_bar - P_SIGMAS * e, 0.0) * scale for e in standard_errors),
        uppers=tuple(min(p_bar + P_SIGMAS * e, 1.0) * scale for e in standard_errors),
    )
    return ControlReading(
        centre=zones.centre,
        lower_limit=zones.lowers,
        upper_limit=zones.uppers,
        moving_range_mean=None,
        signals=western_electric(points, zones, direction, suffix),
        useful_observations=off_centre(points, zones.centre),
        notes=baseline_notes(len(baseline)),
    )


def counts_of(points: tuple[Point, ...]) -> list[tuple[float, float]] | None:
    """Each point's numerator and denominator, or None when any point lacks them."""
    counts = []
    for point in points:
        if point.numerator is None or point.denominator is None or point.denominator <= 0:
            return None
        counts.append((point.numerator, point.denominator))
    return counts


def baseline_notes(size: int) -> tuple[str, ...]:
    if size >= STEADY_BASELINE:
        return ()
    return (
        f"The limits come from {size} points; they settle once there are "
        f"{STEADY_BASELINE} or more, so read them as trial limits.",
    )


def off_centre(points: tuple[Point, ...], centre: float) -> int:
    return sum(not same(point.value, centre) for point in points)


def western_electric(
    points: tuple[Point, ...], zones: Zones, direction: Direction, suffix: str
) -> tuple[Signal, ...]:
    return (
        *astronomical_signals(points, zones, direction, suffix),
        *some_of_window_signals(points, zones, direction, suffix, window=3, needed=2, sigmas=2),
        *some_of_window_signals(points, zones, direction, suffix, window=5, needed=4, sigmas=1),
        *one_side_signals(points, zones, direction, suffix),
    )


def side_of(point: Point, zones: Zones) -> int:
    if same(point.value, zones.centre):
        return 0
    return 1 if point.value > zones.centre else -1


def beyond(point: Point, index: int, zones: Zones, side: int, sigmas: int) -> bool:
    """Further than ``sigmas`` standard deviations from the centre, on ``side``."""
    distance = side * (point.value - zones.centre)
    threshold = sigmas * zones.sigmas[index]
    return distance > threshold and not same(distance, threshold)


def side_words(side: int) -> str:
    return "above" if side > 0 else "below"


def astronomical_signals(
    points: tuple[Point, ...], zones: Zones, direction: Direction, suffix: str
) -> list[Signal]:
    signals = []
    for side in (1, -1):
        limits = zones.uppers if side > 0 else zones.lowers
        outside = tuple(
            i
            for i, point in enumerate(points)
            if side * (point.value - limits[i]) > 0 and not same(point.value, limits[i])
        )
        if not outside:
            continue
        which = "upper" if side > 0 else "lower"
        listed = ", ".join(
            f"{points[i].label} ({amount(points[i].value, suffix)}, limit "
            f"{amount(limits[i], suffix)})"
            for i in outside[:LISTED_POINTS]
        )
        if len(outside) > LISTED_POINTS:
            listed += f" and {len(outside) - LISTED_POINTS} more"
        count = "1 point is" if len(outside) == 1 else f"{len(outside)} points are"
        signals.append(
            Signal(
                rule=Rule.ASTRONOMICAL,
                title=f"Outside the {which} limit",
                explanation=(
                    f"{count} {side_words(side)} the {which} control limit: {listed}; "
                    f"chance alone almost never puts a point there."
                ),
                point_indexes=outside,
                favourable=direction.favours(upward=side > 0),
            )
        )
    return signals


def some_of_window_signals(
    points: tuple[Point, ...],
    zones: Zones,
    direction: Direction,
    suffix: str,
    *,
    window: int,
    needed: int,
    sigmas: int,
) -> list[Signal]:
    """``needed`` of ``window`` points in a row beyond ``sigmas`` sigma on one side."""
    rule = Rule.WE_2_OF_3_BEYOND_2SIGMA if sigmas == 2 else Rule.WE_4_OF_5_BEYOND_1SIGMA
    signals = []
    for side in (1, -1):
        far = [beyond(point, i, zones, side, sigmas) for i, point in enumerate(points)]
        flagged: set[int] = set()
        for start in range(len(points) - window + 1):
            inside = range(start, start + window)
            if sum(far[i] for i in inside) >= needed:
                flagged.update(i for i in inside if far[i])
        for cluster in clusters(sorted(flagged), gap=window - 1):
            signals.append(
                Signal(
                    rule=rule,
                    title=(f"{needed} of {window} points far {side_words(side)} the mean"),
                    explanation=(
                        f"Between {points[cluster[0]].label} and {points[cluster[-1]].label}, "
                        f"{len(cluster)} points are "
                        f"more than {sigma_words(sigmas)} {side_words(side)} the mean of "
                        f"{amount(zones.centre, suffix)}, at least {needed} of them within "
                        f"{window} points in a row; chance rarely does that."
                    ),
                    point_indexes=cluster,
                    favourable=direction.favours(upward=side > 0),
                )
            )
    return signals


def sigma_words(sigmas: int) -> str:
    return "one standard deviation" if sigmas == 1 else "two standard deviations"


def clusters(indexes: list[int], *, gap: int) -> list[tuple[int, ...]]:
    """Split sorted indexes where neighbours are further apart than one window allows."""
    groups: list[list[int]] = []
    for index in indexes:
        if groups and index - groups[-1][-1] <= gap:
            groups[-1].append(index)
        else:
            groups.append([index])
    return [tuple(group) for group in groups]


def one_side_signals(
    points: tuple[Point, ...], zones: Zones, direction: Direction, suffix: str
) -> list[Signal]:
    runs: list[tuple[int, list[int]]] = []
    for index, point in enumerate(points):
        side = side_of(point, zones)
        if side and runs and runs[-1][0] == side and runs[-1][1][-1] == index - 1:
            runs[-1][1].append(index)
        elif side:
            runs.append((side, [index]))
    return [
        Signal(
            rule=Rule.WE_8_ONE_SIDE,
            title=f"{len(indexes)} in a row {side_words(side)} the mean",
            explanation=(
                f"{len(indexes)} points in a row, {span(points, tuple(indexes))}, are "
                f"{side_words(side)} the mean of {amount(zones.centre, suffix)}; "
                f"{ONE_SIDE_LENGTH} or more in a row rarely happen by chance."
            ),
            point_indexes=tuple(indexes),
            favourable=direction.favours(upward=side > 0),
        )
        for side, indexes in runs
        if len(indexes) >= ONE_SIDE_LENGTH
    ]
