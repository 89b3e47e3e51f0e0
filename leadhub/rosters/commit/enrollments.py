"""Class enrollments: students in classes (and so in the class's school that year), and
teachers of classes. Matched on (class, person), so a re-import updates, never doubles."""

from __future__ import annotations

from leadhub.rosters.commit.school_enrollments import Wanted, school_enrollments_upsert
from leadhub.rosters.context import Context, chunks
from leadhub.rosters.models import RosterPerson, StagedEnrollment, StagedUser
from leadhub.students.models import Section, SectionStudent, SectionTeacher, Student


def commit_enrollments(ctx: Context, asserted: set[int]) -> None:
    present = StagedEnrollment.objects.filter(run=ctx.run, present=True)
    ctx.summary.left_out["other_enrollments"] += present.exclude(
        role__in=["student", "teacher"]
    ).count()
    for chunk in chunks(present.filter(role="student")):
        _students(ctx, chunk, asserted)
    for chunk in chunks(present.filter(role="teacher")):
        _teachers(ctx, chunk)


def _sections(ctx: Context, chunk: list[StagedEnrollment]) -> dict[str, Section]:
    return {
        s.sourced_id: s
        for s in Section.objects.filter(
            district=ctx.district, sourced_id__in={r.class_sourced_id for r in chunk}
        ).only("pk", "sourced_id", "school_id", "school_year_id")
    }


def _students(ctx: Context, chunk: list[StagedEnrollment], asserted: set[int]) -> None:
    sections = _sections(ctx, chunk)
    users = {r.user_sourced_id for r in chunk}
    students = dict(
        Student.objects.filter(district=ctx.district, sourced_id__in=users).values_list(
            "sourced_id", "pk"
        )
    )
    grades = dict(
        StagedUser.objects.filter(run=ctx.run, sourced_id__in=users).values_list(
            "sourced_id", "grade"
        )
    )
    existing = {
        (e.section_id, e.student_id): e
        for e in SectionStudent.objects.filter(
            section_id__in=[s.pk for s in sections.values()], student_id__in=students.values()
        )
    }
    new: dict[tuple[int, int], SectionStudent] = {}
    changed: list[SectionStudent] = []
    wanted: Wanted = {}
    for row in chunk:
        section = sections.get(row.class_sourced_id)
        student_id = students.get(row.user_sourced_id)
        if section is None or student_id is None:
            ctx.summary.add("class_students", "skipped")
            continue
        wanted[(student_id, section.school_id, section.school_year_id)] = grades.get(
            row.user_sourced_id, ""
        )
        current = existing.get((section.pk, student_id))
        if current is None:
            new[(section.pk, student_id)] = SectionStudent(
                district=ctx.district,
                section=section,
                student_id=student_id,
                sourced_id=row.sourced_id,
            )
        elif current.sourced_id != row.sourced_id or not current.active:
            current.sourced_id, current.active = row.sourced_id, True
            changed.append(current)
        else:
            ctx.summary.add("class_students", "unchanged")
    SectionStudent.objects.bulk_create(list(new.values()))
    SectionStudent.objects.bulk_update(changed, ["sourced_id", "active"])
    ctx.summary.add("class_students", "created", len(new))
    ctx.summary.add("class_students", "updated", len(changed))
    school_enrollments_upsert(ctx, wanted, asserted)


def _teachers(ctx: Context, chunk: list[StagedEnrollment]) -> None:
    sections = _sections(ctx, chunk)
    people = dict(
        RosterPerson.objects.filter(
            district=ctx.district, sourced_id__in={r.user_sourced_id for r in chunk}
        ).values_list("sourced_id", "user_id")
    )
    existing = {
        (t.section_id, t.user_id): t
        for t in SectionTeacher.objects.filter(
            section_id__in=[s.pk for s in sections.values()], user_id__in=people.values()
        )
    }
    new: dict[tuple[int, int], SectionTeacher] = {}
    changed: list[SectionTeacher] = []
    for row in chunk:
        section = sections.get(row.class_sourced_id)
        user_id = people.get(row.user_sourced_id)
        if section is None or user_id is None:
            ctx.summary.add("class_teachers", "skipped")
            continue
        primary = row.primary is not False
        current = existing.get((section.pk, user_id))
        if current is None:
            new[(section.pk, user_id)] = SectionTeacher(
                district=ctx.district,
                section=section,
                user_id=user_id,
                sourced_id=row.sourced_id,
                primary=primary,
            )
        elif (current.sourced_id, current.primary, current.active) != (
            row.sourced_id,
            primary,
            True,
        ):
            current.sourced_id, current.primary, current.active = row.sourced_id, primary, True
            changed.append(current)
        else:
            ctx.summary.add("class_teachers", "unchanged")
    SectionTeacher.objects.bulk_create(list(new.values()))
    SectionTeacher.objects.bulk_update(changed, ["sourced_id", "primary", "active"])
    ctx.summary.add("class_teachers", "created", len(new))
    ctx.summary.add("class_teachers", "updated", len(changed))
