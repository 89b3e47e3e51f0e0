"""A team's indicator month by month, from the nightly snapshots, drawn as two small charts:
the school year to date and the last 90 days, each as it stood at the end of every month.

Each point is the value as it stood at a month's end: the year-to-date figure, and the
90-day figure rolling over the 90 days before that day.

Only measured months are plotted: a month with too little data has no value to draw, and
leaving it out says so more honestly than a zero would.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from leadhub.health.indicators import Code, Indicator, Unit, indicator
from leadhub.health.models import HealthSnapshot, Status
from leadhub.health.standards import DEFAULT_STANDARDS
from leadhub.lib.charts import Chart, Point, describe_change, line_chart

SHARE_DOMAIN = (0.0, 100.0)
# Minutes are drawn from zero up to at least the team's standard meeting length, so a
# flat line of full-length meetings reads against the standard, not on a one-tick axis.
DEFAULT_MINUTES_CEILING = 90


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
    rows = list(
        HealthSnapshot.objects.filter(
            team_id=team_id, indicator=code, month__gte=since.replace(day=1)
        )
        .order_by("month")
        .values("month", "team_kind", "year_status", "year_value", "recent_status", "recent_value")
    )
    months = [
        MonthValues(
            month=row["month"],
            year_value=row["year_value"] if row["year_status"] == Status.MEASURED else None,
            recent_value=row["recent_value"] if row["recent_status"] == Status.MEASURED else None,
        )
        for row in rows
    ]
    standard = DEFAULT_STANDARDS.get(rows[-1]["team_kind"]) if rows else None
    ceiling = standard.meeting_minutes if standard else DEFAULT_MINUTES_CEILING
    return trend_from(indicator(code), months, minutes_ceiling=ceiling)


def trend_from(
    item: Indicator,
    months: Sequence[MonthValues],
    *,
    minutes_ceiling: int = DEFAULT_MINUTES_CEILING,
) -> Trend:
    windows = (
        ("School year to date, at each month's end", (m.year_value for m in months)),
        ("Last 90 days, at each month's end", (m.recent_value for m in months)),
    )
    charts = []
    for label, values in windows:
        points = _points(item, [m.month for m in months], values)
        if points:
            charts.append(_chart(item, label, points, minutes_ceiling))
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


def _chart(item: Indicator, window_label: str, points: list[Point], ceiling: int) -> Chart:
    share = item.unit == Unit.SHARE
    suffix = "%" if share else " min"
    subject = f"{item.name} ({window_label.split(',')[0].lower()})"
    return line_chart(
        title=f"{item.name}: {window_label[0].lower()}{window_label[1:]}",
        description=_narrative(item, subject, points, suffix),
        points=points,
        y_title="Share" if share else "Median minutes",
        x_title="Month (value at its end)",
        suffix=suffix,
        y_domain=SHARE_DOMAIN if share else _minutes_domain(points, ceiling),
    )


def _narrative(item: Indicator, subject: str, points: list[Point], suffix: str) -> str:
    """What the series did, and for a lower-is-better indicator which way is better, so a
    rise is never read as progress."""
    sentence = describe_change(subject, points, suffix=suffix)
    if item.higher_is_better or len(points) < 2 or points[0][1] == points[-1][1]:
        return sentence
    worse = points[-1][1] > points[0][1]
    if item.code == Code.SHARED_FACILITATION:
        why = (
            "a higher share for one leader is weaker"
            if worse
            else "a lower share for one leader is stronger"
        )
    else:
        why = "higher is weaker" if worse else "lower is stronger"
    return f"{sentence[:-1]} ({why})."


def _minutes_domain(points: list[Point], ceiling: int) -> tuple[float, float]:
    return (0.0, float(max(ceiling, *(value for _, value in points))))
