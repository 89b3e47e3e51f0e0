"""A team's indicator month by month, from the nightly snapshots, drawn as two small charts:
the school year to date and the last 90 days, each as it stood at the end of every month.

Only measured months are plotted: a month with too little data has no value to draw, and
leaving it out says so more honestly than a zero would.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from leadhub.health.indicators import Indicator, Unit, indicator
from leadhub.health.models import HealthSnapshot, Status
from leadhub.lib.charts import Chart, Point, describe_change, line_chart

SHARE_DOMAIN = (0.0, 100.0)


@dataclass(frozen=True)
class MonthValues:
    month: dt.date
    year_value: float | None
    recent_value: float | None


@dataclass(frozen=True)
class Trend:
    indicator: Indicator
    months: int  # snapshot months found, measured or not
    charts: tuple[Chart, ...]  # one per window with at least one measured month


def team_trend(team_id: int, code: str, *, since: dt.date) -> Trend:
    """The team's ``code`` indicator for every month from ``since`` (one query)."""
    rows = (
        HealthSnapshot.objects.filter(
            team_id=team_id, indicator=code, month__gte=since.replace(day=1)
        )
        .order_by("month")
        .values("month", "year_status", "year_value", "recent_status", "recent_value")
    )
    months = [
        MonthValues(
            month=row["month"],
            year_value=row["year_value"] if row["year_status"] == Status.MEASURED else None,
            recent_value=row["recent_value"] if row["recent_status"] == Status.MEASURED else None,
        )
        for row in rows
    ]
    return trend_from(indicator(code), months)


def trend_from(item: Indicator, months: Sequence[MonthValues]) -> Trend:
    windows = (
        ("This school year", (m.year_value for m in months)),
        ("Last 90 days", (m.recent_value for m in months)),
    )
    charts = []
    for label, values in windows:
        points = _points(item, [m.month for m in months], values)
        if points:
            charts.append(_chart(item, label, points))
    return Trend(indicator=item, months=len(months), charts=tuple(charts))


def _points(
    item: Indicator, months: Sequence[dt.date], values: Iterable[float | None]
) -> list[Point]:
    scale = 100 if item.unit == Unit.SHARE else 1
    return [
        (f"{month:%b}", round(value * scale))
        for month, value in zip(months, values, strict=True)
        if value is not None
    ]


def _chart(item: Indicator, window_label: str, points: list[Point]) -> Chart:
    share = item.unit == Unit.SHARE
    suffix = "%" if share else " min"
    subject = f"{item.name} ({window_label.lower()})"
    return line_chart(
        title=f"{item.name}: {window_label.lower()}",
        description=describe_change(subject, points, suffix=suffix),
        points=points,
        y_title="Share" if share else "Median minutes",
        x_title="Month",
        suffix=suffix,
        y_domain=SHARE_DOMAIN if share else None,
    )
