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
