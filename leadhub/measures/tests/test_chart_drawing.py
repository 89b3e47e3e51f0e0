"""Run and control charts drawn as accessible SVG: the series, its lines, its signals."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string

from leadhub.measures.chart_drawing import (
    KIND_COLOURS,
    OUTSIDE,
    SIGNAL,
    USUAL,
    run_chart,
)
from leadhub.measures.spc import Point, RuleSetName, analyse

SVG = "{http://www.w3.org/2000/svg}"
# A circle is drawn with arcs, a square with straight sides, a diamond with four corners.
SHAPE_PATTERNS = {USUAL: r"A[\d.]", OUTSIDE: r"h[\d.]", SIGNAL: r"^M-?[\d.]+,0L0,"}


def monthly(values: list[float], counts: list[tuple[float, float]] | None = None) -> list[Point]:
    """One point a month from September 2024, labelled like "Sep 2024"."""
    points = []
    for index, value in enumerate(values):
        year, month = divmod(8 + index, 12)
        day = dt.date(2024 + year, month + 1, 1)
        numerator, denominator = counts[index] if counts else (None, None)
        points.append(Point(f"{day:%b %Y}", day, value, numerator, denominator))
    return points


# Ten baseline months near 71%, then a rise after a PDSA cycle began in July 2025.
ATTENDANCE = [71, 73, 70, 72, 74, 71, 69, 72, 73, 70, 75, 78, 79, 80, 82, 81, 83, 84, 95, 85]
BASELINE = (dt.date(2024, 9, 1), dt.date(2025, 6, 30))
ANNOTATIONS = [(dt.date(2025, 7, 15), "Reading circles began")]


def draw(rule_set: RuleSetName, values=ATTENDANCE, *, direction="up", counts=None):
    analysis = analyse(
        monthly(values, counts),
        rule_set=rule_set,
        direction=direction,
        baseline=BASELINE,
        unit_suffix="%",
    )
    chart = run_chart(
        analysis,
        title="Attendance",
        unit_suffix="%",
        annotations=ANNOTATIONS,
        direction=direction,
        y_title="Attendance (%)",
        x_title="Month",
    )
    return analysis, chart


@pytest.fixture(scope="module")
def run() -> tuple:
    return draw(RuleSetName.IHI)


@pytest.fixture(scope="module")
def control() -> tuple:
    return draw(RuleSetName.XMR)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (the module's own output)


def drawn_text(svg: str) -> set[str]:
    return {text.text for text in parse(svg).iter(f"{SVG}text") if text.text}


def drawn_points(svg: str) -> dict[str, list[ET.Element]]:
    """The point marks by kind, read from the labels Vega gives each mark."""
    points: dict[str, list[ET.Element]] = {}
    for path in parse(svg).iter(f"{SVG}path"):
        label = path.get("aria-label") or ""
        if path.get("aria-roledescription") == "point" and "kind: " in label:
            assert "NaN" not in path.get("d")  # every mark has a size and a place
            points.setdefault(label.split("kind: ")[1], []).append(path)
    return points


def test_the_description_says_what_the_chart_shows_and_every_signal(run) -> None:
    analysis, chart = run
    assert chart.description.startswith(
        "Run chart read with the IHI rules of Attendance: 20 values from Sep 2024 to "
        "Apr 2026; the latest is 85%. Higher is better. The median is 71.5%, from the "
        "baseline Sep 2024 to Jun 2025."
    )
    assert analysis.signals
    for signal in analysis.signals:
        assert f"{signal.title} (better): {signal.explanation}" in chart.description
    assert "Marked on 15 July 2025: Reading circles began." in chart.description


def test_the_svg_is_named_by_its_title_and_description(run) -> None:
    _, chart = run
    root = parse(chart.svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Attendance"
    assert root.find(f"{SVG}desc").text == chart.description
    assert "style=" not in chart.svg and "<script" not in chart.svg


def test_a_run_chart_draws_its_median_baseline_and_annotation(run) -> None:
    analysis, chart = run
    text = drawn_text(chart.svg)
    assert {"Median 71.5%", "Baseline", "Reading circles began", "85%"} <= text
    assert not any(t.startswith(("Upper limit", "Lower limit")) for t in text)
    # The annotation is a vertical rule: a line with no horizontal extent.
    rules = [
        line for line in parse(chart.svg).iter(f"{SVG}line") if line.get("stroke") == "#5b3a8c"
    ]
    assert rules and all(line.get("x2") in (None, "0") for line in rules)


def test_signal_points_differ_in_shape_and_colour_and_the_legend_names_them(run) -> None:
    analysis, chart = run
    points = drawn_points(chart.svg)
    signalled = analysis.signal_indexes
    assert len(points[SIGNAL]) == len(signalled)
    assert len(points[USUAL]) == len(analysis.points) - len(signalled)
    for kind in (USUAL, SIGNAL):
        for path in points[kind]:
            assert path.get("fill") == KIND_COLOURS[kind]
            assert re.search(SHAPE_PATTERNS[kind], path.get("d"))
    assert {USUAL, SIGNAL} <= drawn_text(chart.svg)


def test_a_control_chart_draws_its_mean_limits_and_astronomical_points(control) -> None:
    analysis, chart = control
    text = drawn_text(chart.svg)
    assert {"Mean 71.5%", "Upper limit 77.71%", "Lower limit 65.29%", OUTSIDE} <= text
    assert "The control limits are 65.29% and 77.71%." in chart.description
    outside = drawn_points(chart.svg)[OUTSIDE]
    assert len(outside) == len(analysis.astronomical_indexes) == 9
    for path in outside:
        assert path.get("fill") == KIND_COLOURS[OUTSIDE]
        assert re.search(SHAPE_PATTERNS[OUTSIDE], path.get("d"))


def test_the_data_table_marks_the_same_points(control) -> None:
    analysis, chart = control
    assert chart.rows[0] == ("Sep 2024", "71%")
    assert chart.rows[10] == ("Jul 2025", "75% (part of a signal)")
    assert chart.rows[-2] == ("Mar 2026", "95% (outside the limits)")
    assert (chart.x_title, chart.y_title) == ("Month", "Attendance (%)")
    html = render_to_string("components/_chart.html", {"chart": chart})
    assert "95% (outside the limits)" in html


def test_a_p_chart_describes_and_draws_limits_that_vary() -> None:
    counts = [(30.0, 100.0), (5.0, 25.0), (120.0, 400.0)] * 4
    values = [100 * n / d for n, d in counts]
    analysis, chart = draw(RuleSetName.P_CHART, values, counts=counts)
    assert analysis.rule_set is RuleSetName.P_CHART
    assert chart.description.startswith("Control chart (p-chart) of Attendance")
    assert "The control limits change with each period's count; for the latest they are " in (
        chart.description
    )
    # The limits step with the denominators: the dashed paths are not straight lines.
    dashed = [p for p in parse(chart.svg).iter(f"{SVG}path") if p.get("stroke-dasharray")]
    assert len(dashed) == 2
    for path in dashed:
        heights = set(re.findall(r"[ML][-\d.]+,([-\d.]+)", path.get("d")))
        assert len(heights) == 3  # one per denominator: 100, 25 and 400


def test_a_quiet_chart_says_so_and_shows_no_legend() -> None:
    analysis, chart = draw(RuleSetName.IHI, [71, 73, 70, 72, 74, 71, 69, 72, 73, 70])
    assert analysis.signals == ()
    assert "No signals: the ups and downs look like everyday variation." in chart.description
    assert USUAL not in drawn_text(chart.svg)
    assert len(drawn_points(chart.svg)[USUAL]) == 10


def test_notes_and_the_better_direction_are_in_the_description() -> None:
    analysis, chart = draw(RuleSetName.ANHOEJ, [71, 73, 70, 72], direction="down")
    assert "Lower is better." in chart.description
    for note in analysis.notes:
        assert note in chart.description


def test_a_direction_that_contradicts_the_analysis_is_refused(run) -> None:
    analysis, _ = run
    with pytest.raises(ValueError):
        run_chart(analysis, title="Attendance", direction="down")


def test_an_empty_series_still_draws_and_says_there_is_nothing_yet() -> None:
    chart = run_chart(analyse([], rule_set=RuleSetName.IHI), title="Attendance")
    assert chart.description == (
        "Run chart read with the IHI rules of Attendance. No values yet, so there is "
        "nothing to chart."
    )
    assert chart.rows == []
    assert parse(chart.svg).find(f"{SVG}desc").text == chart.description
