"""Who may use each approval, versions, document and API address of a plan (the world's
published plan at Lincoln Elementary: leadhub/plans/tests/world.py).

The principal leads both the ILT and the School Improvement Team (with a parent, a
community member, who approves nothing), so the principal submits and approves; the
assistant principal, the teacher and the instructional coach are on the ILT and write
the plan; the district's leader reviews it; the hub's director and coach read it as it is
written; the state administrator reads the published version only. Other schools'
staff, other districts, the network facilitator and the evaluator get 404. The world's
plan is published, so a step that does not apply now sends the person back to the plan
with a message (302). Out of reach is 404; within reach but not allowed is 403.
"""

from __future__ import annotations

from leadhub.core.tests.matrix import Row, expect, not_allowed_methods, only, readers_else_403, rows

WRITERS = ["principal", "assistant_principal", "teacher", "instructional_coach"]
WORKING_READERS = [*WRITERS, "district_leader", "hub_director", "hub_coach"]
READERS = [*WORKING_READERS, "state_admin"]
COMMENTERS = [*WRITERS, "district_leader"]


def plan(w):  # type: ignore[no-untyped-def]
    return [w.objects["plan"].pk]


API_READ_ONLY = {m: expect(405, anonymous=401) for m in ("post", "put", "delete")}

ROWS: list[Row] = [
    *rows(
        "plans:submit",
        args=plan,
        post=readers_else_403(READERS, ["principal"], 302),
        **not_allowed_methods("get", "put", "delete"),
    ),
    *rows(
        "plans:approve",
        args=plan,
        post=readers_else_403(READERS, ["principal"], 302),
        **not_allowed_methods("get", "put", "delete"),
    ),
    *rows(
        "plans:return",
        args=plan,
        get=readers_else_403(READERS, ["principal", "district_leader"], 302),
        post=readers_else_403(READERS, ["principal", "district_leader"], 302),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "plans:review",
        args=plan,
        post=readers_else_403(READERS, ["district_leader"], 302),
        **not_allowed_methods("get", "put", "delete"),
    ),
    *rows(
        "plans:versions",
        args=plan,
        get=only(READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "plans:compare",
        args=plan,
        get=only(READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "plans:print",
        args=plan,
        get=only(READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "plans:pdf",
        args=plan,
        get=only(READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "plans:export",
        args=plan,
        get=only(READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "plans:next_year",
        args=plan,
        post=readers_else_403(READERS, WRITERS, 302),
        **not_allowed_methods("get", "put", "delete"),
    ),
    *rows(
        "plans:comment",
        args=plan,
        # Nothing written: the versions page comes back with the message at the field.
        post=readers_else_403(READERS, COMMENTERS, 400),
        **not_allowed_methods("get", "put", "delete"),
    ),
    # The API: read-only, 401 without credentials, 405 for changes once signed in.
    *rows("api:v1:plan-list", get=expect(200, anonymous=401), **API_READ_ONLY),
    *rows(
        "api:v1:plan-detail",
        args=plan,
        get=only(READERS, 200, anonymous=401),
        **API_READ_ONLY,
    ),
    *rows("api:v1:plan-goal-list", get=expect(200, anonymous=401), **API_READ_ONLY),
    *rows(
        "api:v1:plan-goal-detail",
        args=lambda w: [w.objects["plan_goal"].pk],
        get=only(READERS, 200, anonymous=401),
        **API_READ_ONLY,
    ),
    *rows("api:v1:plan-checkpoint-list", get=expect(200, anonymous=401), **API_READ_ONLY),
    *rows(
        "api:v1:plan-checkpoint-detail",
        args=lambda w: [w.objects["checkpoint"].pk],
        get=only(READERS, 200, anonymous=401),
        **API_READ_ONLY,
    ),
]
