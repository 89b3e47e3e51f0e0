"""Who may read each API endpoint, and the API's own pages.

The API reads through the same access functions as the pages, so its rows mirror
theirs: hubs reach the state, the hub's staff and the district leaders it serves;
districts and schools everyone working in the district; people those whose reach
includes them. Without credentials the API answers 401 (never a redirect); every
endpoint is read-only, so other methods answer 405 to anyone signed in.
"""

from __future__ import annotations

from leadhub.core.tests.matrix import Row, expect, only, rows

HUB_STAFF = ["hub_director", "hub_coach", "network_facilitator"]
SCHOOL_STAFF = ["principal", "assistant_principal", "teacher", "instructional_coach"]
STATE = ["state_admin", "evaluator"]
DISTRICT_READERS = [*STATE, *HUB_STAFF, "district_leader", *SCHOOL_STAFF, "other_school_teacher"]
TEACHER_VIEWERS = ["state_admin", *HUB_STAFF, "district_leader", *SCHOOL_STAFF]

# The API's unsafe methods: refused as not allowed once signed in, 401 before that.
READ_ONLY = {m: expect(405, anonymous=401) for m in ("post", "put", "delete")}


def api(url_name: str, *, args=lambda w: [], get: dict) -> list[Row]:
    return rows(f"api:v1:{url_name}", args=args, get=get, **READ_ONLY)


ROWS: list[Row] = [
    *api("hub-list", get=expect(200, anonymous=401)),
    *api(
        "hub-detail",
        args=lambda w: [w.hub.slug],
        get=only([*STATE, *HUB_STAFF, "district_leader"], 200, anonymous=401),
    ),
    *api("district-list", get=expect(200, anonymous=401)),
    *api(
        "district-detail",
        args=lambda w: [w.district.pk],
        get=only(DISTRICT_READERS, 200, anonymous=401),
    ),
    *api("school-list", get=expect(200, anonymous=401)),
    *api(
        "school-detail",
        args=lambda w: [w.school.pk],
        get=only(DISTRICT_READERS, 200, anonymous=401),
    ),
    *api("school-year-list", get=expect(200, anonymous=401)),
    *api("school-year-detail", args=lambda w: [w.year], get=expect(200, anonymous=401)),
    *api("person-list", get=expect(200, anonymous=401)),
    *api(
        "person-detail",
        args=lambda w: [w.people["teacher"].public_id],
        get=only(TEACHER_VIEWERS, 200, anonymous=401),
    ),
    *api("me", get=expect(200, anonymous=401)),
    # The schema describes the API to anyone signed in; it holds no records.
    *rows("api:schema", get=expect(200, anonymous=401), **READ_ONLY),
    *rows(
        "api:docs",
        get=expect(200),
        post=expect(405),
        put=expect(405),
        delete=expect(405),
    ),
    # Everyone manages their own key only; a POST without a choice is refused (400).
    *rows("api:tokens", get=expect(200), post=expect(400), put=expect(405), delete=expect(405)),
]
