"""Run and control charts drawn on the server, in the style of :mod:`leadhub.lib.charts`.

One picture for every rule set: the series over time, its centre line (the median or the
mean, labelled), the control limits when the chart has them, the baseline period shaded,
and dated annotations (where a PDSA cycle or a plan action began) as labelled vertical
rules. Points that are part of a signal, and points outside the limits, differ from the
others in shape as well as colour, and a legend names them. The chart's description says
in words what the chart shows and every signal, for screen readers and for the caption;
its table marks the same points.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import altair as alt
from django.utils.safestring import mark_safe

# The private helpers are lib.charts' drawing and naming, reused so every chart in
# LeadHub is drawn, cached, made accessible and named the same way.
from leadhub.lib.charts import BRAND, INK, MUTED, Chart, chart_id_for, drawn_svg
from leadhub.measures.spc import Analysis, Direction
from leadhub.measures.spc.types import amount

WIDTH = 340
HEIGHT = 200
SIGNAL_INK = "#a14a00"
OUTSIDE_INK = "#b3261e"
ANNOTATION_INK = "#5b3a8c"
BASELINE_FILL = "#edf2f7"
LIMIT_INK = MUTED

USUAL = "Usual variation"
SIGNAL = "Part of a signal"
OUTSIDE = "Outside the limits"
# Shape and colour both tell the kinds apart, and the legend names them.
KIND_SHAPES = {USUAL: "circle", SIGNAL: "diamond", OUTSIDE: "square"}
KIND_COLOURS = {USUAL: BRAND, SIGNAL: SIGNAL_INK, OUTSIDE: OUTSIDE_INK}
KIND_SIZES = {USUAL: 45, SIGNAL: 150, OUTSIDE: 110}
KIND_NOTES = {USUAL: "", SIGNAL: " (part of a signal)", OUTSIDE: " (outside the limits)"}

CHART_NAMES = {
    "ihi": "Run chart read with the IHI rules",
    "anhoej": "Run chart read with the Anhøj rules",
    "xmr": "Control chart (XmR)",
    "p": "Control chart (p-chart)",
}


def run_chart(
    analysis: Analysis,
    *,
    title: str,
    unit_suffix: str = "",
    annotations: Sequence[tuple[dt.date, str]] = (),
    direction: Direction | str | None = None,
    y_title: str = "Value",
    x_title: str = "Period",
) -> Chart:
    """Draw an analysed series as a run chart or a control chart, whichever it is.

    ``annotations`` are (date, words). ``direction`` is the analysis's own; it may be
    given again, and must then agree.
    """
    if direction is not None and Direction(direction) is not analysis.direction:
        # Which signals are good news was settled by analyse(); a different direction
        # here would describe them the wrong way round.
        raise ValueError("The chart's direction differs from the one the series was read with.")
    kinds = point_kinds(analysis)
    description = describe(analysis, title, unit_suffix, annotations)
    rows = [
        (point.label, f"{amount(point.value, unit_suffix)}{KIND_NOTES[kind]}")
        for point, kind in zip(analysis.points, kinds, strict=True)
    ]
    spec = chart_spec(analysis, kinds, annotations, unit_suffix, x_title, y_title)
    chart_id = chart_id_for(title, description)
    svg = drawn_svg(json.dumps(spec, sort_keys=True), chart_id, title, description)
    return Chart(
        id=chart_id,
        title=title,
        description=description,
        svg=mark_safe(svg),  # noqa: S308 (built and escaped by lib.charts.accessible_svg)
        x_title=x_title,
        y_title=y_title,
        rows=rows,
    )


def point_kinds(analysis: Analysis) -> list[str]:
    outside, signalled = analysis.astronomical_indexes, analysis.signal_indexes
    return [
        OUTSIDE if index in outside else SIGNAL if index in signalled else USUAL
        for index in range(len(analysis.points))
    ]


def describe(
    analysis: Analysis,
    title: str,
    suffix: str,
    annotations: Sequence[tuple[dt.date, str]],
) -> str:
    """What the chart shows, every signal, every note and annotation, in plain sentences."""
    name = CHART_NAMES[analysis.rule_set]
    points = analysis.points
    if not points:
        return f"{name} of {title}. No values yet, so there is nothing to chart."
    sentences = [
        f"{name} of {title}: {len(points)} value{'s' if len(points) > 1 else ''} from "
        f"{points[0].label} to {points[-1].label}; the latest is "
        f"{amount(points[-1].value, suffix)}. "
        + ("Higher is better." if analysis.direction is Direction.UP else "Lower is better.")
    ]
    if analysis.centre is not None:
        sentences.append(
            f"The {analysis.centre_name} is {amount(analysis.centre, suffix)}"
            f"{baseline_words(analysis)}."
        )
    if analysis.lower_limit is not None and analysis.upper_limit is not None:
        sentences.append(limit_words(analysis, suffix))
    if analysis.signals:
        sentences.append(
            f"{len(analysis.signals)} signal{'s' if len(analysis.signals) > 1 else ''}:"
        )
        sentences += [
            f"{signal.title}{verdict(signal.favourable)}: {signal.explanation}"
            for signal in analysis.signals
        ]
    elif analysis.centre is not None:
        sentences.append("No signals: the ups and downs look like everyday variation.")
    sentences += analysis.notes
    sentences += [f"Marked on {day:%-d %B %Y}: {words}." for day, words in annotations]
    return " ".join(sentences)


def verdict(favourable: bool | None) -> str:
    return {True: " (better)", False: " (worse)", None: ""}[favourable]


def baseline_words(analysis: Analysis) -> str:
    chosen = analysis.baseline_indexes
    if len(chosen) == len(analysis.points):
        return ", from all the points"
    first, last = analysis.points[chosen[0]].label, analysis.points[chosen[-1]].label
    return f", from the baseline {first} to {last}"


def limit_words(analysis: Analysis, suffix: str) -> str:
    if isinstance(analysis.lower_limit, float) and isinstance(analysis.upper_limit, float):
        return (
            f"The control limits are {amount(analysis.lower_limit, suffix)} and "
            f"{amount(analysis.upper_limit, suffix)}."
        )
    latest = analysis.limits_at(len(analysis.points) - 1)
    assert latest is not None  # noqa: S101 (the analysis has limits)
    return (
        f"The control limits change with each period's count; for the latest they are "
        f"{amount(latest[0], suffix)} and {amount(latest[1], suffix)}."
    )


def chart_spec(
    analysis: Analysis,
    kinds: list[str],
    annotations: Sequence[tuple[dt.date, str]],
    suffix: str,
    x_title: str,
    y_title: str,
) -> dict[str, Any]:
    x = alt.X(
        "date:T",
        title=x_title,
        scale=alt.Scale(type="utc"),
        axis=alt.Axis(format="%b %Y", labelOverlap=True, tickCount=5),
    )
    y = alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False, nice=True))
    rows = point_rows(analysis, kinds, suffix)
    layers: list[alt.Chart] = []
    layers += baseline_layers(analysis)
    layers += limit_layers(analysis, rows, x, y, suffix)
    series = alt.Chart(alt.Data(values=rows)).encode(x=x, y=y)
    present = [kind for kind in KIND_SHAPES if kind in kinds]
    legend = (
        alt.Legend(title=None, orient="bottom", direction="horizontal", labelFontSize=12)
        if present != [USUAL]
        else None
    )
    layers += [
        series.mark_line(color=BRAND, strokeWidth=2),
        series.mark_point(filled=True, opacity=1, stroke="white", strokeWidth=0.8).encode(
            shape=alt.Shape(
                "kind:N",
                scale=alt.Scale(domain=present, range=[KIND_SHAPES[k] for k in present]),
                legend=legend,
            ),
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(domain=present, range=[KIND_COLOURS[k] for k in present]),
                legend=legend,
            ),
            size=alt.Size(
                "kind:N",
                scale=alt.Scale(
                    type="ordinal", domain=present, range=[KIND_SIZES[k] for k in present]
                ),
                legend=None,
            ),
        ),
        # The latest value is written on its point, like the other LeadHub charts.
        alt.Chart(alt.Data(values=rows[-1:]))
        .mark_text(dy=-12, fontSize=12, fontWeight="bold", color=INK)
        .encode(x=x, y=y, text="text:N"),
    ]
    layers += annotation_layers(annotations, x)
    chart = alt.LayerChart(layer=layers).properties(width=WIDTH, height=HEIGHT)
    # The spec's shape is fixed here and checked by the tests, as in lib.charts.
    return chart.to_dict(validate=False)


def point_rows(analysis: Analysis, kinds: list[str], suffix: str) -> list[dict[str, Any]]:
    rows = []
    for index, (point, kind) in enumerate(zip(analysis.points, kinds, strict=True)):
        row: dict[str, Any] = {
            "date": point.date.isoformat(),
            "value": point.value,
            "kind": kind,
            "text": amount(point.value, suffix),
        }
        limits = analysis.limits_at(index)
        if limits is not None:
            row["lower"], row["upper"] = limits
        rows.append(row)
    return rows


def baseline_layers(analysis: Analysis) -> list[alt.Chart]:
    """A shaded band over the baseline, when it is only part of the series."""
    chosen = analysis.baseline_indexes
    if not chosen or len(chosen) == len(analysis.points):
        return []
    band = {
        "start": analysis.points[chosen[0]].date.isoformat(),
        "end": analysis.points[chosen[-1]].date.isoformat(),
        "label": "Baseline",
    }
    base = alt.Chart(alt.Data(values=[band]))
    utc = alt.Scale(type="utc")
    return [
        base.mark_rect(color=BASELINE_FILL).encode(x=alt.X("start:T", scale=utc), x2="end:T"),
        base.mark_text(align="left", baseline="top", dx=3, dy=3, fontSize=11, color=MUTED).encode(
            x=alt.X("start:T", scale=utc), y=alt.value(0), text="label:N"
        ),
    ]


def limit_layers(
    analysis: Analysis,
    rows: list[dict[str, Any]],
    x: alt.X,
    y: alt.Y,
    suffix: str,
) -> list[alt.Chart]:
    """The centre line and control limits, each named at its right-hand end."""
    if analysis.centre is None:
        return []
    last = rows[-1]
    lines = [{"date": row["date"], "value": analysis.centre, "line": "centre"} for row in rows]
    labels = [
        {
            "date": last["date"],
            "value": analysis.centre,
            "text": f"{analysis.centre_name.capitalize()} {amount(analysis.centre, suffix)}",
        }
    ]
    if "upper" in last:
        for name, key in (("Upper limit", "upper"), ("Lower limit", "lower")):
            lines += [{"date": row["date"], "value": row[key], "line": key} for row in rows]
            labels.append(
                {
                    "date": last["date"],
                    "value": last[key],
                    "text": f"{name} {amount(last[key], suffix)}",
                }
            )
    drawn = alt.Chart(alt.Data(values=lines)).encode(x=x, y=y, detail="line:N")
    return [
        drawn.transform_filter(alt.datum.line == "centre").mark_line(color=INK, strokeWidth=1.5),
        # A p-chart's limits step from one period's count to the next.
        drawn.transform_filter(alt.datum.line != "centre").mark_line(
            color=LIMIT_INK, strokeWidth=1.2, strokeDash=[5, 3], interpolate="step"
        ),
        alt.Chart(alt.Data(values=labels))
        .mark_text(align="left", dx=12, fontSize=11, color=INK)
        .encode(x=x, y=y, text="text:N"),
    ]


def annotation_layers(annotations: Sequence[tuple[dt.date, str]], x: alt.X) -> list[alt.Chart]:
    """A vertical rule where each change began, its words written along the rule."""
    if not annotations:
        return []
    marks = alt.Chart(
        alt.Data(values=[{"date": day.isoformat(), "label": words} for day, words in annotations])
    ).encode(x=x)
    words: dict[str, Any] = {
        "angle": 270,
        "align": "right",
        "baseline": "bottom",
        "dx": -4,
        "dy": -3,
        "fontSize": 11,
        "limit": HEIGHT - 8,
    }
    return [
        marks.mark_rule(color=ANNOTATION_INK, strokeWidth=1.5, strokeDash=[2, 2]),
        # A white outline first, so the words stay legible where they cross the line.
        marks.mark_text(**words, stroke="white", strokeWidth=3).encode(
            y=alt.value(0), text="label:N"
        ),
        marks.mark_text(**words, color=ANNOTATION_INK).encode(y=alt.value(0), text="label:N"),
    ]
