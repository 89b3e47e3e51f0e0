"""Who may open or change each measures page (the world: leadhub/students/tests/world.py).

Lincoln's figures: its staff, the district's leader, the serving hub's director and
coach, and the state (admin, evaluator). Changing a school's series (chart settings,
notes, entered values): its principal and assistant principal, the district's leader and
the state admin. Defining measures: school leaders, team members who record for a team,
district leaders and state admins (the outsider is a principal elsewhere). Comparing a
district's schools: its leaders, the hub staff serving it and the state; a hub's: its
director and coaches and the state. Out of reach is 404; within reach but not allowed 403.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from leadhub.core.tests.matrix import Row, expect, not_allowed_methods, only, readers_else_403, rows
from leadhub.measures.models import AnnotationKind, MeasureAnnotation

STATE = ["state_admin", "evaluator"]
SCHOOL_STAFF = ["principal", "assistant_principal", "teacher", "instructional_coach"]
LINCOLN_READERS = [*STATE, "hub_director", "hub_coach", "district_leader", *SCHOOL_STAFF]
LINCOLN_MANAGERS = ["state_admin", "district_leader", "principal", "assistant_principal"]
# Everyone in the district or serving it sees its measures; the outsider does not.
MEASURE_VIEWERS = [p for p in expect(0) if p not in ("outsider", "anonymous")]
CREATORS = [
    "state_admin",
    "district_leader",
    "principal",
    "assistant_principal",
    "teacher",
    "instructional_coach",
    "outsider",
]
DISTRICT_COMPARERS = [*STATE, "district_leader", "hub_director", "hub_coach"]
GRADE3_READERS = [*SCHOOL_STAFF, "district_leader", "hub_director", "hub_coach"]


def computed(w):  # type: ignore[no-untyped-def]
    return w.objects["computed_measure"].pk


def attendance(w):  # type: ignore[no-untyped-def]
    return w.objects["attendance_measure"].pk


def lincoln(w):  # type: ignore[no-untyped-def]
    return f"school-{w.school.pk}"


def attendance_value(w):  # type: ignore[no-untyped-def]
    return w.objects["attendance_measure"].values.order_by("period_start").first().pk


def a_note(w):  # type: ignore[no-untyped-def]
    """A note on Lincoln's attendance chart, made for the test (rolled back after it)."""
    note, _ = MeasureAnnotation.objects.get_or_create(
        measure=w.objects["attendance_measure"],
        scope_key=f"school:{w.school.pk}",
        district=w.district,
        date=w.objects["attendance_measure"].values.order_by("period_start").first().period_start,
        kind=AnnotationKind.NOTE,
        label="Attendance calls began",
    )
    return note.pk


ROWS: list[Row] = [
    *rows("measures:home", get=expect(302), **not_allowed_methods("post", "put", "delete")),
    *rows("measures:library", get=expect(200), **not_allowed_methods("post", "put", "delete")),
    *rows(
        "measures:create",
        get=only(CREATORS, 200, others=403),
        post=only(CREATORS, 400, others=403),
        **not_allowed_methods("put", "delete"),
    ),
    # Without a place, each reader lands on their own school's series or a choice of places.
    *rows(
        "measures:detail",
        args=lambda w: [computed(w)],
        get=only(MEASURE_VIEWERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "measures:detail",
        args=lambda w: [computed(w)],
        data=lambda w: {"school": w.school.pk},
        get=only(LINCOLN_READERS, 200),
    ),
    *rows(
        "measures:detail",
        args=lambda w: [w.objects["team_measure"].pk],
        data=lambda w: {"team": w.objects["grade3"].pk},
        get=only(GRADE3_READERS, 200),
    ),
    *rows(
        "measures:edit",
        args=lambda w: [attendance(w)],
        get=readers_else_403(MEASURE_VIEWERS, ["state_admin", "district_leader"], 200),
        # Nothing filled in: the form comes back with its messages.
        post=readers_else_403(MEASURE_VIEWERS, ["state_admin", "district_leader"], 400),
        **not_allowed_methods("put", "delete"),
    ),
    # The Grade 3 team's own measure: the team's lead (the teacher) and the principal.
    *rows(
        "measures:edit",
        args=lambda w: [w.objects["team_measure"].pk],
        get=readers_else_403(
            [*GRADE3_READERS, *STATE], ["teacher", "principal", "state_admin"], 200
        ),
    ),
    *rows(
        "measures:archive",
        args=lambda w: [attendance(w)],
        data=lambda w: {"action": "archive"},
        post=readers_else_403(MEASURE_VIEWERS, ["state_admin", "district_leader"], 302),
        **not_allowed_methods("get", "put", "delete"),
    ),
    *rows(
        "measures:chart_settings",
        args=lambda w: [computed(w), lincoln(w)],
        data=lambda w: {"rules": "ihi", "stamp": ""},
        post=readers_else_403(LINCOLN_READERS, LINCOLN_MANAGERS, 302),
        **not_allowed_methods("get", "put", "delete"),
    ),
    *rows(
        "measures:value_create",
        args=lambda w: [attendance(w), lincoln(w)],
        get=readers_else_403(LINCOLN_READERS, LINCOLN_MANAGERS, 200),
        post=readers_else_403(LINCOLN_READERS, LINCOLN_MANAGERS, 400),
        **not_allowed_methods("put", "delete"),
    ),
    # Computed values are never typed in, whoever asks.
    *rows(
        "measures:value_create",
        args=lambda w: [computed(w), lincoln(w)],
        get=only(LINCOLN_READERS, 403),
    ),
    *rows(
        "measures:value_edit",
        args=lambda w: [attendance(w), lincoln(w), attendance_value(w)],
        get=readers_else_403(LINCOLN_READERS, LINCOLN_MANAGERS, 200),
        post=readers_else_403(LINCOLN_READERS, LINCOLN_MANAGERS, 400),
        **not_allowed_methods("put", "delete"),
    ),
    # Without the moment the value was last saved, nothing is removed: back to the page.
    *rows(
        "measures:value_delete",
        args=lambda w: [attendance(w), lincoln(w), attendance_value(w)],
        post=readers_else_403(LINCOLN_READERS, LINCOLN_MANAGERS, 302),
        **not_allowed_methods("get", "put", "delete"),
    ),
    *rows(
        "measures:note_create",
        args=lambda w: [attendance(w), lincoln(w)],
        post=readers_else_403(LINCOLN_READERS, LINCOLN_MANAGERS, 400),
        **not_allowed_methods("get", "put", "delete"),
    ),
    *rows(
        "measures:note_delete",
        args=lambda w: [attendance(w), lincoln(w), a_note(w)],
        post=readers_else_403(LINCOLN_READERS, LINCOLN_MANAGERS, 302),
        **not_allowed_methods("get", "put", "delete"),
    ),
    *rows(
        "measures:export",
        args=lambda w: [computed(w), lincoln(w), "csv"],
        get=only(LINCOLN_READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "measures:export",
        args=lambda w: [computed(w), lincoln(w), "xlsx"],
        get=only(LINCOLN_READERS, 200),
    ),
    *rows(
        "measures:school",
        args=lambda w: [w.school.pk],
        # Douglass's teacher and the network facilitator can see Lincoln, not its figures.
        get=readers_else_403(
            [*LINCOLN_READERS, "network_facilitator", "other_school_teacher"],
            LINCOLN_READERS,
            200,
        ),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "measures:team",
        args=lambda w: [w.objects["grade3"].pk],
        get=only(GRADE3_READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "measures:district",
        args=lambda w: [w.district.pk],
        get=readers_else_403(
            [*DISTRICT_COMPARERS, *SCHOOL_STAFF, "network_facilitator", "other_school_teacher"],
            DISTRICT_COMPARERS,
            200,
        ),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "measures:recompute",
        args=lambda w: [w.district.pk],
        post=readers_else_403(
            [*DISTRICT_COMPARERS, *SCHOOL_STAFF, "network_facilitator", "other_school_teacher"],
            ["state_admin", "district_leader"],
            302,
        ),
        **not_allowed_methods("get", "put", "delete"),
    ),
    *rows(
        "measures:hub",
        args=lambda w: [w.hub.slug],
        get=readers_else_403(
            [*STATE, "hub_director", "hub_coach", "network_facilitator", "district_leader"],
            [*STATE, "hub_director", "hub_coach"],
            200,
        ),
        **not_allowed_methods("post", "put", "delete"),
    ),
]


def _api_registered() -> bool:
    """The measures API is listed here once leadhub/api/urls.py registers its viewsets."""
    try:
        reverse("api:v1:measure-list")
    except NoReverseMatch:
        return False
    return True


# The API: read-only, 401 without credentials, 405 for changes once signed in.
API_READ_ONLY = {m: expect(405, anonymous=401) for m in ("post", "put", "delete")}

if _api_registered():
    ROWS += [
        *rows("api:v1:measure-list", get=expect(200, anonymous=401), **API_READ_ONLY),
        *rows(
            "api:v1:measure-detail",
            args=lambda w: [computed(w)],
            get=only(MEASURE_VIEWERS, 200, anonymous=401),
            **API_READ_ONLY,
        ),
        *rows("api:v1:measure-value-list", get=expect(200, anonymous=401), **API_READ_ONLY),
        *rows(
            "api:v1:measure-value-detail",
            args=lambda w: [w.objects["computed_measure"].values.first().pk],
            get=only(LINCOLN_READERS, 200, anonymous=401),
            **API_READ_ONLY,
        ),
    ]
