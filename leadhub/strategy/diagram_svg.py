"""The driver diagram drawn as SVG, on the server, from the tree.

The aim is on the left; primary drivers, secondary drivers and change ideas follow in
columns, each joined to what it drives by a line. Text is wrapped to the box; every
subtree gets its own band of height (the larger of its box and its children's stack), so
boxes never overlap however many nodes there are. Presentation attributes only (the CSP
forbids style attributes), every text escaped. The picture is ``role="img"`` with a
title and a summary; the outline on the page is its full text alternative.

:func:`diagram_svg` is what pages (and the strategic plan's print view) call.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from leadhub.strategy.diagram_tree import DiagramTree, TreeNode, diagram_tree
from leadhub.strategy.models import Approach, DriverDiagram, NodeKind

BOX_WIDTH = 210
COLUMN_GAP = 44
MARGIN = 16
HEADER = 34
PAD = 10
LINE = 17
FONT = 13
TAG_LINE = 16
CHARS_PER_LINE = 27
BOLD_CHARS_PER_LINE = 24  # the aim and primary drivers are set in bold, which runs wider
GAP = {0: 22, 1: 12, 2: 8}  # between sibling subtrees, by depth

COLUMN_TITLES = ["Aim", "Primary drivers", "Secondary drivers", "Change ideas"]
COLOURS = {
    "aim": ("#1f3a5f", "#1f3a5f", "#ffffff"),
    NodeKind.PRIMARY: ("#dce9f7", "#2b5c8a", "#14263a"),
    NodeKind.SECONDARY: ("#e3f1e3", "#2f6b2f", "#14300f"),
    NodeKind.CHANGE_IDEA: ("#fff1d6", "#8a5a00", "#3a2700"),
}
LINE_COLOUR = "#5b6b7b"


def wrap(text: str, width: int = CHARS_PER_LINE) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=True) or [""]


def lines_of(text: str, kind: str) -> list[str]:
    bold = kind in ("aim", NodeKind.PRIMARY)
    return wrap(text, BOLD_CHARS_PER_LINE if bold else CHARS_PER_LINE)


@dataclass
class Box:
    x: float
    y: float
    height: float
    lines: list[str]
    kind: str
    tag: str = ""
    adaptive: bool = False

    @property
    def middle(self) -> float:
        return self.y + self.height / 2


def box_height(lines: list[str], tag: str) -> float:
    return 2 * PAD + len(lines) * LINE + (TAG_LINE if tag else 0)


def column_x(column: int) -> float:
    return MARGIN + column * (BOX_WIDTH + COLUMN_GAP)


def _tag(item: TreeNode) -> str:
    return str(Approach(item.node.approach).label) if item.node.approach else ""


def _subtree_height(item: TreeNode, heights: dict[int, float]) -> float:
    own = box_height(lines_of(item.node.text, item.node.kind), _tag(item))
    if item.children:
        stack = sum(_subtree_height(child, heights) for child in item.children)
        stack += GAP[item.depth + 1] * (len(item.children) - 1)
    else:
        stack = 0
    heights[item.pk] = max(own, stack)
    return heights[item.pk]


def _place(
    item: TreeNode,
    top: float,
    heights: dict[int, float],
    boxes: list[Box],
    links: list[tuple[Box, Box]],
) -> Box:
    lines, tag = lines_of(item.node.text, item.node.kind), _tag(item)
    own = box_height(lines, tag)
    band = heights[item.pk]
    box = Box(
        x=column_x(item.depth + 1),
        y=top + (band - own) / 2,
        height=own,
        lines=lines,
        kind=item.node.kind,
        tag=tag,
        adaptive=item.node.approach == Approach.ADAPTIVE,
    )
    boxes.append(box)
    if item.children:
        gap = GAP[item.depth + 1]
        stack = sum(heights[c.pk] for c in item.children) + gap * (len(item.children) - 1)
        y = top + (band - stack) / 2
        for child in item.children:
            links.append((box, _place(child, y, heights, boxes, links)))
            y += heights[child.pk] + gap
    return box


def layout(tree: DiagramTree) -> tuple[Box, list[Box], list[tuple[Box, Box]], float, float]:
    """The aim's box, every node's box, the lines between them, the width and height."""
    heights: dict[int, float] = {}
    stack = sum(_subtree_height(root, heights) for root in tree.roots)
    stack += GAP[0] * max(len(tree.roots) - 1, 0)
    aim_lines = lines_of(tree.diagram.outcome or "No aim written yet", "aim")
    aim_height = box_height(aim_lines, "")
    total = max(stack, aim_height)
    top = MARGIN + HEADER
    aim = Box(
        x=column_x(0),
        y=top + (total - aim_height) / 2,
        height=aim_height,
        lines=aim_lines,
        kind="aim",
    )
    boxes: list[Box] = []
    links: list[tuple[Box, Box]] = []
    y = top + (total - stack) / 2
    for root in tree.roots:
        links.append((aim, _place(root, y, heights, boxes, links)))
        y += heights[root.pk] + GAP[0]
    columns = 1 + max((int(item.depth) + 1 for item in tree.walk()), default=0)
    width = column_x(max(columns, 1)) - COLUMN_GAP + MARGIN
    return aim, boxes, links, width, top + total + MARGIN


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _box_svg(box: Box) -> str:
    fill, stroke, ink = COLOURS[box.kind]
    parts = [
        f'<g class="dd-node dd-{escape(box.kind)}">',
        f'<rect x="{_num(box.x)}" y="{_num(box.y)}" width="{BOX_WIDTH}" '
        f'height="{_num(box.height)}" rx="6" fill="{fill}" stroke="{stroke}" '
        f'stroke-width="{2 if box.kind == "aim" else 1.5}"'
        + (' stroke-dasharray="6 3"' if box.adaptive else "")
        + "/>",
    ]
    tspans = "".join(
        f'<tspan x="{_num(box.x + PAD)}" dy="{LINE if index else 0}">{escape(line)}</tspan>'
        for index, line in enumerate(box.lines)
    )
    weight = ' font-weight="700"' if box.kind in ("aim", NodeKind.PRIMARY) else ""
    parts.append(
        f'<text x="{_num(box.x + PAD)}" y="{_num(box.y + PAD + FONT)}" font-size="{FONT}" '
        f'fill="{ink}"{weight}>{tspans}</text>'
    )
    if box.tag:
        parts.append(
            f'<text x="{_num(box.x + PAD)}" '
            f'y="{_num(box.y + box.height - PAD)}" font-size="11" font-style="italic" '
            f'fill="{stroke}">{escape(box.tag)}</text>'
        )
    parts.append("</g>")
    return "".join(parts)


def _link_svg(start: Box, end: Box) -> str:
    x1, y1 = start.x + BOX_WIDTH, start.middle
    x2, y2 = end.x, end.middle
    bend = x1 + COLUMN_GAP / 2
    return (
        f'<path d="M{_num(x1)} {_num(y1)} H{_num(bend)} V{_num(y2)} H{_num(x2)}" '
        f'fill="none" stroke="{LINE_COLOUR}" stroke-width="1.5"/>'
    )


def describe(tree: DiagramTree) -> str:
    counts = tree.counts()
    aim = tree.diagram.outcome or "not written yet"

    def many(number: int, word: str) -> str:
        return f"{number} {word}{'' if number == 1 else 's'}"

    return (
        f"The aim, “{aim}”, on the left; to its right "
        f"{many(counts[NodeKind.PRIMARY], 'primary driver')}, "
        f"{many(counts[NodeKind.SECONDARY], 'secondary driver')} and "
        f"{many(counts[NodeKind.CHANGE_IDEA], 'change idea')}, joined by lines to what "
        "they drive. The outline lists every one in words."
    )


def render_svg(tree: DiagramTree) -> SafeString:
    aim, boxes, links, width, height = layout(tree)
    ident = f"driver-diagram-{tree.diagram.pk}"
    columns = 1 + max((item.depth + 1 for item in tree.walk()), default=0)
    headers = "".join(
        f'<text x="{_num(column_x(index))}" y="{MARGIN + 14}" font-size="13" '
        f'font-weight="700" fill="#33414f">{escape(title)}</text>'
        for index, title in enumerate(COLUMN_TITLES[: max(columns, 1)])
    )
    body = "".join(_link_svg(a, b) for a, b in links)
    body += _box_svg(aim) + "".join(_box_svg(box) for box in boxes)
    title = f"Driver diagram of {tree.diagram.plan.title}"
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="driver-diagram-svg" role="img" '
        f'width="{_num(width)}" height="{_num(height)}" '
        f'viewBox="0 0 {_num(width)} {_num(height)}" '
        f'aria-labelledby="{ident}-title {ident}-desc" '
        f'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(describe(tree))}</desc>'
        f"{headers}{body}</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - every text above is escaped


def diagram_svg(diagram: DriverDiagram, tree: DiagramTree | None = None) -> SafeString:
    """The diagram as an inline SVG picture (pass ``tree`` when already read)."""
    return render_svg(tree if tree is not None else diagram_tree(diagram))
