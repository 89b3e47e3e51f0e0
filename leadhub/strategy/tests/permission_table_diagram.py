"""Who may open and change a driver diagram (the world: leadhub/plans/tests/world.py).

District 1's strategic plan is in use, so it is read by everyone whose records reach the
district (its schools' staff, the network facilitator), by the serving hub's staff and by
the state's administrator; the evaluator and the other district's principal get 404. Only
the district's leader changes it; the other readers get 403. The API lists and reads the
same plans and diagrams, answers 401 without credentials and 405 to any change.
"""

from __future__ import annotations

from leadhub.core.tests.matrix import Row, expect, not_allowed_methods, only, readers_else_403, rows

READERS = [
    "state_admin",
    "hub_director",
    "hub_coach",
    "district_leader",
    "principal",
    "assistant_principal",
    "teacher",
    "instructional_coach",
    "network_facilitator",
    "other_school_teacher",
]
EDITORS = ["district_leader"]


def plan(w):  # type: ignore[no-untyped-def]
    return [w.objects["strategic_plan"].pk]


def node(w):  # type: ignore[no-untyped-def]
    return [w.objects["secondary_driver"].pk]


def diagram(w):  # type: ignore[no-untyped-def]
    return [w.objects["diagram"].pk]


API_READ_ONLY = {m: expect(405, anonymous=401) for m in ("post", "put", "delete")}

ROWS: list[Row] = [
    *rows(
        "strategy:diagram",
        args=plan,
        get=only(READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "strategy:aim_edit",
        args=plan,
        get=readers_else_403(READERS, EDITORS, 200),
        # Nothing filled in: the form comes back with its messages.
        post=readers_else_403(READERS, EDITORS, 400),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "strategy:node_add",
        args=plan,
        get=readers_else_403(READERS, EDITORS, 200),
        post=readers_else_403(READERS, EDITORS, 400),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "strategy:node_edit",
        args=node,
        get=readers_else_403(READERS, EDITORS, 200),
        post=readers_else_403(READERS, EDITORS, 400),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "strategy:node_move",
        args=node,
        data=lambda w: {"direction": "out"},
        # Moved, then back to the page at the node.
        post=readers_else_403(READERS, EDITORS, 302),
        **not_allowed_methods("get", "put", "delete"),
    ),
    *rows(
        "strategy:node_delete",
        args=node,
        post=readers_else_403(READERS, EDITORS, 302),
        **not_allowed_methods("get", "put", "delete"),
    ),
    *rows("api:v1:strategic-plan-list", get=expect(200, anonymous=401), **API_READ_ONLY),
    *rows(
        "api:v1:strategic-plan-detail",
        args=plan,
        get=only(READERS, 200, anonymous=401),
        **API_READ_ONLY,
    ),
    *rows("api:v1:driver-diagram-list", get=expect(200, anonymous=401), **API_READ_ONLY),
    *rows(
        "api:v1:driver-diagram-detail",
        args=diagram,
        get=only(READERS, 200, anonymous=401),
        **API_READ_ONLY,
    ),
]
