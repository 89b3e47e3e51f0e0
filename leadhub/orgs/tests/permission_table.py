"""Who may open or change each organization page.

Reading: hub pages reach the state, the hub's staff and the district leaders it
serves; district and school pages reach everyone working in the district; a
school's staff list is for its own staff and those who lead or serve it.
Changing: district leaders and state administrators (calendars), and the
principal too (school characteristics). In scope but not allowed is 403.
"""

from __future__ import annotations

from leadhub.core.tests.matrix import Row, expect, not_allowed_methods, only, readers_else_403, rows

HUB_STAFF = ["hub_director", "hub_coach", "network_facilitator"]
SCHOOL_STAFF = ["principal", "assistant_principal", "teacher", "instructional_coach"]
STATE = ["state_admin", "evaluator"]
DISTRICT_READERS = [*STATE, *HUB_STAFF, "district_leader", *SCHOOL_STAFF, "other_school_teacher"]
DISTRICT_MANAGERS = ["state_admin", "district_leader"]
SCHOOL_EDITORS = [*DISTRICT_MANAGERS, "principal"]


ROWS: list[Row] = [
    *rows("orgs:hub_list", get=expect(200), **not_allowed_methods("post", "put", "delete")),
    *rows(
        "orgs:hub_detail",
        args=lambda w: [w.hub.slug],
        get=only([*STATE, *HUB_STAFF, "district_leader"], 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "orgs:district_detail",
        args=lambda w: [w.district.pk],
        get=only(DISTRICT_READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "orgs:district_schools_csv",
        args=lambda w: [w.district.pk],
        get=only(DISTRICT_READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "orgs:district_schools_xlsx",
        args=lambda w: [w.district.pk],
        get=only(DISTRICT_READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "orgs:district_carry_forward",
        args=lambda w: [w.district.pk],
        post=readers_else_403(DISTRICT_READERS, DISTRICT_MANAGERS, 302),
        **not_allowed_methods("get", "put", "delete"),
    ),
    *rows(
        "orgs:calendar_edit",
        args=lambda w: [w.district.pk, w.year],
        get=only(DISTRICT_READERS, 200),
        post=readers_else_403(DISTRICT_READERS, DISTRICT_MANAGERS, 400),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "orgs:closure_add",
        args=lambda w: [w.district.pk, w.year],
        post=readers_else_403(DISTRICT_READERS, DISTRICT_MANAGERS, 400),
        **not_allowed_methods("get", "put", "delete"),
    ),
    *rows(
        "orgs:closure_delete",
        args=lambda w: [w.district.pk, w.year, w.objects["closure"].pk],
        post=readers_else_403(DISTRICT_READERS, DISTRICT_MANAGERS, 302),
        **not_allowed_methods("get", "put", "delete"),
    ),
    *rows(
        "orgs:school_detail",
        args=lambda w: [w.school.pk],
        get=only(DISTRICT_READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "orgs:school_fact_sheet",
        args=lambda w: [w.school.pk],
        get=only(DISTRICT_READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "orgs:school_staff",
        args=lambda w: [w.school.pk],
        get=only(["state_admin", *HUB_STAFF, "district_leader", *SCHOOL_STAFF], 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "orgs:school_profile_edit",
        args=lambda w: [w.school.pk, w.year],
        get=readers_else_403(DISTRICT_READERS, SCHOOL_EDITORS, 200),
        post=readers_else_403(DISTRICT_READERS, SCHOOL_EDITORS, 400),
        **not_allowed_methods("put", "delete"),
    ),
]
