"""A driver diagram as a tree of plain data: what the outline, the drawing and the API read.

:func:`diagram_tree` reads the whole diagram in a fixed number of queries (the nodes, and
their measures; the aim's measure and student group come with the diagram), whatever its
size. :func:`tree_json` is the shape the API returns::

    {"aim": {outcome, measure, student_group, baseline_value, baseline_date,
             target_value, deadline, achievability_note},
     "nodes": [{"id", "kind", "text", "approach", "measures": [{"id", "name"}],
                "children": [...]}]}

Measures are those the person reading may see (``viewer``); without a viewer, all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from leadhub.measures.models import Measure
from leadhub.strategy.models import CHILD_KIND, DriverDiagram, DriverNode, NodeKind

LEVELS = [NodeKind.PRIMARY, NodeKind.SECONDARY, NodeKind.CHANGE_IDEA]


def move_in_allowed(kind: str, *, has_previous: bool, height: int) -> bool:
    """The rules of "Move in": the node goes under the sibling just above it, as its last
    child, one level deeper, and everything under it goes one level deeper too. So it
    needs a sibling above it, and room below: a change idea never moves in (nothing is
    under a change idea), a secondary driver moves in only without change ideas of its
    own, a primary driver only without change ideas under it.

    "Move out" is always allowed under a parent: the node becomes the sibling just after
    its parent, one level up, and its children rise with it. "Move up" and "Move down"
    swap the node with its neighbour among its siblings."""
    level = LEVELS.index(NodeKind(kind))
    return has_previous and level + 1 + height < len(LEVELS)


@dataclass
class TreeNode:
    node: DriverNode
    children: list[TreeNode] = field(default_factory=list)
    depth: int = 0
    first: bool = False
    last: bool = False
    parent: TreeNode | None = None

    @property
    def pk(self) -> int:
        return self.node.pk

    @property
    def child_kind_label(self) -> str:
        """What the "Add a …" button adds here; empty under a change idea."""
        kind = CHILD_KIND.get(NodeKind(self.node.kind))
        return str(kind.label).lower() if kind else ""

    @property
    def height(self) -> int:
        """Levels below this node: 0 without children, 1 with children only, 2 with
        grandchildren."""
        return 1 + max(child.height for child in self.children) if self.children else 0

    @property
    def may_move_in(self) -> bool:
        return move_in_allowed(self.node.kind, has_previous=not self.first, height=self.height)

    @property
    def may_move_out(self) -> bool:
        return self.parent is not None

    @property
    def measures(self) -> list[Measure]:
        return list(self.node.measures.all())


@dataclass
class DiagramTree:
    diagram: DriverDiagram
    roots: list[TreeNode]

    def walk(self) -> Iterator[TreeNode]:
        stack = list(reversed(self.roots))
        while stack:
            item = stack.pop()
            yield item
            stack.extend(reversed(item.children))

    @property
    def count(self) -> int:
        return sum(1 for _ in self.walk())

    def counts(self) -> dict[str, int]:
        found: dict[str, int] = defaultdict(int)
        for item in self.walk():
            found[item.node.kind] += 1
        return {kind.value: found[kind.value] for kind in NodeKind}


def node_rows(diagram: DriverDiagram, viewer: Any = None) -> QuerySet[DriverNode]:
    if viewer is not None:
        from leadhub.measures.access import measures_visible_to

        measures = measures_visible_to(viewer)
    else:
        measures = Measure.objects.all()
    return (
        DriverNode.objects.filter(diagram=diagram)
        .order_by("position", "pk")
        .prefetch_related(Prefetch("measures", queryset=measures.order_by("name", "pk")))
    )


def diagram_tree(diagram: DriverDiagram, viewer: Any = None) -> DiagramTree:
    """The diagram's nodes as a tree, siblings in their order (two queries)."""
    by_parent: dict[int | None, list[DriverNode]] = defaultdict(list)
    for node in node_rows(diagram, viewer):
        by_parent[node.parent_id].append(node)

    def build(parent: TreeNode | None, depth: int) -> list[TreeNode]:
        siblings = by_parent.get(parent.pk if parent else None, [])
        built = []
        for index, node in enumerate(siblings):
            item = TreeNode(
                node=node,
                depth=depth,
                first=index == 0,
                last=index == len(siblings) - 1,
                parent=parent,
            )
            item.children = build(item, depth + 1)
            built.append(item)
        return built

    return DiagramTree(diagram=diagram, roots=build(None, 0))


def aim_json(diagram: DriverDiagram) -> dict[str, Any]:
    measure = diagram.measure
    group = diagram.student_group
    return {
        "outcome": diagram.outcome,
        "measure": {"id": measure.pk, "name": measure.name} if measure else None,
        "student_group": {"code": group.code, "label": group.label} if group else None,
        "baseline_value": diagram.baseline_value,
        "baseline_date": diagram.baseline_date.isoformat() if diagram.baseline_date else None,
        "target_value": diagram.target_value,
        "deadline": diagram.deadline.isoformat() if diagram.deadline else None,
        "achievability_note": diagram.achievability_note,
    }


def node_json(item: TreeNode) -> dict[str, Any]:
    node = item.node
    return {
        "id": node.pk,
        "kind": node.kind,
        "text": node.text,
        "approach": node.approach,
        "measures": [{"id": m.pk, "name": m.name} for m in node.measures.all()],
        "children": [node_json(child) for child in item.children],
    }


def tree_json(diagram: DriverDiagram, viewer: Any = None) -> dict[str, Any]:
    tree = diagram_tree(diagram, viewer)
    return {"aim": aim_json(diagram), "nodes": [node_json(item) for item in tree.roots]}
