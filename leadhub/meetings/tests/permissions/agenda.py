"""Who may build, send and draft agendas, and use a team's intake queue.

The world's ILT (Lincoln Elementary): the principal (lead), the assistant principal, the
teacher and the instructional coach are members and record its meetings. The district
leader and the hub's director and coach read its published work but do not record it (403).
Everyone else, the network facilitator included, is out of its reach (404).

Intake: members of the ILT propose to it (the teacher also for Grade 3); the world's
proposal (by the teacher) is read by the team's members (read_notes) and its proposer;
other readers of the ILT get 404 for it, as the gate says. Everyone signed in has a list
of their own proposals.
"""

from __future__ import annotations

from typing import Any

from leadhub.core.tests.matrix import Row, expect, not_allowed_methods, only, rows

RECORDERS = ["principal", "assistant_principal", "teacher", "instructional_coach"]
READERS = ["district_leader", "hub_director", "hub_coach"]


def recorders_else_403(status: int) -> dict[str, int | tuple[int, ...]]:
    """Recorders get ``status``; readers who do not record get 403; the rest 404."""
    table = only(READERS, 403)
    for persona in RECORDERS:
        table[persona] = status
    return table


def next_item(world: Any) -> Any:
    return world.objects["next_meeting"].agenda_items.order_by("position", "pk").first()


def intake_version(world: Any) -> int:
    item = world.objects["intake_item"]
    return int(type(item).objects.get(pk=item.pk).version)


def item_data(world: Any) -> dict[str, Any]:
    item = next_item(world)
    return {
        "title": "Look at fluency checks together",
        "kind": "student_work",
        "minutes_allotted": 25,
        "details": "",
        "version": item.version,
    }


ROWS: list[Row] = [
    *rows(
        "meetings:agenda_edit",
        args=lambda w: [w.objects["next_meeting"].pk],
        data=lambda w: {"title": "Data review", "kind": "data_review", "minutes_allotted": 20},
        get=recorders_else_403(200),
        post=recorders_else_403(302),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "meetings:agenda_item_edit",
        args=lambda w: [next_item(w).pk],
        data=item_data,
        get=recorders_else_403(200),
        post=recorders_else_403(302),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "meetings:agenda_item_delete",
        args=lambda w: [next_item(w).pk],
        post=recorders_else_403(302),
        **not_allowed_methods("get", "put", "delete"),
    ),
    *rows(
        "meetings:agenda_item_move",
        args=lambda w: [next_item(w).pk],
        data=lambda w: {"direction": "down"},
        post=recorders_else_403(302),
        **not_allowed_methods("get", "put", "delete"),
    ),
    *rows(
        "meetings:agenda_send",
        args=lambda w: [w.objects["next_meeting"].pk],
        post=recorders_else_403(302),
        **not_allowed_methods("get", "put", "delete"),
    ),
    *rows(
        "meetings:agenda_draft_next",
        args=lambda w: [w.objects["draft_meeting"].pk],
        get=recorders_else_403(200),
        post=recorders_else_403(302),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "meetings:intake_list",
        args=lambda w: [w.objects["ilt"].pk],
        get=only([*RECORDERS, *READERS], 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "meetings:intake_propose",
        args=lambda w: [w.objects["ilt"].pk],
        data=lambda w: {"title": "Common planning time for grade 3", "details": ""},
        get=recorders_else_403(200),
        post=recorders_else_403(302),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "meetings:my_proposals",
        get=expect(200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "meetings:intake_detail",
        args=lambda w: [w.objects["intake_item"].pk],
        get=only(RECORDERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "meetings:intake_accept",
        args=lambda w: [w.objects["intake_item"].pk],
        data=lambda w: {
            "accept-version": intake_version(w),
            "accept-meeting": w.objects["next_meeting"].pk,
        },
        post=only(RECORDERS, 302),
        **not_allowed_methods("get", "put", "delete"),
    ),
    *rows(
        "meetings:intake_answer",
        args=lambda w: [w.objects["intake_item"].pk],
        data=lambda w: {
            "answer-version": intake_version(w),
            "answer-answer": "We will give this time at the next meeting.",
        },
        post=only(RECORDERS, 302),
        **not_allowed_methods("get", "put", "delete"),
    ),
]
