"""Who may open each student page (the world: leadhub/students/tests/world.py).

Rows of students: the district's leaders, the school's principal and assistant principal,
and a class's teachers for their own classes. Hub staff, coaches, the instructional
coach, state staff and evaluators without a grant reach no row: 404, as if the page did
not exist. A school's figures at a glance are aggregates: anyone who reads the school's
records may read them.
"""

from __future__ import annotations

from leadhub.core.tests.matrix import Row, expect, not_allowed_methods, only, rows

LINCOLN_ROWS = ["district_leader", "principal", "assistant_principal"]
# Everyone who has some student rows to list: their own classes or schools.
LISTERS = [*LINCOLN_ROWS, "teacher", "other_school_teacher", "outsider"]
# Everyone who reads Lincoln's organization records (its staff, its district and the
# district's own teachers elsewhere, the hub serving it, state staff).
LINCOLN_READERS = [p for p in expect(0) if p not in ("outsider", "anonymous")]
READ_ONLY = not_allowed_methods("post", "put", "delete")


def lincoln(w):  # type: ignore[no-untyped-def]
    return {"school": w.school.pk}


ROWS: list[Row] = [
    *rows("students:student_list", get=only(LISTERS, 200), **READ_ONLY),
    # A school out of the person's reach is out of scope, even for someone with rows elsewhere.
    *rows(
        "students:student_list",
        data=lincoln,
        get=only([*LINCOLN_ROWS, "teacher"], 200),
    ),
    *rows(
        "students:student_export_csv",
        data=lincoln,
        get=only([*LINCOLN_ROWS, "teacher"], 200),
        **READ_ONLY,
    ),
    # With no school chosen, a person with one school downloads it; a district leader
    # is sent back to choose one.
    *rows(
        "students:student_export_xlsx",
        get={**only(LISTERS, 200), "district_leader": 302},
        **READ_ONLY,
    ),
    *rows(
        "students:student_detail",
        args=lambda w: [w.objects["student"].pk],
        get=only([*LINCOLN_ROWS, "teacher"], 200),
        **READ_ONLY,
    ),
    # A Grade 5 student: not the teacher's.
    *rows(
        "students:student_detail",
        args=lambda w: [w.objects["other_student"].pk],
        get=only(LINCOLN_ROWS, 200),
    ),
    *rows(
        "students:student_detail",
        args=lambda w: [w.objects["sibling_student"].pk],
        get=only(["district_leader", "other_school_teacher"], 200),
    ),
    *rows(
        "students:student_detail",
        args=lambda w: [w.objects["far_student"].pk],
        get=only(["outsider"], 200),
    ),
    *rows(
        "students:section_detail",
        args=lambda w: [w.objects["section"].pk],
        get=only([*LINCOLN_ROWS, "teacher"], 200),
        **READ_ONLY,
    ),
    *rows(
        "students:section_detail",
        args=lambda w: [w.objects["other_section"].pk],
        get=only(LINCOLN_ROWS, 200),
    ),
    *rows(
        "students:section_detail",
        args=lambda w: [w.objects["sibling_section"].pk],
        get=only(["district_leader", "other_school_teacher"], 200),
    ),
    *rows(
        "students:school_summary",
        args=lambda w: [w.school.pk],
        get=only(LINCOLN_READERS, 200),
        **READ_ONLY,
    ),
    *rows(
        "students:school_summary",
        args=lambda w: [w.other_school.pk],
        get=only(["outsider", "state_admin", "evaluator"], 200),
    ),
]
