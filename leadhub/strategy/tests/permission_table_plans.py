"""Who may open and change the strategic plan shell's pages (the world:
leadhub/plans/tests/world.py).

District 1's plan is in use: its district leader writes it; the hub serving the district
(every hub staff role), the staff of the district's schools and the state administrator
read it; the evaluator, the other district's principal and anonymous people get 404 / the
sign-in page. The hub's plan is in use: its director writes it; its staff, the state
administrator and the leader of a district it serves read it. Readers who post get 403.
Posting nothing gets the page back with a message (400).
"""

from __future__ import annotations

from leadhub.core.tests.matrix import Row, expect, not_allowed_methods, only, readers_else_403, rows

HUB_STAFF = ["hub_director", "hub_coach", "network_facilitator"]
SCHOOL_STAFF = [
    "principal",
    "assistant_principal",
    "teacher",
    "instructional_coach",
    "other_school_teacher",
]
DISTRICT_PLAN_READERS = ["district_leader", *HUB_STAFF, *SCHOOL_STAFF, "state_admin"]
DISTRICT_PLAN_WRITERS = ["district_leader"]
HUB_PLAN_READERS = [*HUB_STAFF, "state_admin", "district_leader"]
HUB_PLAN_WRITERS = ["hub_director"]
PLANNERS = ["district_leader", "hub_director"]


def district_plan(w):  # type: ignore[no-untyped-def]
    return [w.objects["strategic_plan"].pk]


def hub_plan(w):  # type: ignore[no-untyped-def]
    return [w.objects["hub_plan"].pk]


def theory(w):  # type: ignore[no-untyped-def]
    return [w.objects["theory"].pk]


def _plan_pages(url_name: str, *, get_for_readers: bool = True) -> list[Row]:
    """A page of the district's plan and of the hub's plan: readers GET, writers POST."""
    found: list[Row] = []
    for args, readers, writers in (
        (district_plan, DISTRICT_PLAN_READERS, DISTRICT_PLAN_WRITERS),
        (hub_plan, HUB_PLAN_READERS, HUB_PLAN_WRITERS),
    ):
        found += rows(
            url_name,
            args=args,
            get=only(readers, 200) if get_for_readers else readers_else_403(readers, writers, 200),
            post=readers_else_403(readers, writers, 400),
            **not_allowed_methods("put", "delete"),
        )
    return found


ROWS: list[Row] = [
    *rows("strategy:home", get=expect(200), **not_allowed_methods("post", "put", "delete")),
    *rows(
        "strategy:create",
        get=only(PLANNERS, 200, others=403),
        post=only(PLANNERS, 400, others=403),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "strategy:plan",
        args=district_plan,
        get=only(DISTRICT_PLAN_READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "strategy:plan",
        args=hub_plan,
        get=only(HUB_PLAN_READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *_plan_pages("strategy:plan_edit", get_for_readers=False),
    *_plan_pages("strategy:analysis"),
    *_plan_pages("strategy:theory_new", get_for_readers=False),
    *_plan_pages("strategy:road_map"),
    *_plan_pages("strategy:capacity"),
    *rows(
        "strategy:theory",
        args=theory,
        get=only(DISTRICT_PLAN_READERS, 200),
        post=readers_else_403(DISTRICT_PLAN_READERS, DISTRICT_PLAN_WRITERS, 400),
        **not_allowed_methods("put", "delete"),
    ),
]
