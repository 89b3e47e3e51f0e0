"""Writing a driver diagram: adding, editing, moving and removing nodes, and the aim."""

from __future__ import annotations

import datetime as dt

import pytest

from leadhub.audit.models import AuditEvent
from leadhub.lib.concurrency import NOT_YET_SAVED, EditConflict
from leadhub.measures.tests.factories import MeasureFactory
from leadhub.strategy.diagram_tree import diagram_tree, move_in_allowed
from leadhub.strategy.models import DriverDiagram, DriverNode
from leadhub.strategy.services import diagram as services
from leadhub.strategy.tests.factories import DriverDiagramFactory, StrategicPlanFactory

pytestmark = pytest.mark.django_db


def outline(diagram):  # type: ignore[no-untyped-def]
    """The tree as (kind, text, [children]) tuples, to compare whole shapes."""

    def shape(items):  # type: ignore[no-untyped-def]
        return [(i.node.kind, i.node.text, shape(i.children)) for i in items]

    return shape(diagram_tree(diagram).roots)


def positions_are_dense(diagram) -> bool:  # type: ignore[no-untyped-def]
    by_parent: dict[int | None, list[int]] = {}
    for node in DriverNode.objects.filter(diagram=diagram).order_by("position", "pk"):
        by_parent.setdefault(node.parent_id, []).append(node.position)
    return all(p == list(range(len(p))) for p in by_parent.values())


@pytest.fixture
def built(world):  # type: ignore[no-untyped-def]
    """A fresh diagram: A (B (x, y), C), D."""
    actor = world.persona("district_leader")
    diagram = DriverDiagramFactory(plan=StrategicPlanFactory(district=world.district))
    a = services.node_add(diagram, None, "A", actor=actor)
    b = services.node_add(diagram, a, "B", "adaptive", actor=actor)
    x = services.node_add(diagram, b, "x", "technical", actor=actor)
    y = services.node_add(diagram, b, "y", actor=actor)
    c = services.node_add(diagram, a, "C", actor=actor)
    d = services.node_add(diagram, None, "D", actor=actor)
    return diagram, actor, {"A": a, "B": b, "x": x, "y": y, "C": c, "D": d}


def test_adding_gives_each_level_its_kind_in_order(built) -> None:  # type: ignore[no-untyped-def]
    diagram, _, nodes = built
    assert outline(diagram) == [
        (
            "primary",
            "A",
            [
                ("secondary", "B", [("change_idea", "x", []), ("change_idea", "y", [])]),
                ("secondary", "C", []),
            ],
        ),
        ("primary", "D", []),
    ]
    assert positions_are_dense(diagram)
    assert nodes["B"].approach == "adaptive"


def test_nothing_goes_below_a_change_idea_and_text_is_needed(built) -> None:  # type: ignore[no-untyped-def]
    diagram, actor, nodes = built
    with pytest.raises(services.NodeRefused):
        services.node_add(diagram, nodes["x"], "deeper", actor=actor)
    with pytest.raises(services.NodeRefused):
        services.node_add(diagram, None, "   ", actor=actor)
    with pytest.raises(services.NodeRefused):
        services.node_add(diagram, None, "Odd", "sideways", actor=actor)


def test_add_and_update_are_audited_with_identifiers_only(built) -> None:  # type: ignore[no-untyped-def]
    diagram, actor, nodes = built
    measure = MeasureFactory()
    services.node_update(
        nodes["C"], text="C2", approach="technical", actor=actor, measures=[measure]
    )
    nodes["C"].refresh_from_db()
    assert (nodes["C"].text, nodes["C"].approach) == ("C2", "technical")
    assert list(nodes["C"].measures.all()) == [measure]
    events = AuditEvent.objects.filter(object_type="strategy.DriverNode", actor=actor)
    assert events.filter(action="strategy.driver_node.create").count() == 6
    update = events.get(action="strategy.driver_node.update")
    assert update.object_id == str(nodes["C"].pk)
    assert update.district_id == diagram.plan.district_id


def test_move_up_and_down_swap_siblings_and_stop_at_the_ends(built) -> None:  # type: ignore[no-untyped-def]
    diagram, actor, nodes = built
    assert services.node_move(nodes["y"], "up", actor=actor) is True
    assert [c[1] for c in outline(diagram)[0][2][0][2]] == ["y", "x"]
    assert services.node_move(nodes["y"], "up", actor=actor) is False
    assert services.node_move(nodes["D"], "down", actor=actor) is False
    assert services.node_move(nodes["A"], "down", actor=actor) is True
    assert [n[1] for n in outline(diagram)] == ["D", "A"]
    assert positions_are_dense(diagram)


def test_move_in_goes_under_the_sibling_above_one_level_deeper(built) -> None:  # type: ignore[no-untyped-def]
    diagram, actor, nodes = built
    # D (a primary without children) moves under A as its last secondary driver.
    assert services.node_move(nodes["D"], "in", actor=actor) is True
    shape = outline(diagram)
    assert [n[1] for n in shape] == ["A"]
    assert shape[0][2][-1] == ("secondary", "D", [])
    # C (a secondary without children) moves under B as a change idea.
    assert services.node_move(nodes["C"], "in", actor=actor) is True
    assert outline(diagram)[0][2][0][2][-1] == ("change_idea", "C", [])
    assert positions_are_dense(diagram)


def test_move_in_is_refused_where_the_rules_leave_no_room(built) -> None:  # type: ignore[no-untyped-def]
    diagram, actor, nodes = built
    before = outline(diagram)
    assert services.node_move(nodes["A"], "in", actor=actor) is False  # nothing above it
    assert services.node_move(nodes["y"], "in", actor=actor) is False  # a change idea
    services.node_move(nodes["C"], "up", actor=actor)  # C above B, B has change ideas
    assert services.node_move(nodes["B"], "in", actor=actor) is False
    assert outline(diagram) != before  # only the move up happened
    assert [n[1] for n in outline(diagram)[0][2]] == ["C", "B"]


@pytest.mark.parametrize(
    ("kind", "has_previous", "height", "allowed"),
    [
        ("primary", False, 0, False),
        ("primary", True, 0, True),
        ("primary", True, 1, True),
        ("primary", True, 2, False),
        ("secondary", True, 0, True),
        ("secondary", True, 1, False),
        ("change_idea", True, 0, False),
    ],
)
def test_move_in_rules(kind: str, has_previous: bool, height: int, allowed: bool) -> None:
    assert move_in_allowed(kind, has_previous=has_previous, height=height) is allowed


def test_move_out_lands_just_after_the_parent_with_its_children(built) -> None:  # type: ignore[no-untyped-def]
    diagram, actor, nodes = built
    assert services.node_move(nodes["B"], "out", actor=actor) is True
    assert outline(diagram) == [
        ("primary", "A", [("secondary", "C", [])]),
        ("primary", "B", [("secondary", "x", []), ("secondary", "y", [])]),
        ("primary", "D", []),
    ]
    assert services.node_move(nodes["D"], "out", actor=actor) is False
    assert positions_are_dense(diagram)
    assert AuditEvent.objects.filter(action="strategy.driver_node.move_out").count() == 1


def test_remove_takes_the_children_and_keeps_positions_dense(built) -> None:  # type: ignore[no-untyped-def]
    diagram, actor, nodes = built
    removed = nodes["B"].pk
    assert services.node_remove(nodes["B"], actor=actor) == 3
    assert outline(diagram) == [("primary", "A", [("secondary", "C", [])]), ("primary", "D", [])]
    assert positions_are_dense(diagram)
    assert not DriverNode.objects.filter(pk__in=[nodes["x"].pk, nodes["y"].pk]).exists()
    assert AuditEvent.objects.filter(
        action="strategy.driver_node.delete", object_id=str(removed)
    ).exists()


def test_aim_update_saves_and_refuses_a_stale_version(world) -> None:  # type: ignore[no-untyped-def]
    actor = world.persona("district_leader")
    diagram = DriverDiagramFactory(plan=StrategicPlanFactory(district=world.district))
    started = diagram.version
    values = {
        "outcome": "All grade 3 students read on level",
        "target_value": 80.0,
        "deadline": dt.date(2029, 6, 1),
    }
    services.aim_update(diagram, values=values, expected_version=started, actor=actor)
    diagram.refresh_from_db()
    assert (diagram.outcome, diagram.target_value, diagram.version) == (
        "All grade 3 students read on level",
        80.0,
        started + 1,
    )
    with pytest.raises(EditConflict) as caught:
        services.aim_update(
            diagram, values={"outcome": "Late"}, expected_version=started, actor=actor
        )
    assert caught.value.current.outcome == "All grade 3 students read on level"
    assert AuditEvent.objects.filter(action="strategy.diagram.aim_update").count() == 1


def test_aim_update_starts_a_diagram_once(world) -> None:  # type: ignore[no-untyped-def]
    actor = world.persona("district_leader")
    plan = StrategicPlanFactory(district=world.district)
    diagram = services.aim_update(
        DriverDiagram(plan=plan),
        values={"outcome": "Aim"},
        expected_version=NOT_YET_SAVED,
        actor=actor,
    )
    assert DriverDiagram.objects.get(plan=plan).pk == diagram.pk
    with pytest.raises(EditConflict) as caught:
        services.aim_update(
            DriverDiagram(plan=plan),
            values={"outcome": "Again"},
            expected_version=NOT_YET_SAVED,
            actor=actor,
        )
    assert caught.value.current.pk == diagram.pk
