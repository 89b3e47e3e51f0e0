"""Run charts: the series against its median, read with the IHI or the Anhøj rules.

IHI rules, as Perla, Provost and Murray (2011, BMJ Quality & Safety 20:46–51) set them out:

- a shift is six or more points in a row on the same side of the median; points on the
  median neither make nor break it;
- a trend is five or more points in a row each going up, or each going down; a value
  equal to the one before neither makes nor breaks it;
- too few or too many runs: a run is one or more points in a row on one side of the
  median, and a count outside the range chance gives (see :mod:`.limits`) signals;
- an astronomical point is a judgement call on a run chart, so it is left to the
  control charts, which test it against limits.

Anhøj rules (Anhøj and Olesen 2014, PLoS ONE 9(11): e113825): an unusually long run, or
unusually few crossings of the median, both against limits that depend on the number of
points off the median (see :mod:`.limits`).
"""

from __future__ import annotations

from dataclasses import dataclass

from leadhub.measures.spc import limits
from leadhub.measures.spc.types import Direction, Point, Rule, Signal, amount, same, span

SHIFT_LENGTH = 6
TREND_LENGTH = 5
RUN_COUNT_WAITS = (
    f"the rule on the number of runs needs at least {limits.MINIMUM_USEFUL_OBSERVATIONS} "
    "points off the median, so it waits for more data"
)
ANHOEJ_WAITS = (
    f"the Anhøj rules need at least {limits.MINIMUM_USEFUL_OBSERVATIONS} points off the "
    "median, so they wait for more data"
)
ASTRONOMICAL_NOTE = (
    "On a run chart an astronomical point (one far from all the others) is a judgement "
    "call; choose a control chart to test points against limits."
)


@dataclass(frozen=True)
class RunReading:
    """What the run-chart rules found, for the analysis to carry."""

    signals: tuple[Signal, ...]
    useful_observations: int
    runs: int
    crossings: int
    longest_run: int
    runs_range: tuple[int, int] | None
    longest_run_limit: int | None
    crossings_limit: int | None
    notes: tuple[str, ...]


def side_runs(points: tuple[Point, ...], median: float) -> list[tuple[int, tuple[int, ...]]]:
    """The runs about the median, each as its side (1 above, −1 below) and its points.

    Points on the median belong to no run and do not break one.
    """
    runs: list[tuple[int, list[int]]] = []
    for index, point in enumerate(points):
        if same(point.value, median):
            continue
        side = 1 if point.value > median else -1
        if runs and runs[-1][0] == side:
            runs[-1][1].append(index)
        else:
            runs.append((side, [index]))
    return [(side, tuple(indexes)) for side, indexes in runs]


def read_ihi(
    points: tuple[Point, ...], median: float, direction: Direction, suffix: str
) -> RunReading:
    runs = side_runs(points, median)
    useful = sum(len(indexes) for _, indexes in runs)
    signals = [
        shift_signal(points, side, indexes, median, direction, suffix)
        for side, indexes in runs
        if len(indexes) >= SHIFT_LENGTH
    ]
    signals += trend_signals(points, direction, suffix)
    notes = [*few_points_notes(len(points), useful, RUN_COUNT_WAITS), ASTRONOMICAL_NOTE]
    run_limits = None
    if useful >= limits.MINIMUM_USEFUL_OBSERVATIONS:
        run_limits = limits.runs_range(useful)
        signals += run_count_signals(len(runs), useful, run_limits)
    return RunReading(
        signals=tuple(signals),
        useful_observations=useful,
        runs=len(runs),
        crossings=max(len(runs) - 1, 0),
        longest_run=max((len(indexes) for _, indexes in runs), default=0),
        runs_range=run_limits,
        longest_run_limit=None,
        crossings_limit=None,
        notes=tuple(notes),
    )


def read_anhoej(
    points: tuple[Point, ...], median: float, direction: Direction, suffix: str
) -> RunReading:
    runs = side_runs(points, median)
    useful = sum(len(indexes) for _, indexes in runs)
    crossings = max(len(runs) - 1, 0)
    signals: list[Signal] = []
    run_limit = crossing_limit = None
    if useful >= limits.MINIMUM_USEFUL_OBSERVATIONS:
        run_limit = limits.longest_run_limit(useful)
        crossing_limit = limits.crossings_limit(useful)
        signals += [
            long_run_signal(points, side, indexes, median, run_limit, direction, suffix)
            for side, indexes in runs
            if len(indexes) > run_limit
        ]
        if crossings < crossing_limit:
            signals.append(few_crossings_signal(crossings, useful, crossing_limit))
    return RunReading(
        signals=tuple(signals),
        useful_observations=useful,
        runs=len(runs),
        crossings=crossings,
        longest_run=max((len(indexes) for _, indexes in runs), default=0),
        runs_range=None,
        longest_run_limit=run_limit,
        crossings_limit=crossing_limit,
        notes=few_points_notes(len(points), useful, ANHOEJ_WAITS),
    )


def few_points_notes(total: int, useful: int, waiting: str) -> tuple[str, ...]:
    """Say why a rule was not applied rather than let silence read as "no signal"."""
    minimum = limits.MINIMUM_USEFUL_OBSERVATIONS
    if useful == 0:
        return ("Every point sits on the median, so there are no runs to read.",)
    if useful >= minimum:
        return ()
    if total < minimum:
        return (f"Fewer than {minimum} points: {waiting}.",)
    return (f"Only {useful} points are off the median: {waiting}.",)


def side_words(side: int) -> str:
    return "above" if side > 0 else "below"


def shift_signal(
    points: tuple[Point, ...],
    side: int,
    indexes: tuple[int, ...],
    median: float,
    direction: Direction,
    suffix: str,
) -> Signal:
    return Signal(
        rule=Rule.SHIFT,
        title=f"Shift {side_words(side)} the median",
        explanation=(
            f"{len(indexes)} points in a row, {span(points, indexes)}, are "
            f"{side_words(side)} the median of {amount(median, suffix)}; "
            f"{SHIFT_LENGTH} or more in a row rarely happen by chance."
        ),
        point_indexes=indexes,
        favourable=direction.favours(upward=side > 0),
    )


def trend_signals(points: tuple[Point, ...], direction: Direction, suffix: str) -> list[Signal]:
    """Five or more points each higher (or each lower) than the last, repeats skipped."""
    distinct: list[int] = []
    for index, point in enumerate(points):
        if not distinct or not same(point.value, points[distinct[-1]].value):
            distinct.append(index)
    signals = []
    start = 0
    while start < len(distinct) - 1:
        rising = points[distinct[start + 1]].value > points[distinct[start]].value
        end = start + 1
        while (
            end + 1 < len(distinct)
            and (points[distinct[end + 1]].value > points[distinct[end]].value) == rising
        ):
            end += 1
        if end - start + 1 >= TREND_LENGTH:
            signals.append(
                trend_signal(points, distinct[start : end + 1], rising, direction, suffix)
            )
        # The turning point ends one trend and may start the next.
        start = end
    return signals


def trend_signal(
    points: tuple[Point, ...],
    counted: list[int],
    rising: bool,
    direction: Direction,
    suffix: str,
) -> Signal:
    indexes = tuple(range(counted[0], counted[-1] + 1))
    skipped = len(indexes) - len(counted)
    repeats = f" (not counting {skipped} repeated value{'s' if skipped > 1 else ''})"
    first, last = points[counted[0]], points[counted[-1]]
    return Signal(
        rule=Rule.TREND,
        title="Trend upward" if rising else "Trend downward",
        explanation=(
            f"{len(counted)} points in a row each went {'up' if rising else 'down'}"
            f"{repeats if skipped else ''}, from {amount(first.value, suffix)} in "
            f"{first.label} to {amount(last.value, suffix)} in {last.label}; "
            f"{TREND_LENGTH} or more in a row rarely happen by chance."
        ),
        point_indexes=indexes,
        favourable=direction.favours(upward=rising),
    )


def run_count_signals(runs: int, useful: int, run_limits: tuple[int, int]) -> list[Signal]:
    lower, upper = run_limits
    chance = f"for {useful} points off the median, chance gives {lower} to {upper} runs"
    if runs < lower:
        return [
            Signal(
                rule=Rule.TOO_FEW_RUNS,
                title="Too few runs",
                explanation=(
                    f"The series stays on one side of the median for long stretches: "
                    f"{runs} runs, where {chance}."
                ),
                point_indexes=(),
                favourable=None,
            )
        ]
    if runs > upper:
        return [
            Signal(
                rule=Rule.TOO_MANY_RUNS,
                title="Too many runs",
                explanation=(
                    f"The series zigzags across the median more than chance would: "
                    f"{runs} runs, where {chance}."
                ),
                point_indexes=(),
                favourable=None,
            )
        ]
    return []


def long_run_signal(
    points: tuple[Point, ...],
    side: int,
    indexes: tuple[int, ...],
    median: float,
    run_limit: int,
    direction: Direction,
    suffix: str,
) -> Signal:
    return Signal(
        rule=Rule.ANHOEJ_LONGEST_RUN,
        title=f"Unusually long run {side_words(side)} the median",
        explanation=(
            f"{len(indexes)} points in a row, {span(points, indexes)}, are "
            f"{side_words(side)} the median of {amount(median, suffix)}; with this many "
            f"points, a run longer than {run_limit} rarely happens by chance."
        ),
        point_indexes=indexes,
        favourable=direction.favours(upward=side > 0),
    )


def few_crossings_signal(crossings: int, useful: int, crossing_limit: int) -> Signal:
    times = "time" if crossings == 1 else "times"
    return Signal(
        rule=Rule.ANHOEJ_CROSSINGS,
        title="Too few crossings of the median",
        explanation=(
            f"The line crosses the median {crossings} {times}; with {useful} points off "
            f"the median, fewer than {crossing_limit} crossings rarely happen by chance."
        ),
        point_indexes=(),
        favourable=None,
    )
