"""Race and ethnicity from demographics, as the students' groups for the package's
school year. Only these are kept, for subgroup reporting; nothing else of a student's
demographics (birth date, sex, birthplace) is read. A group a student has from another
source (an assessment file, an entry) is left alone."""

from __future__ import annotations

from leadhub.rosters.context import Context, chunks
from leadhub.rosters.models import StagedDemographic
from leadhub.students.models import GroupCategory, Student, StudentGroupMembership
from leadhub.students.services import built_in_groups_ensure


def race_group_ids() -> dict[str, int]:
    return {
        code: group.pk
        for code, group in built_in_groups_ensure().items()
        if group.category == GroupCategory.RACE_ETHNICITY
    }


def commit_demographics(ctx: Context) -> None:
    groups = race_group_ids()
    staged = StagedDemographic.objects.filter(run=ctx.run, present=True)
    for chunk in chunks(staged):
        students = dict(
            Student.objects.filter(
                district=ctx.district, sourced_id__in=[r.sourced_id for r in chunk]
            ).values_list("sourced_id", "pk")
        )
        wanted = {
            (students[row.sourced_id], groups[code])
            for row in chunk
            if row.sourced_id in students
            for code in row.groups.split(",")
            if code
        }
        held = StudentGroupMembership.objects.filter(
            student_id__in=students.values(),
            school_year_id=ctx.school_year,
            group_id__in=groups.values(),
        )
        existing = {(m.student_id, m.group_id): m for m in held}
        new = [
            StudentGroupMembership(
                district=ctx.district,
                student_id=student_id,
                school_year_id=ctx.school_year,
                group_id=group_id,
                source=StudentGroupMembership.Source.ROSTER,
            )
            for student_id, group_id in wanted - set(existing)
        ]
        gone = [
            m.pk
            for key, m in existing.items()
            if key not in wanted and m.source == StudentGroupMembership.Source.ROSTER
        ]
        StudentGroupMembership.objects.bulk_create(new)
        StudentGroupMembership.objects.filter(pk__in=gone).delete()
        ctx.summary.add("student_groups", "created", len(new))
        ctx.summary.add("student_groups", "deactivated", len(gone))
        ctx.summary.add("student_groups", "unchanged", len(wanted) - len(new))
