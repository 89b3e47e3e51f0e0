"""Who may open each plan page of H2 (the world: leadhub/plans/tests/world.py).

Lincoln Elementary's plan is published. Its ILT (principal, assistant principal, teacher,
instructional coach) writes and monitors it; the district's leader and the serving hub's
director and coach read the working plan; the state administrator reads the published
version only. The teacher owns the plan's action step. Out of reach is 404; within reach
but not allowed is 403. Empty posts come back with their messages (400).
"""

from __future__ import annotations

import uuid

from leadhub.core.tests.matrix import (
    Row,
    expect,
    not_allowed_methods,
    only,
    readers_else_403,
    rows,
)

WRITERS = ["principal", "assistant_principal", "teacher", "instructional_coach"]
WORKING_READERS = [*WRITERS, "district_leader", "hub_director", "hub_coach"]
PUBLISHED_READERS = [*WORKING_READERS, "state_admin"]
DISTRICT_READERS = [
    "state_admin",
    "evaluator",
    "hub_director",
    "hub_coach",
    "network_facilitator",
    "district_leader",
    "principal",
    "assistant_principal",
    "teacher",
    "instructional_coach",
    "other_school_teacher",
]
BUILTIN_SET_READERS = [*PUBLISHED_READERS]


def plan(w):  # type: ignore[no-untyped-def]
    return [w.objects["plan"].pk]


def builtin_set(w):  # type: ignore[no-untyped-def]
    from leadhub.plans.models import IndicatorSet

    return [IndicatorSet.objects.get(builtin=True).pk]


def first_indicator(w):  # type: ignore[no-untyped-def]
    from leadhub.plans.models import Indicator

    return [w.objects["plan"].pk, Indicator.objects.filter(indicator_set__builtin=True).first().pk]


ROWS: list[Row] = [
    *rows("plans:home", get=expect(200), **not_allowed_methods("post", "put", "delete")),
    *rows(
        "plans:create",
        args=lambda w: [w.school.pk],
        # This year's plan exists: its writers are taken to it.
        get=readers_else_403(PUBLISHED_READERS, WRITERS, 302),
        post=readers_else_403(PUBLISHED_READERS, WRITERS, 302),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "plans:plan",
        args=plan,
        get=only(PUBLISHED_READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "plans:self_assessment",
        args=plan,
        get=only(PUBLISHED_READERS, 200),
        post=readers_else_403(PUBLISHED_READERS, WRITERS, 400),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "plans:rating_file_upload",
        args=first_indicator,
        post=readers_else_403(WORKING_READERS, WRITERS, 400),
        **not_allowed_methods("get", "put", "delete"),
    ),
    # No such file: nobody gets anything (the real gate is tested in test_plan_views).
    *rows(
        "plans:rating_file",
        args=lambda w: [uuid.UUID(int=7)],
        get=expect(404),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "plans:needs",
        args=plan,
        get=only(PUBLISHED_READERS, 200),
        post=readers_else_403(PUBLISHED_READERS, WRITERS, 400),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "plans:need_edit",
        args=lambda w: [w.objects["plan_need"].pk],
        get=readers_else_403(WORKING_READERS, WRITERS, 200),
        post=readers_else_403(WORKING_READERS, WRITERS, 400),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "plans:strategies",
        args=plan,
        get=only(PUBLISHED_READERS, 200),
        post=readers_else_403(PUBLISHED_READERS, WRITERS, 400),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "plans:strategy_edit",
        args=lambda w: [w.objects["plan_strategy"].pk],
        get=readers_else_403(WORKING_READERS, WRITERS, 200),
        post=readers_else_403(WORKING_READERS, WRITERS, 400),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "plans:step_new",
        args=lambda w: [w.objects["plan_strategy"].pk],
        get=readers_else_403(WORKING_READERS, WRITERS, 200),
        post=readers_else_403(WORKING_READERS, WRITERS, 400),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "plans:step",
        args=lambda w: [w.objects["plan_step"].pk],
        get=only(PUBLISHED_READERS, 200),
        post=readers_else_403(PUBLISHED_READERS, WRITERS, 400),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "plans:policy",
        args=lambda w: [w.district.pk],
        get=readers_else_403(DISTRICT_READERS, ["district_leader"], 200),
        post=readers_else_403(DISTRICT_READERS, ["district_leader"], 400),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "plans:indicator_set",
        args=builtin_set,
        get=only(BUILTIN_SET_READERS, 200),
        # The built-in set is nobody's to change.
        post=only(BUILTIN_SET_READERS, 403),
        **not_allowed_methods("put", "delete"),
    ),
]
