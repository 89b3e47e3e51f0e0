"""The diagram as a tree (JSON) and as a drawing (SVG)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from leadhub.measures.tests.factories import MeasureFactory
from leadhub.strategy.diagram_svg import diagram_svg, layout
from leadhub.strategy.diagram_tree import diagram_tree, tree_json
from leadhub.strategy.models import DriverDiagram, DriverNode, NodeKind
from leadhub.strategy.tests.factories import (
    DriverDiagramFactory,
    DriverNodeFactory,
    StrategicPlanFactory,
)

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def grow(diagram, count: int) -> None:  # type: ignore[no-untyped-def]
    """``count`` nodes spread over the three levels, with long and short texts."""
    primaries: list[DriverNode] = []
    secondaries: list[DriverNode] = []
    for index in range(count):
        text = f"Node {index} " + "with quite a long description of the work " * (index % 4)
        if index % 6 == 0 or not primaries:
            primaries.append(
                DriverNodeFactory(diagram=diagram, kind=NodeKind.PRIMARY, text=text, position=index)
            )
        elif index % 3 == 0 or not secondaries:
            secondaries.append(
                DriverNodeFactory(
                    diagram=diagram,
                    parent=primaries[-1],
                    kind=NodeKind.SECONDARY,
                    text=text,
                    position=index,
                    approach="adaptive" if index % 2 else "",
                )
            )
        else:
            DriverNodeFactory(
                diagram=diagram,
                parent=secondaries[-1],
                kind=NodeKind.CHANGE_IDEA,
                text=text,
                position=index,
                approach="technical",
            )


def test_tree_json_has_the_documented_shape(world) -> None:  # type: ignore[no-untyped-def]
    diagram = DriverDiagram.objects.get(pk=world.objects["diagram"].pk)
    data = tree_json(diagram)
    assert set(data) == {"aim", "nodes"}
    assert data["aim"]["outcome"] == diagram.outcome
    assert set(data["aim"]) == {
        "outcome",
        "measure",
        "student_group",
        "baseline_value",
        "baseline_date",
        "target_value",
        "deadline",
        "achievability_note",
    }
    primary = data["nodes"][0]
    assert primary["id"] == world.objects["primary_driver"].pk
    assert set(primary) == {"id", "kind", "text", "approach", "measures", "children"}
    secondary = primary["children"][0]
    assert secondary["kind"] == "secondary"
    assert secondary["children"][0]["id"] == world.objects["change_idea"].pk


def test_tree_is_read_in_a_fixed_number_of_queries(world, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    small = DriverDiagramFactory(plan=StrategicPlanFactory(district=world.district))
    big = DriverDiagramFactory(plan=StrategicPlanFactory(district=world.district))
    grow(small, 3)
    grow(big, 40)
    measure = MeasureFactory()
    for node in big.nodes.all()[:10]:
        node.measures.add(measure)
    with django_assert_num_queries(2):
        diagram_tree(small)
    with django_assert_num_queries(2):
        tree = diagram_tree(big)
    assert tree.count == 40
    linked = [n for n in tree.walk() if n.measures]
    assert len(linked) == 10 and linked[0].measures[0].name == measure.name


def test_measures_are_only_those_the_reader_may_see(world) -> None:  # type: ignore[no-untyped-def]
    diagram = DriverDiagram.objects.get(pk=world.objects["diagram"].pk)
    node = world.objects["primary_driver"]
    theirs = MeasureFactory(district=world.other_district, name="Far River measure")
    node.measures.add(theirs)
    seen_by_leader = tree_json(diagram, world.persona("district_leader"))["nodes"][0]["measures"]
    assert seen_by_leader == []
    assert tree_json(diagram)["nodes"][0]["measures"] == [{"id": theirs.pk, "name": theirs.name}]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (the module's own output)


def boxes_of(svg: str) -> list[tuple[float, float, float]]:
    root = parse(svg)
    return [
        (float(r.get("x")), float(r.get("y")), float(r.get("height")))
        for r in root.iter(f"{SVG}rect")
    ]


@pytest.mark.parametrize("count", [1, 2, 7, 19, 40])
def test_boxes_never_overlap(world, count: int) -> None:  # type: ignore[no-untyped-def]
    diagram = DriverDiagramFactory(plan=StrategicPlanFactory(district=world.district))
    grow(diagram, count)
    svg = str(diagram_svg(diagram))
    boxes = boxes_of(svg)
    assert len(boxes) == count + 1  # the aim and every node
    by_column: dict[float, list[tuple[float, float]]] = {}
    for x, y, height in boxes:
        by_column.setdefault(x, []).append((y, y + height))
    for spans in by_column.values():
        spans.sort()
        for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
            assert start >= end, f"boxes overlap in a column of a {count}-node diagram"
    root = parse(svg)
    height = float(root.get("height"))
    assert all(y + h <= height for _, y, h in boxes)
    # A line for every node joining it to what it drives.
    assert len(list(root.iter(f"{SVG}path"))) == count


def test_svg_is_an_accessible_picture_without_style_attributes(world) -> None:  # type: ignore[no-untyped-def]
    diagram = DriverDiagram.objects.get(pk=world.objects["diagram"].pk)
    svg = str(diagram_svg(diagram))
    root = parse(svg)
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and diagram.plan.title in title.text
    assert desc is not None and "1 primary driver" in desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert not re.search(r"\sstyle=", svg)
    texts = "".join(root.itertext())
    for node in diagram.nodes.all():
        assert node.text.split()[0] in texts
    assert "Primary drivers" in texts and "Change ideas" in texts


def test_svg_escapes_text_and_wraps_long_lines(world) -> None:  # type: ignore[no-untyped-def]
    diagram = DriverDiagramFactory(
        plan=StrategicPlanFactory(district=world.district), outcome="<script>alert(1)</script>"
    )
    DriverNodeFactory(diagram=diagram, text="Tom & Jerry's " + "reading " * 20)
    svg = str(diagram_svg(diagram))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    root = parse(svg)  # well formed
    node_text = [t for t in root.iter(f"{SVG}text") if "Tom" in "".join(t.itertext())][0]
    lines = list(node_text.iter(f"{SVG}tspan"))
    assert len(lines) > 3
    assert all(len(line.text) <= 27 for line in lines)


def test_adaptive_nodes_are_dashed_and_tagged(world) -> None:  # type: ignore[no-untyped-def]
    diagram = DriverDiagramFactory(plan=StrategicPlanFactory(district=world.district))
    DriverNodeFactory(diagram=diagram, text="Trust", approach="adaptive")
    svg = str(diagram_svg(diagram))
    assert re.search(r'stroke-dasharray="6 3"', svg)
    assert ">Adaptive<" in svg
    aim, boxes, links, width, height = layout(diagram_tree(diagram))
    assert boxes[0].x > aim.x and len(links) == 1 and width > boxes[0].x
