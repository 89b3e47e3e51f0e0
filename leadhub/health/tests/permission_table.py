"""Who may open each team-health page (the world: leadhub/meetings/tests/world.py).

The world's ILT has the principal (its lead), the assistant principal, a teacher and the
instructional coach as members. Its health is read by those members, the district's
leader and the serving hub's director and coach; other staff, other districts, the state
and the evaluator get 404. The self-assessment's results are the members'; starting one
is for the team's lead and the school's principal and assistant principal. A district's
leader adjusts its standards; the hub's staff and the state administrator, who read the
district view, get 403 there. Out of reach is 404; within reach but not allowed is 403.
"""

from __future__ import annotations

from leadhub.core.tests.matrix import Row, expect, not_allowed_methods, only, readers_else_403, rows

ILT_MEMBERS = ["principal", "assistant_principal", "teacher", "instructional_coach"]
HUB_READERS = ["hub_director", "hub_coach"]
ILT_HEALTH_READERS = [*ILT_MEMBERS, "district_leader", *HUB_READERS]
SCHOOL_READERS = ["principal", "assistant_principal", "district_leader", *HUB_READERS]
DISTRICT_READERS = ["district_leader", *HUB_READERS, "state_admin"]
HUB_VIEW_READERS = [*HUB_READERS, "state_admin"]
SELF_ASSESSMENT_RUNNERS = ["principal", "assistant_principal"]


def ilt(w):  # type: ignore[no-untyped-def]
    return [w.objects["ilt"].pk]


ROWS: list[Row] = [
    *rows("health:home", get=expect(200), **not_allowed_methods("post", "put", "delete")),
    *rows(
        "health:team",
        args=ilt,
        get=only(ILT_HEALTH_READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "health:evidence",
        args=lambda w: [w.objects["ilt"].pk, "cadence"],
        get=only(ILT_HEALTH_READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "health:self_assessment",
        args=ilt,
        get=readers_else_403(ILT_HEALTH_READERS, ILT_MEMBERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "health:self_assessment_start",
        args=ilt,
        get=readers_else_403(ILT_HEALTH_READERS, SELF_ASSESSMENT_RUNNERS, 200),
        # Nothing filled in: the form comes back with its messages.
        post=readers_else_403(ILT_HEALTH_READERS, SELF_ASSESSMENT_RUNNERS, 400),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "health:school",
        args=lambda w: [w.school.pk],
        get=only(SCHOOL_READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "health:district",
        args=lambda w: [w.district.pk],
        get=only(DISTRICT_READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "health:district_export",
        args=lambda w: [w.district.pk],
        get=only(DISTRICT_READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "health:standards",
        args=lambda w: [w.district.pk],
        get=readers_else_403(DISTRICT_READERS, ["district_leader"], 200),
        # Nothing filled in: the form comes back with its messages.
        post=readers_else_403(DISTRICT_READERS, ["district_leader"], 400),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "health:hub",
        args=lambda w: [w.hub.pk],
        get=only(HUB_VIEW_READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "health:hub_export",
        args=lambda w: [w.hub.pk],
        get=only(HUB_VIEW_READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
]
