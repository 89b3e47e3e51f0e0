"""Writing a driver diagram: its aim and the outline of drivers and change ideas.

Every change is one transaction with its audit event (identifiers only). Sibling
positions stay dense (0, 1, 2, … in order) after every add, move and removal. The moving
rules are those of :func:`leadhub.strategy.diagram_tree.move_in_allowed`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from django.db import transaction

from leadhub.audit.services import audit_record
from leadhub.lib.concurrency import NOT_YET_SAVED, EditConflict, save_if_unchanged
from leadhub.measures.models import Measure
from leadhub.strategy.diagram_tree import LEVELS, move_in_allowed
from leadhub.strategy.models import (
    CHILD_KIND,
    Approach,
    DriverDiagram,
    DriverNode,
    NodeKind,
    StrategicPlan,
)

Direction = Literal["up", "down", "in", "out"]
DIRECTIONS: tuple[str, ...] = ("up", "down", "in", "out")

AIM_FIELDS = (
    "outcome",
    "measure",
    "student_group",
    "baseline_value",
    "baseline_date",
    "target_value",
    "deadline",
    "achievability_note",
)


class NodeRefused(ValueError):
    """The change breaks the diagram's rules; the message says why, in plain words."""


def _district_id(diagram: DriverDiagram) -> int | None:
    return diagram.plan.district_id


def _audit(action: str, node_or_diagram: Any, diagram: DriverDiagram, actor: Any) -> None:
    audit_record(
        action=action,
        actor=actor,
        object_type=node_or_diagram._meta.label,
        object_id=node_or_diagram.pk,
        district_id=_district_id(diagram),
    )


def _siblings(diagram_id: int, parent_id: int | None) -> list[DriverNode]:
    return list(
        DriverNode.objects.select_for_update()
        .filter(diagram_id=diagram_id, parent_id=parent_id)
        .order_by("position", "pk")
    )


def _renumber(nodes: list[DriverNode]) -> None:
    changed = []
    for index, node in enumerate(nodes):
        if node.position != index:
            node.position = index
            changed.append(node)
    if changed:
        DriverNode.objects.bulk_update(changed, ["position"])


def diagram_start(plan: StrategicPlan, *, actor: Any) -> DriverDiagram:
    """The plan's diagram, made now if it has none yet."""
    with transaction.atomic():
        diagram, created = DriverDiagram.objects.get_or_create(plan=plan)
        if created:
            _audit("strategy.diagram.create", diagram, diagram, actor)
    return diagram


def _check_approach(approach: str) -> None:
    if approach and approach not in Approach.values:
        raise NodeRefused("Choose technical, adaptive or neither.")


def node_add(
    diagram: DriverDiagram,
    parent: DriverNode | None,
    text: str,
    approach: str = "",
    *,
    actor: Any,
    measures: Iterable[Measure] = (),
) -> DriverNode:
    """A new node, last under ``parent`` (None: a primary driver under the aim)."""
    text = text.strip()
    if not text:
        raise NodeRefused("Write what the driver or change idea is.")
    _check_approach(approach)
    if parent is not None and parent.diagram_id != diagram.pk:
        raise NodeRefused("That node is in another diagram.")
    kind = CHILD_KIND.get(NodeKind(parent.kind) if parent else None)
    if kind is None:
        raise NodeRefused("Nothing goes below a change idea.")
    with transaction.atomic():
        siblings = _siblings(diagram.pk, parent.pk if parent else None)
        node = DriverNode.objects.create(
            diagram=diagram,
            parent=parent,
            kind=kind,
            text=text,
            approach=approach,
            position=len(siblings),
        )
        node.measures.set(list(measures))
        _renumber([*siblings, node])
        _audit("strategy.driver_node.create", node, diagram, actor)
    return node


def node_update(
    node: DriverNode,
    *,
    text: str,
    approach: str,
    actor: Any,
    measures: Iterable[Measure] | None = None,
) -> DriverNode:
    text = text.strip()
    if not text:
        raise NodeRefused("Write what the driver or change idea is.")
    _check_approach(approach)
    with transaction.atomic():
        node.text = text
        node.approach = approach
        node.save(update_fields=["text", "approach", "updated_at"])
        if measures is not None:
            node.measures.set(list(measures))
        _audit("strategy.driver_node.update", node, node.diagram, actor)
    return node


def _subtree(node: DriverNode) -> list[DriverNode]:
    """The node's descendants (not the node), read level by level."""
    found: list[DriverNode] = []
    level = [node.pk]
    while level:
        children = list(DriverNode.objects.filter(parent_id__in=level))
        found += children
        level = [child.pk for child in children]
    return found


def _height(node: DriverNode) -> int:
    height, level = 0, [node.pk]
    while True:
        level = list(DriverNode.objects.filter(parent_id__in=level).values_list("pk", flat=True))
        if not level:
            return height
        height += 1


def _shift_kinds(node: DriverNode, by: int) -> None:
    """Move the node and everything under it ``by`` levels (+1 deeper, -1 up)."""
    node.kind = LEVELS[LEVELS.index(NodeKind(node.kind)) + by]
    node.save(update_fields=["kind", "parent", "position", "updated_at"])
    descendants = _subtree(node)
    for descendant in descendants:
        descendant.kind = LEVELS[LEVELS.index(NodeKind(descendant.kind)) + by]
    if descendants:
        DriverNode.objects.bulk_update(descendants, ["kind"])


def node_move(node: DriverNode, direction: str, *, actor: Any) -> bool:
    """Move the node one step; False when it cannot go that way (nothing changes).

    up/down: swap with the sibling above or below. in: become the last child of the
    sibling above, one level deeper. out: become the sibling just after the parent, one
    level up. Children always travel with the node."""
    if direction not in DIRECTIONS:
        raise NodeRefused("Choose up, down, in or out.")
    with transaction.atomic():
        node = (
            DriverNode.objects.select_for_update().select_related("diagram__plan").get(pk=node.pk)
        )
        siblings = _siblings(node.diagram_id, node.parent_id)
        index = next(i for i, sibling in enumerate(siblings) if sibling.pk == node.pk)
        if direction in {"up", "down"}:
            other = index - 1 if direction == "up" else index + 1
            if not 0 <= other < len(siblings):
                return False
            siblings[index], siblings[other] = siblings[other], siblings[index]
            _renumber(siblings)
        elif direction == "in":
            allowed = move_in_allowed(node.kind, has_previous=index > 0, height=_height(node))
            if not allowed:
                return False
            new_parent = siblings[index - 1]
            under = _siblings(node.diagram_id, new_parent.pk)
            node.parent = new_parent
            node.position = len(under)
            _shift_kinds(node, +1)
            _renumber([s for s in siblings if s.pk != node.pk])
        else:
            if node.parent_id is None:
                return False
            parent = DriverNode.objects.get(pk=node.parent_id)
            around = _siblings(node.diagram_id, parent.parent_id)
            after = next(i for i, s in enumerate(around) if s.pk == parent.pk) + 1
            node.parent_id = parent.parent_id
            _shift_kinds(node, -1)
            around.insert(after, node)
            _renumber(around)
            _renumber([s for s in siblings if s.pk != node.pk])
        _audit(f"strategy.driver_node.move_{direction}", node, node.diagram, actor)
    return True


def node_remove(node: DriverNode, *, actor: Any) -> int:
    """Remove the node with everything under it; how many nodes went."""
    with transaction.atomic():
        diagram = node.diagram
        gone = 1 + len(_subtree(node))
        parent_id, pk = node.parent_id, node.pk
        node.delete()
        _renumber(_siblings(diagram.pk, parent_id))
        audit_record(
            action="strategy.driver_node.delete",
            actor=actor,
            object_type=DriverNode._meta.label,
            object_id=pk,
            district_id=_district_id(diagram),
        )
    return gone


def aim_update(
    diagram: DriverDiagram, *, values: dict[str, Any], expected_version: int, actor: Any
) -> DriverDiagram:
    """Save the aim's SMARTe fields unless someone saved the diagram meanwhile
    (:class:`leadhub.lib.concurrency.EditConflict`). An unsaved ``diagram`` (expected
    version 0) starts the plan's diagram, unless someone started it meanwhile."""
    for name in AIM_FIELDS:
        setattr(diagram, name, values.get(name, getattr(diagram, name)))
    if diagram.pk is None:
        with transaction.atomic():
            StrategicPlan.objects.select_for_update().get(pk=diagram.plan_id)
            existing = DriverDiagram.objects.filter(plan_id=diagram.plan_id).first()
            if existing is not None or expected_version != NOT_YET_SAVED:
                raise EditConflict(current=existing)
            diagram.save()
            _audit("strategy.diagram.create", diagram, diagram, actor)
        return diagram
    with transaction.atomic():
        save_if_unchanged(
            diagram, expected_version=expected_version, update_fields=AIM_FIELDS, actor=actor
        )
        _audit("strategy.diagram.aim_update", diagram, diagram, actor)
    return diagram
