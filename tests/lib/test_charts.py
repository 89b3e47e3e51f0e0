"""Server-drawn charts: valid, accessible SVG that a strict CSP allows, with words and a table."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string

from leadhub.lib import charts as charts_module
from leadhub.lib.charts import (
    accessible_svg,
    bar_chart,
    describe_change,
    format_value,
    line_chart,
)

SVG = "{http://www.w3.org/2000/svg}"
ENROLLMENT = [("2023–24", 402), ("2024–25", 431), ("2025–26", 420), ("2026–27", 455)]
LOW_INCOME = [("2024–25", Decimal("51.0")), ("2025–26", Decimal("48.5"))]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (the module's own output)


@pytest.fixture(scope="module")
def charts():
    return [
        line_chart(
            title="Enrollment",
            description=describe_change("Enrollment", ENROLLMENT),
            points=ENROLLMENT,
            y_title="Students enrolled",
        ),
        bar_chart(
            title="Students from low-income families",
            description=describe_change("The low-income share", LOW_INCOME, suffix="%"),
            points=LOW_INCOME,
            y_title="Share of students (%)",
            suffix="%",
        ),
    ]


def test_a_chart_is_valid_svg_named_by_its_title_and_description(charts) -> None:
    for chart in charts:
        # Unprefixed, whatever other modules registered: HTML parsers only know "<svg".
        assert chart.svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" ')
        root = parse(chart.svg)
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img"
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert (title.text, desc.text) == (chart.title, chart.description)
        assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        # It follows its container's width; the viewBox keeps its proportions.
        assert root.get("width") == "100%" and root.get("height") is None
        assert len(root.get("viewBox").split()) == 4


def test_a_chart_has_nothing_the_content_security_policy_would_block(charts) -> None:
    for chart in charts:
        root = parse(chart.svg)
        assert "style=" not in chart.svg
        assert "<script" not in chart.svg and "<style" not in chart.svg
        for element in root.iter():
            assert not [name for name in element.attrib if name.lower().startswith("on")]


def test_values_are_written_on_the_marks_not_told_by_colour_alone(charts) -> None:
    drawn = {text.text for text in parse(charts[0].svg).iter(f"{SVG}text")}
    assert {"402", "431", "420", "455"} <= drawn


def test_two_charts_on_one_page_never_share_an_id(charts) -> None:
    ids = [
        element.get("id")
        for chart in charts
        for element in parse(chart.svg).iter()
        if element.get("id")
    ]
    assert len(ids) == len(set(ids))


class TableReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.in_cell = False

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "tr":
            self.rows.append([])
        self.in_cell = tag in {"th", "td"}
        if self.in_cell:
            self.rows[-1].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"th", "td"}:
            self.in_cell = False

    def handle_data(self, data: str) -> None:
        if self.in_cell:
            self.rows[-1][-1] += data


def test_the_component_shows_the_words_and_a_data_table_matching_the_points(charts) -> None:
    line, bar = charts
    html = render_to_string("components/_chart.html", {"chart": line})
    reader = TableReader()
    reader.feed(html)
    assert reader.rows == [
        ["School year", "Students enrolled"],
        *[[label, str(value)] for label, value in ENROLLMENT],
    ]
    assert "<summary>Show the data as a table" in html
    assert line.description in html
    assert f'aria-labelledby="{line.id}-caption"' in html and f'id="{line.id}-caption"' in html

    bar_html = render_to_string("components/_chart.html", {"chart": bar})
    reader = TableReader()
    reader.feed(bar_html)
    assert reader.rows[1:] == [["2024–25", "51.0%"], ["2025–26", "48.5%"]]


def test_the_table_can_be_left_out_where_the_page_already_has_it(charts) -> None:
    html = render_to_string("components/_chart.html", {"chart": charts[0], "table_elsewhere": True})
    assert "<table" not in html and charts[0].description in html


def test_the_description_names_the_first_and_last_values_in_words() -> None:
    assert describe_change("Enrollment", ENROLLMENT) == (
        "Enrollment rose from 402 in 2023–24 to 455 in 2026–27."
    )
    assert describe_change("The low-income share", LOW_INCOME, suffix="%") == (
        "The low-income share fell from 51.0% in 2024–25 to 48.5% in 2025–26."
    )
    assert describe_change("Enrollment", [("2024–25", 400), ("2025–26", 400)]) == (
        "Enrollment was 400 in 2024–25 and again in 2025–26."
    )
    assert describe_change("Enrollment", [("2025–26", 1204)]) == (
        "Enrollment was 1,204 in 2025–26."
    )
    assert describe_change("Enrollment", [("a", 400), ("b", 520), ("c", 410)]) == (
        "Enrollment rose from 400 in a to 410 in c, with a high of 520 in b."
    )
    assert describe_change("Enrollment", []) == "No enrollment figures recorded yet."


def test_values_read_as_people_write_them() -> None:
    assert format_value(12045) == "12,045"
    assert format_value(Decimal("48.0"), "%") == "48.0%"
    assert format_value(48.25) == "48.25"


def test_style_attributes_become_presentation_attributes_and_unsafe_parts_go() -> None:
    drawn = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="300" height="100" viewBox="0 0 300 100" style="font-family: serif">'
        "<style>text { fill: red }</style><script>alert(1)</script>"
        '<defs><clipPath id="clip1"><rect width="10" height="10"/></clipPath></defs>'
        '<g clip-path="url(#clip1)" onclick="alert(1)">'
        '<text style="fill: #123456; font-size: 12px; cursor: pointer" fill="#000">x</text>'
        '<use xlink:href="#clip1"/></g></svg>'
    )
    svg = accessible_svg(drawn, chart_id="chart-a", title="A", description="B")
    root = parse(svg)

    assert "style" not in svg and "script" not in svg and "onclick" not in svg
    text = root.find(f".//{SVG}text")
    assert text.get("fill") == "#000"  # an attribute already there wins over the style
    assert text.get("font-size") == "12px"
    assert text.get("cursor") is None  # not a presentation attribute worth keeping
    assert root.get("font-family") == "serif"
    assert root.find(f".//{SVG}clipPath").get("id") == "chart-a-clip1"
    assert root.find(f".//{SVG}g").get("clip-path") == "url(#chart-a-clip1)"
    assert root.find(f".//{SVG}use").get("href") == "#chart-a-clip1"
    assert "ns0:" not in svg and "ns1:" not in svg and svg.startswith("<svg ")


def test_the_renderer_refuses_to_load_data_from_anywhere() -> None:
    spec = {"data": {"url": "https://example.invalid/rows.json"}, "mark": "bar"}
    with pytest.raises(ValueError, match="External data url not allowed"):
        charts_module.drawn_svg(json.dumps(spec), "chart-x", "X", "Y")
