"""Students' enrollments in a school for a school year (with their grade), from the
package's student roles and class enrollments. Each one a run asserts is noted in
staging, so a bulk package can deactivate those it no longer asserts."""

from __future__ import annotations

from django.db.models import Q

from leadhub.rosters.context import Context
from leadhub.rosters.models import StagedStudentEnrollment
from leadhub.students.models import StudentEnrollment

# (student, school, school year) → grade ("" when the package gives none)
Wanted = dict[tuple[int, int, int], str]


def school_enrollments_upsert(ctx: Context, wanted: Wanted, asserted: set[int]) -> None:
    """Create or update the wanted enrollments; ``asserted`` holds those this run already
    wrote, so a second mention (a role, then a class) is not counted twice."""
    if not wanted:
        return
    condition = Q()
    for year in {key[2] for key in wanted}:
        condition |= Q(
            school_year_id=year,
            student_id__in={key[0] for key in wanted if key[2] == year},
            school_id__in={key[1] for key in wanted if key[2] == year},
        )
    existing = {
        (e.student_id, e.school_id, e.school_year_id): e
        for e in StudentEnrollment.objects.filter(condition)
    }
    new: list[StudentEnrollment] = []
    changed: list[StudentEnrollment] = []
    unchanged = 0
    for key, grade in wanted.items():
        enrollment = existing.get(key)
        if enrollment is None:
            new.append(
                StudentEnrollment(
                    district=ctx.district,
                    student_id=key[0],
                    school_id=key[1],
                    school_year_id=key[2],
                    grade=grade,
                )
            )
            continue
        if enrollment.pk in asserted:
            continue
        if (grade and enrollment.grade != grade) or not enrollment.active:
            enrollment.grade = grade or enrollment.grade
            enrollment.active = True
            changed.append(enrollment)
        else:
            unchanged += 1
    StudentEnrollment.objects.bulk_create(new)
    StudentEnrollment.objects.bulk_update(changed, ["grade", "active"])
    touched = [e.pk for e in new] + [e.pk for e in existing.values() if e.pk not in asserted]
    asserted.update(touched)
    StagedStudentEnrollment.objects.bulk_create(
        [StagedStudentEnrollment(run=ctx.run, enrollment_id=pk) for pk in touched]
    )
    ctx.summary.add("school_enrollments", "created", len(new))
    ctx.summary.add("school_enrollments", "updated", len(changed))
    ctx.summary.add("school_enrollments", "unchanged", unchanged)
