"""Who may open each goal page and fragment (the world: leadhub/plans/tests/world.py).

Lincoln Elementary's plan is published. Its working plan (and so every goal) is read by
the ILT's members (the principal, the assistant principal, the teacher and the
instructional coach), the district's leader and the serving hub's director and coach;
the state administrator reads the published version, which holds the world goal. Only
the ILT's members and the principal write goals and record checkpoints; other readers
get 403. Everyone else gets 404.

The goal-monitoring agenda item is on the ILT's next meeting: the school's staff, the
district's leader and the hub's director and coach read it; the ILT's members and the
principal link goals to it.
"""

from __future__ import annotations

from leadhub.core.tests.matrix import Row, expect, not_allowed_methods, only, readers_else_403, rows

WRITERS = ["principal", "assistant_principal", "teacher", "instructional_coach"]
WORKING_READERS = [*WRITERS, "district_leader", "hub_director", "hub_coach"]
GOAL_READERS = [*WORKING_READERS, "state_admin"]
AGENDA_READERS = [*WRITERS, "district_leader", "hub_director", "hub_coach"]
RECORDERS = WRITERS


def plan(w):  # type: ignore[no-untyped-def]
    return [w.objects["plan"].pk]


def goal(w):  # type: ignore[no-untyped-def]
    return [w.objects["plan_goal"].pk]


def agenda_item(w):  # type: ignore[no-untyped-def]
    return [w.objects["goal_agenda_item"].pk]


ROWS: list[Row] = [
    *rows(
        "plans:goal_new",
        args=plan,
        get=readers_else_403(GOAL_READERS, WRITERS, 200),
        # Nothing sent, not even the form's version: the form comes back to correct.
        post=readers_else_403(GOAL_READERS, WRITERS, 400),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "plans:goal_check",
        args=plan,
        get=expect(405),
        # The guidance for an empty goal.
        post=readers_else_403(GOAL_READERS, WRITERS, 200),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "plans:goal",
        args=goal,
        get=only(GOAL_READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "plans:goal_edit",
        args=goal,
        get=readers_else_403(GOAL_READERS, WRITERS, 200),
        post=readers_else_403(GOAL_READERS, WRITERS, 400),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "plans:interim_new",
        args=goal,
        get=readers_else_403(GOAL_READERS, WRITERS, 200),
        post=readers_else_403(GOAL_READERS, WRITERS, 400),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "plans:checkpoint_new",
        args=goal,
        get=readers_else_403(GOAL_READERS, WRITERS, 200),
        post=readers_else_403(GOAL_READERS, WRITERS, 400),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "plans:agenda_goal",
        args=agenda_item,
        get=only(AGENDA_READERS, 200),
        # No goal chosen: the fragment comes back with its message.
        post=readers_else_403(AGENDA_READERS, RECORDERS, 400),
        **not_allowed_methods("put", "delete"),
    ),
]
