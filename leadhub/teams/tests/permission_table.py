"""Who may open or change each team page (the world: leadhub/meetings/tests/world.py).

Reading a school team: its school's staff, the district's leaders, and the coaches and
director of the hub serving the district; a network: its members and its hub's director
and facilitator. Changing a team and its members: its leads, the school's principal and
assistant principal, the district's leaders (hub teams: the hub's director and
facilitator). Archiving: those who may start such a team, not its leads. Starting a
team: principals, assistant principals, district leaders, hub directors and network
facilitators. Out of reach is 404; within reach but not allowed is 403.
"""

from __future__ import annotations

from leadhub.core.tests.matrix import Row, expect, not_allowed_methods, only, readers_else_403, rows

SCHOOL_STAFF = ["principal", "assistant_principal", "teacher", "instructional_coach"]
SCHOOL_TEAM_READERS = [*SCHOOL_STAFF, "district_leader", "hub_director", "hub_coach"]
SCHOOL_LEADERS = ["principal", "assistant_principal", "district_leader"]
NETWORK_READERS = ["network_facilitator", "hub_director", "principal", "outsider"]
# The outsider is a principal too (of a school in another district).
CREATORS = [*SCHOOL_LEADERS, "hub_director", "network_facilitator", "outsider"]


def ilt(w):  # type: ignore[no-untyped-def]
    return [w.objects["ilt"].pk]


ROWS: list[Row] = [
    *rows("teams:team_list", get=expect(200), **not_allowed_methods("post", "put", "delete")),
    *rows(
        "teams:team_create",
        get=only(CREATORS, 200, others=403),
        # Nothing filled in: the form comes back with its messages.
        post=only(CREATORS, 400, others=403),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "teams:team_detail",
        args=ilt,
        get=only(SCHOOL_TEAM_READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "teams:team_detail",
        args=lambda w: [w.objects["network"].pk],
        get=only(NETWORK_READERS, 200),
    ),
    # The Grade 3 team: the teacher leads it, so may change it.
    *rows(
        "teams:team_edit",
        args=lambda w: [w.objects["grade3"].pk],
        get=readers_else_403(SCHOOL_TEAM_READERS, [*SCHOOL_LEADERS, "teacher"], 200),
        post=readers_else_403(SCHOOL_TEAM_READERS, [*SCHOOL_LEADERS, "teacher"], 400),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "teams:team_archive",
        args=lambda w: [w.objects["grade3"].pk],
        data=lambda w: {"action": "archive"},
        # Its lead (the teacher) may not archive it.
        post=readers_else_403(SCHOOL_TEAM_READERS, SCHOOL_LEADERS, 302),
        **not_allowed_methods("get", "put", "delete"),
    ),
    *rows(
        "teams:member_add",
        args=ilt,
        get=readers_else_403(SCHOOL_TEAM_READERS, SCHOOL_LEADERS, 200),
        post=readers_else_403(SCHOOL_TEAM_READERS, SCHOOL_LEADERS, 400),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "teams:member_add",
        args=lambda w: [w.objects["network"].pk],
        get=readers_else_403(NETWORK_READERS, ["network_facilitator", "hub_director"], 200),
    ),
    *rows(
        "teams:member_edit",
        args=lambda w: [
            w.objects["ilt"].pk,
            w.objects["ilt"].memberships.get(user=w.people["teacher"]).pk,
        ],
        get=readers_else_403(SCHOOL_TEAM_READERS, SCHOOL_LEADERS, 200),
        post=readers_else_403(SCHOOL_TEAM_READERS, SCHOOL_LEADERS, 400),
        **not_allowed_methods("put", "delete"),
    ),
]
