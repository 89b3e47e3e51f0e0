"""A series of values read by its rule set and drawn: the bridge from values to the chart.

Only values that are shown are charted: a hidden value (too few students) or one shown
only as a range (">95%") has no number to plot, and the page says how many were left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from leadhub.lib.charts import Chart
from leadhub.measures.chart_drawing import run_chart
from leadhub.measures.figures import ValueCell, unit_suffix
from leadhub.measures.models import Measure, MeasureValue, RuleSet, Unit
from leadhub.measures.spc import Analysis, Point, Signal, analyse

RULES_WORDS: dict[str, str] = {
    RuleSet.IHI: "the IHI run-chart rules",
    RuleSet.ANHOEJ: "the Anhøj run-chart rules",
    RuleSet.XMR: "the XmR control chart",
    RuleSet.P_CHART: "the p-chart",
}
Y_TITLES: dict[str, str] = {
    Unit.PERCENT: "Percent",
    Unit.COUNT: "Count",
    Unit.SCORE: "Score",
    Unit.RATE: "Rate",
    Unit.DAYS: "Days",
    Unit.MINUTES: "Minutes",
}


@dataclass(frozen=True)
class Reading:
    """A series as read by its rule set, and its chart (None with nothing to draw)."""

    analysis: Analysis
    chart: Chart | None
    left_out: int  # values hidden or shown as a range, so not charted

    @property
    def worse(self) -> list[Signal]:
        return [s for s in self.analysis.signals if s.favourable is False]

    @property
    def better(self) -> list[Signal]:
        return [s for s in self.analysis.signals if s.favourable is True]

    @property
    def unusual(self) -> list[Signal]:
        return [s for s in self.analysis.signals if s.favourable is None]

    @property
    def attention(self) -> int:
        """Lower comes first on a data page: worse news, then the unusual, then good
        news, then series with nothing to report."""
        if self.worse:
            return 0
        if self.unusual:
            return 1
        if self.better:
            return 2
        return 3


def point_label(record: MeasureValue) -> str:
    day = record.period_start
    return record.period_label or f"{day.day} {day:%b %Y}"


def series_points(values: Sequence[MeasureValue], cells: Sequence[ValueCell]) -> list[Point]:
    return [
        Point(
            label=point_label(record),
            date=record.period_start,
            value=record.value,
            numerator=record.numerator,
            denominator=record.denominator,
        )
        for record, cell in zip(values, cells, strict=True)
        if cell.shown_value is not None
    ]


def series_reading(
    *,
    measure: Measure,
    title: str,
    values: Sequence[MeasureValue],
    cells: Sequence[ValueCell],
    rule_set: str = RuleSet.IHI,
    baseline: tuple[dt.date, dt.date] | None = None,
    annotations: Sequence[tuple[dt.date, str]] = (),
) -> Reading:
    points = series_points(values, cells)
    suffix = unit_suffix(measure.unit)
    analysis = analyse(
        points,
        rule_set=rule_set,
        direction=measure.direction,
        baseline=baseline,
        unit_suffix=suffix,
    )
    chart = None
    if points:
        first, last = points[0].date, points[-1].date
        chart = run_chart(
            analysis,
            title=title,
            unit_suffix=suffix,
            # A note far outside the charted periods would squeeze the series to a corner.
            annotations=[(day, words) for day, words in annotations if first <= day <= last],
            direction=measure.direction,
            y_title=Y_TITLES.get(measure.unit, "Value"),
        )
    return Reading(analysis=analysis, chart=chart, left_out=len(values) - len(points))
