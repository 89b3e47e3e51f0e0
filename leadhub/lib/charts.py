"""Charts drawn on the server as accessible SVG: no JavaScript in the browser, fine in PDFs.

Altair describes a chart, vl-convert draws it as SVG, and :func:`accessible_svg` makes
that SVG fit LeadHub's pages: ``role="img"`` named by its ``<title>`` and ``<desc>``,
scaled to its container through its viewBox, with nothing a strict Content-Security-Policy
would block (no ``style`` attributes or elements, no scripts, no event handlers) and its
internal ids prefixed so two charts on one page never collide.

Each :class:`Chart` also carries a sentence saying what it shows and its data as rows for
a table, which ``components/_chart.html`` renders beside the picture. Values are written
on the marks themselves, so nothing depends on telling colours apart.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import xml.etree.ElementTree as ET  # noqa: S405 (parses SVG that vl-convert just produced)
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

import altair as alt
import vl_convert
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"

Number = int | float | Decimal
Point = tuple[str, Number]

INK = "#1d2733"
MUTED = "#4a5868"
BRAND = "#1f5f8b"
FONT = "DejaVu Sans, Verdana, sans-serif"
WIDTH = 300
HEIGHT = 170
# Chosen so labels stay legible when the chart shrinks to a phone's width.
CONFIG: dict[str, Any] = {
    "font": FONT,
    "background": "white",
    "view": {"stroke": None},
    "axis": {
        "labelFontSize": 12,
        "titleFontSize": 12,
        "labelColor": INK,
        "titleColor": INK,
        "titleFontWeight": "normal",
        "gridColor": "#d9dee3",
        "domainColor": MUTED,
        "tickColor": MUTED,
    },
    "axisX": {"labelAngle": 0},
}

# Inline style cannot pass the Content-Security-Policy; these are its SVG equivalents.
PRESENTATION_ATTRIBUTES = frozenset(
    {
        "fill",
        "fill-opacity",
        "stroke",
        "stroke-width",
        "stroke-opacity",
        "stroke-dasharray",
        "stroke-linecap",
        "stroke-linejoin",
        "opacity",
        "font-family",
        "font-size",
        "font-weight",
        "font-style",
        "text-anchor",
        "dominant-baseline",
        "display",
        "visibility",
    }
)
DROPPED_ELEMENTS = frozenset({"script", "style", "foreignObject"})


@dataclass(frozen=True)
class Chart:
    """A chart ready for a page or a PDF: the picture, its words and its data."""

    id: str
    title: str
    description: str
    svg: SafeString
    x_title: str
    y_title: str
    rows: list[tuple[str, str]]


def format_value(value: Number, suffix: str = "") -> str:
    """Thousands separated; a Decimal keeps its recorded precision (48.0 stays 48.0)."""
    if isinstance(value, float):
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:,}"
    return f"{text}{suffix}"


def describe_change(subject: str, points: Sequence[Point], *, suffix: str = "") -> str:
    """One sentence of what a series did, e.g. "Enrollment rose from 402 in 2023–24 to 455
    in 2026–27, its highest." Names the first and last values, and a peak or low between."""
    if not points:
        return f"No {subject.lower()} figures recorded yet."
    (first_label, first), (last_label, last) = points[0], points[-1]
    if len(points) == 1:
        return f"{subject} was {format_value(first, suffix)} in {first_label}."
    if last == first:
        sentence = (
            f"{subject} was {format_value(first, suffix)} in {first_label} "
            f"and again in {last_label}"
        )
    else:
        sentence = (
            f"{subject} {'rose' if last > first else 'fell'} from {format_value(first, suffix)} "
            f"in {first_label} to {format_value(last, suffix)} in {last_label}"
        )
    middle = points[1:-1]
    if middle:
        peak_label, peak = max(middle, key=lambda point: point[1])
        low_label, low = min(middle, key=lambda point: point[1])
        if peak > max(first, last):
            sentence += f", with a high of {format_value(peak, suffix)} in {peak_label}"
        elif low < min(first, last):
            sentence += f", with a low of {format_value(low, suffix)} in {low_label}"
    return sentence + "."


def line_chart(
    *,
    title: str,
    description: str,
    points: Sequence[Point],
    y_title: str,
    x_title: str = "School year",
    suffix: str = "",
    y_domain: tuple[float, float] | None = None,
) -> Chart:
    """A single series over ordered labels (usually school years), each point labelled.

    ``y_domain`` fixes the axis to a scale's whole range (1 to 5 for survey scores), so a
    small change does not look like a steep one.
    """
    rows = _rows(points, suffix)
    base = _base(x_title=x_title, y_title=y_title, zero=False, domain=y_domain)
    layers = alt.LayerChart(
        data=_data(points, rows),
        layer=[
            base.mark_line(color=BRAND, strokeWidth=2.5),
            base.mark_point(shape="circle", filled=True, size=70, color=BRAND, opacity=1),
            base.mark_text(dy=-12, fontSize=12, fontWeight="bold", color=INK).encode(text="text:N"),
        ],
    )
    return _chart(layers, title, description, rows, x_title, y_title)


def bar_chart(
    *,
    title: str,
    description: str,
    points: Sequence[Point],
    y_title: str,
    x_title: str = "School year",
    suffix: str = "",
) -> Chart:
    """Bars from zero, one per label, each with its value written above it."""
    rows = _rows(points, suffix)
    base = _base(x_title=x_title, y_title=y_title, zero=True)
    layers = alt.LayerChart(
        data=_data(points, rows),
        layer=[
            base.mark_bar(color=BRAND, stroke=INK, strokeWidth=1),
            base.mark_text(dy=-8, fontSize=12, fontWeight="bold", color=INK).encode(text="text:N"),
        ],
    )
    return _chart(layers, title, description, rows, x_title, y_title)


def _rows(points: Sequence[Point], suffix: str) -> list[tuple[str, str]]:
    return [(label, format_value(value, suffix)) for label, value in points]


def _data(points: Sequence[Point], rows: list[tuple[str, str]]) -> alt.Data:
    # The labels drawn on the marks are the very text of the data table.
    return alt.Data(
        values=[
            {"x": label, "y": float(value), "text": text}
            for (label, value), (_, text) in zip(points, rows, strict=True)
        ]
    )


def _base(
    *, x_title: str, y_title: str, zero: bool, domain: tuple[float, float] | None = None
) -> alt.Chart:
    scale = (
        alt.Scale(domain=list(domain)) if domain is not None else alt.Scale(zero=zero, nice=True)
    )
    return alt.Chart().encode(
        x=alt.X("x:N", title=x_title, sort=None),
        y=alt.Y("y:Q", title=y_title, scale=scale),
    )


def _chart(
    layers: alt.LayerChart,
    title: str,
    description: str,
    rows: list[tuple[str, str]],
    x_title: str,
    y_title: str,
) -> Chart:
    # The spec's shape is fixed by this module and checked by its tests; validating it
    # against the Vega-Lite schema on every page view would cost a tenth of a second.
    spec = layers.properties(width=WIDTH, height=HEIGHT).to_dict(validate=False)
    chart_id = chart_id_for(title, description)
    svg = drawn_svg(json.dumps(spec, sort_keys=True), chart_id, title, description)
    return Chart(
        id=chart_id,
        title=title,
        description=description,
        svg=mark_safe(svg),  # noqa: S308 (built and escaped by accessible_svg)
        x_title=x_title,
        y_title=y_title,
        rows=rows,
    )


@lru_cache(maxsize=256)
def drawn_svg(spec_json: str, chart_id: str, title: str, description: str) -> str:
    # The first drawing in a process starts vl-convert's engine (a second or two); later
    # ones take a fifth of a second, and a chart already drawn costs nothing.
    svg = vl_convert.vegalite_to_svg(json.loads(spec_json), config=CONFIG, allowed_base_urls=[])
    return str(accessible_svg(svg, chart_id=chart_id, title=title, description=description))


def chart_id_for(title: str, description: str) -> str:
    digest = hashlib.sha256(f"{title}\n{description}".encode()).hexdigest()[:8]
    return f"chart-{slugify(title)[:40]}-{digest}"


def accessible_svg(svg: str, *, chart_id: str, title: str, description: str) -> SafeString:
    """Make a drawn SVG an accessible image that a strict Content-Security-Policy allows."""
    root = ET.fromstring(svg)  # noqa: S314 (our own renderer's output, not user input)
    _strip_unsafe(root)
    _prefix_ids(root, chart_id)
    for attribute in ("width", "height", "class"):
        root.attrib.pop(attribute, None)
    # Width follows the container; the viewBox keeps the proportions.
    root.set("width", "100%")
    root.set("role", "img")
    root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
    root.set("focusable", "false")
    desc = ET.Element("desc", {"id": f"{chart_id}-desc"})
    desc.text = description
    heading = ET.Element("title", {"id": f"{chart_id}-title"})
    heading.text = title
    root.insert(0, desc)
    root.insert(0, heading)
    # Plain names and one xmlns, whatever prefixes other modules registered with
    # ElementTree: an HTML parser only recognises an <svg> spelled "svg".
    for element in root.iter():
        element.tag = _local_name(element.tag)
    attributes = {"xmlns": SVG_NS, **root.attrib}
    root.attrib.clear()
    root.attrib.update(attributes)
    markup = ET.tostring(root, encoding="unicode")
    return mark_safe(markup)  # noqa: S308 (ElementTree escapes every text and attribute)


def _strip_unsafe(element: ET.Element) -> None:
    for child in list(element):
        if _local_name(child.tag) in DROPPED_ELEMENTS:
            element.remove(child)
        else:
            _strip_unsafe(child)
    style = element.attrib.pop("style", None)
    if style:
        for declaration in style.split(";"):
            name, _, value = declaration.partition(":")
            name, value = name.strip(), value.strip()
            if name in PRESENTATION_ATTRIBUTES and value and name not in element.attrib:
                element.set(name, value)
    for attribute in [a for a in element.attrib if a.lower().startswith("on")]:
        del element.attrib[attribute]
    # SVG 2 reads a plain href; it needs no namespace prefix to survive serialization.
    if XLINK_HREF in element.attrib:
        element.set("href", element.attrib.pop(XLINK_HREF))


def _prefix_ids(root: ET.Element, chart_id: str) -> None:
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    if not ids:
        return
    reference = re.compile(r"url\(#([^)]+)\)")
    for element in root.iter():
        if (own := element.get("id")) in ids:
            element.set("id", f"{chart_id}-{own}")
        for name, value in list(element.attrib.items()):
            if name == "href" and value[1:] in ids:
                element.set(name, f"#{chart_id}-{value[1:]}")
            elif "url(#" in value:
                element.set(
                    name,
                    reference.sub(
                        lambda m: f"url(#{chart_id}-{m[1]})" if m[1] in ids else m[0], value
                    ),
                )


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


@dataclass(frozen=True)
class DatedPoint:
    """A value on a day. ``label`` names it on the chart and in its table ("Winter
    benchmark"); ``status`` (measured points) is one of the chart's status names."""

    on: dt.date
    value: Number
    label: str = ""
    status: str = ""


@dataclass(frozen=True)
class StatusStyle:
    """How a status is drawn: colour and shape together, so it never rests on colour."""

    name: str
    color: str
    shape: str  # a Vega-Lite point shape: "circle", "square", "triangle-down", "cross", …


def trajectory_chart(
    *,
    title: str,
    description: str,
    planned: Sequence[DatedPoint],
    measured: Sequence[DatedPoint],
    statuses: Sequence[StatusStyle],
    y_title: str,
    suffix: str = "",
    x_title: str = "Date",
) -> Chart:
    """A planned path over dated x (a dashed line through labelled waypoints) and the
    values measured against it (points coloured and shaped by their status, each with
    its value written beside it). The table lists every point, planned and measured, in
    date order."""
    day = _day_label
    rows = sorted(
        [
            (p.on, 0, day(p.on), f"Planned: {format_value(p.value, suffix)} ({p.label})")
            for p in planned
        ]
        + [
            (
                m.on,
                1,
                day(m.on),
                f"Measured: {format_value(m.value, suffix)}"
                + (f" · {m.status}" if m.status else "")
                + (f" ({m.label})" if m.label else ""),
            )
            for m in measured
        ]
    )
    table = [(label, text) for _, _, label, text in rows]
    # Noon local time: a day read as midnight UTC could be drawn on the day before.
    x = alt.X(
        "on:T",
        title=x_title,
        scale=alt.Scale(nice=False, padding=24),
        axis=alt.Axis(format="%b %Y", labelOverlap=True, tickCount=6),
    )
    y = alt.Y("y:Q", title=y_title, scale=alt.Scale(zero=False, nice=True, padding=14))
    plan_data = alt.Data(
        values=[
            {
                "on": _noon(p.on),
                "y": float(p.value),
                "text": f"{p.label} {format_value(p.value, suffix)}".strip(),
                "align": "left" if i == 0 else "right" if i == len(planned) - 1 else "center",
            }
            for i, p in enumerate(planned)
        ]
    )
    layers: list[Any] = []
    if planned:
        plan = alt.Chart(plan_data).encode(x=x, y=y)
        layers += [
            plan.mark_line(color=MUTED, strokeWidth=2, strokeDash=[6, 4]),
            plan.mark_point(shape="diamond", filled=True, size=60, color=MUTED, opacity=1),
        ]
        # The first label starts at its point and the last ends at it, so neither runs
        # off the chart or over the axis.
        for align in ("left", "center", "right"):
            layers.append(
                plan.transform_filter(alt.datum.align == align)
                .mark_text(dy=-12, fontSize=11, color=INK, align=align)
                .encode(text="text:N")
            )
    if measured:
        names = [s.name for s in statuses]
        measured_data = alt.Data(
            values=[
                {
                    "on": _noon(m.on),
                    "y": float(m.value),
                    "status": m.status,
                    "text": format_value(m.value, suffix),
                }
                for m in measured
            ]
        )
        points = alt.Chart(measured_data).encode(x=x, y=y)
        legend = alt.Legend(title=None, orient="bottom", labelFontSize=12, symbolSize=90)
        layers += [
            points.mark_point(filled=True, size=110, opacity=1, stroke=INK, strokeWidth=1).encode(
                color=alt.Color(
                    "status:N",
                    scale=alt.Scale(domain=names, range=[s.color for s in statuses]),
                    legend=legend,
                ),
                shape=alt.Shape(
                    "status:N",
                    scale=alt.Scale(domain=names, range=[s.shape for s in statuses]),
                    legend=legend,
                ),
            ),
            points.mark_text(dy=16, fontSize=12, fontWeight="bold", color=INK).encode(
                text="text:N"
            ),
        ]
    if not layers:
        layers = [alt.Chart(alt.Data(values=[])).mark_point()]
    chart = alt.LayerChart(layer=layers).properties(width=WIDTH * 2, height=HEIGHT + 60)
    spec = chart.to_dict(validate=False)
    chart_id = chart_id_for(title, description)
    svg = drawn_svg(json.dumps(spec, sort_keys=True), chart_id, title, description)
    return Chart(
        id=chart_id,
        title=title,
        description=description,
        svg=mark_safe(svg),  # noqa: S308 (built and escaped by accessible_svg)
        x_title=x_title,
        y_title=y_title,
        rows=table,
    )


def _noon(day: dt.date) -> str:
    return f"{day.isoformat()}T12:00:00"


def _day_label(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"
