"""What the rule engine takes and gives: points in, an analysis with its signals out.

Plain values with no database behind them, so the rules can be tested and reused anywhere;
numbers are written the way every LeadHub chart writes them (lib.charts.format_value).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from enum import StrEnum

from leadhub.lib.charts import format_value


@dataclass(frozen=True)
class Point:
    """One value of a series. ``numerator`` and ``denominator`` are counts (for a p-chart)."""

    label: str
    date: dt.date
    value: float
    numerator: float | None = None
    denominator: float | None = None


class RuleSetName(StrEnum):
    """How a series is read; the same values as ``leadhub.measures.models.RuleSet``."""

    IHI = "ihi"
    ANHOEJ = "anhoej"
    XMR = "xmr"
    P_CHART = "p"

    @property
    def is_control_chart(self) -> bool:
        return self in (RuleSetName.XMR, RuleSetName.P_CHART)


class Rule(StrEnum):
    """The machine code of each rule a signal can come from."""

    SHIFT = "shift"
    TREND = "trend"
    TOO_FEW_RUNS = "too_few_runs"
    TOO_MANY_RUNS = "too_many_runs"
    ANHOEJ_LONGEST_RUN = "anhoej_longest_run"
    ANHOEJ_CROSSINGS = "anhoej_crossings"
    # Western Electric rule 1, one point beyond three sigma, is a point outside the
    # control limits: improvement science calls it an astronomical point.
    ASTRONOMICAL = "astronomical"
    WE_2_OF_3_BEYOND_2SIGMA = "we_2_of_3_beyond_2sigma"
    WE_4_OF_5_BEYOND_1SIGMA = "we_4_of_5_beyond_1sigma"
    WE_8_ONE_SIDE = "we_8_one_side"


class Direction(StrEnum):
    """Which way is better; the same values as ``leadhub.measures.models.Direction``."""

    UP = "up"
    DOWN = "down"

    def favours(self, *, upward: bool) -> bool:
        """Whether a signal pointing up (or down, with ``upward=False``) is good news."""
        return upward == (self is Direction.UP)


@dataclass(frozen=True)
class Signal:
    """A pattern unlikely to come from chance alone, told in plain words."""

    rule: Rule
    title: str
    explanation: str
    point_indexes: tuple[int, ...]
    # True for a change in the better direction, False for worse, None when the rule
    # says something is unusual without saying which way (too many runs, for example).
    favourable: bool | None


Limits = float | tuple[float, ...] | None


@dataclass(frozen=True)
class Analysis:
    """A series read by one rule set: its centre line, limits, signals and caveats.

    ``points`` are in date order and every index refers to that order. The centre is the
    median of the baseline points on a run chart and their mean on a control chart.
    Control limits are one number for an XmR chart and one per point for a p-chart (whose
    limits widen as the denominator shrinks); run charts have none.
    """

    rule_set: RuleSetName
    direction: Direction
    points: tuple[Point, ...]
    centre: float | None
    lower_limit: Limits
    upper_limit: Limits
    baseline_indexes: tuple[int, ...]
    signals: tuple[Signal, ...]
    useful_observations: int
    runs: int | None = None
    crossings: int | None = None
    longest_run: int | None = None
    runs_range: tuple[int, int] | None = None
    longest_run_limit: int | None = None
    crossings_limit: int | None = None
    moving_range_mean: float | None = None
    notes: tuple[str, ...] = ()

    @property
    def is_control_chart(self) -> bool:
        return self.rule_set.is_control_chart

    @property
    def centre_name(self) -> str:
        return "mean" if self.is_control_chart else "median"

    def limits_at(self, index: int) -> tuple[float, float] | None:
        """The lower and upper control limits at one point, or None without limits."""
        if self.lower_limit is None or self.upper_limit is None:
            return None
        return _at(self.lower_limit, index), _at(self.upper_limit, index)

    @property
    def signal_indexes(self) -> frozenset[int]:
        """Every point that is part of some signal."""
        return frozenset(i for signal in self.signals for i in signal.point_indexes)

    @property
    def astronomical_indexes(self) -> frozenset[int]:
        """Points outside the control limits."""
        return frozenset(
            i
            for signal in self.signals
            if signal.rule is Rule.ASTRONOMICAL
            for i in signal.point_indexes
        )


def _at(limit: float | tuple[float, ...], index: int) -> float:
    return limit[index] if isinstance(limit, tuple) else limit


def same(a: float, b: float) -> bool:
    """Equal up to floating-point noise: a value that is the median sits on it."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def span(points: tuple[Point, ...], indexes: tuple[int, ...]) -> str:
    """ "from March 2025 to August 2025" for the first and last of some points."""
    first, last = points[indexes[0]].label, points[indexes[-1]].label
    return f"in {first}" if first == last else f"from {first} to {last}"


def amount(value: float, suffix: str) -> str:
    """A value as a principal reads it: thousands separated, at most two decimals."""
    return format_value(float(value), suffix)
