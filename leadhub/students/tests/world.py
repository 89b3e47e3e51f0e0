"""Students, classes, results and measures in the shared test world (built once by conftest).

Lincoln Elementary (this year):
- Grade 3, Room 12: 12 students, taught by the teacher persona. Three are English
  learners: a group below the suppression minimum of 10.
- Grade 5, Room 20: 14 students, taught by a teacher who is not a persona.
- By race and ethnicity the school's 26 students are 12 White, 11 Hispanic or Latino
  and 3 Black: the 3 are suppressed, and the 11 too (complementary), since the total
  of 26 is shown.
- Math benchmark results for fall and winter for all 26 (levels 1–4, 3 meets the
  standard), and the computed measure's values from them.

Douglass Middle (same district) has a class of 5 taught by the other school's teacher;
Riverside High (the other district) has 4 students. An attendance measure has 14 monthly
values for Lincoln, and the Grade 3 team keeps a measure of its own.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from leadhub.accounts.models import User
from leadhub.accounts.tests.factories import UserFactory
from leadhub.assessments.models import Subject, Window
from leadhub.assessments.tests.factories import AssessmentFactory, AssessmentResultFactory
from leadhub.measures.models import MeasureLevel, MeasureSource, MeasureValue, Unit
from leadhub.measures.tests.factories import MeasureFactory, MeasureValueFactory
from leadhub.orgs.models import District, School, SchoolYear
from leadhub.orgs.tests.factories import SchoolYearFactory
from leadhub.students import groups
from leadhub.students.models import Student, StudentGroup
from leadhub.students.services import built_in_groups_ensure
from leadhub.students.tests.factories import (
    SectionFactory,
    SectionStudentFactory,
    SectionTeacherFactory,
    StudentEnrollmentFactory,
    StudentFactory,
    StudentGroupMembershipFactory,
)
from leadhub.teams.models import Team

GRADE3_LEVELS = {
    "fall": [1, 2, 2, 3, 1, 2, 3, 4, 2, 3, 1, 2],
    "winter": [2, 3, 2, 3, 2, 3, 3, 4, 2, 3, 2, 3],
}
GRADE5_LEVELS = {
    "fall": [3, 3, 4, 2, 3, 4, 1, 2, 3, 3, 4, 2, 2, 3],
    "winter": [3, 4, 4, 3, 3, 4, 2, 2, 3, 3, 4, 3, 2, 3],
}
# Race and ethnicity of Lincoln's 26 students, in creation order (grade 3 then grade 5).
RACE = [groups.WHITE] * 12 + [groups.HISPANIC] * 11 + [groups.BLACK] * 3
EL_INDEXES = (0, 4, 10)  # three grade-3 students: a group of 3


def build_student_world(
    *,
    district: District,
    other_district: District,
    school: School,
    sibling_school: School,
    other_school: School,
    people: dict[str, User],
    year: int,
    teams: dict[str, Any],
) -> dict[str, Any]:
    school_year = SchoolYearFactory(year=year)
    benchmark = AssessmentFactory(
        code="math-benchmark",
        name="Math benchmark",
        level_count=4,
        proficient_level=3,
        is_interim=True,
    )
    state_test = AssessmentFactory(
        code="state-test", name="State assessment", level_count=5, proficient_level=4
    )
    grade5_teacher = UserFactory(email="grade5.teacher@world.test", full_name="Fifth Grade Teacher")

    grade3 = SectionFactory(school=school, title="Grade 3, Room 12", grades="03")
    SectionTeacherFactory(section=grade3, user=people["teacher"])
    grade5 = SectionFactory(school=school, title="Grade 5, Room 20", grades="05")
    SectionTeacherFactory(section=grade5, user=grade5_teacher)

    lincoln: list[tuple[Student, str]] = []
    for section, grade, count in ((grade3, "03", 12), (grade5, "05", 14)):
        for _ in range(count):
            student = StudentFactory(district=district)
            StudentEnrollmentFactory(
                student=student, school=school, school_year=school_year, grade=grade
            )
            SectionStudentFactory(section=section, student=student)
            lincoln.append((student, grade))
    group = built_in_groups_ensure()
    for index, (student, _) in enumerate(lincoln):
        StudentGroupMembershipFactory(
            student=student, school_year=school_year, group=group[RACE[index]]
        )
        if index in EL_INDEXES:
            StudentGroupMembershipFactory(
                student=student, school_year=school_year, group=group[groups.EL]
            )

    levels = {
        window: GRADE3_LEVELS[window] + GRADE5_LEVELS[window] for window in ("fall", "winter")
    }
    for window, window_levels in levels.items():
        for (student, grade), level in zip(lincoln, window_levels, strict=True):
            AssessmentResultFactory(
                student=student,
                school=school,
                assessment=benchmark,
                subject=Subject.MATH,
                grade=grade,
                school_year=school_year,
                window=window,
                scale_score=150.0 + 20 * level,
                performance_level=level,
            )

    sibling_section = SectionFactory(school=sibling_school, title="Grade 7 Math", grades="07")
    SectionTeacherFactory(section=sibling_section, user=people["other_school_teacher"])
    sibling_students = []
    for _ in range(5):
        student = StudentFactory(district=district)
        StudentEnrollmentFactory(
            student=student, school=sibling_school, school_year=school_year, grade="07"
        )
        SectionStudentFactory(section=sibling_section, student=student)
        sibling_students.append(student)
    far_students = []
    for _ in range(4):
        student = StudentFactory(district=other_district)
        StudentEnrollmentFactory(
            student=student, school=other_school, school_year=school_year, grade="10"
        )
        far_students.append(student)

    computed = MeasureFactory(
        name="Math benchmark: at or above standard",
        unit=Unit.PERCENT,
        level=MeasureLevel.SCHOOL,
        district=district,
        owner=people["district_leader"],
        source=MeasureSource.COMPUTED,
        assessment=benchmark,
        subject=Subject.MATH,
        at_or_above_level=3,
        numerator_label="Students at or above the standard",
        denominator_label="Students tested",
    )
    _computed_values(computed, school, school_year, lincoln, levels, group)
    attendance = MeasureFactory(
        name="Average daily attendance",
        unit=Unit.PERCENT,
        level=MeasureLevel.SCHOOL,
        district=district,
        owner=people["principal"],
    )
    start = dt.date(year - 2, 9, 1)
    attendance_values = [
        94.1,
        93.8,
        92.9,
        93.5,
        92.0,
        91.8,
        93.2,
        94.0,
        94.4,
        93.1,
        92.6,
        95.2,
        95.8,
        96.1,
    ]
    for month, value in enumerate(attendance_values):
        MeasureValueFactory(
            measure=attendance,
            school=school,
            period_start=_add_months(start, month),
            period_label=_add_months(start, month).strftime("%B %Y"),
            value=value,
        )
    grade3_team: Team = teams["grade3"]
    team_measure = MeasureFactory(
        name="Grade 3 exit tickets: share correct",
        unit=Unit.PERCENT,
        level=MeasureLevel.TEAM,
        district=district,
        school=school,
        team=grade3_team,
        owner=people["teacher"],
    )
    for week, value in enumerate([48, 52, 55, 51, 60, 63, 61, 66]):
        MeasureValueFactory(
            measure=team_measure,
            school=None,
            team=grade3_team,
            district=district,
            period_start=dt.date(year - 1, 9, 7) + dt.timedelta(weeks=week),
            value=float(value),
        )
    return {
        "student": lincoln[1][0],
        "el_student": lincoln[0][0],
        "other_student": lincoln[12][0],
        "sibling_student": sibling_students[0],
        "far_student": far_students[0],
        "section": grade3,
        "other_section": grade5,
        "sibling_section": sibling_section,
        "grade5_teacher": grade5_teacher,
        "benchmark": benchmark,
        "state_test": state_test,
        "computed_measure": computed,
        "attendance_measure": attendance,
        "team_measure": team_measure,
        "school_year": school_year,
    }


def _computed_values(
    measure: Any,
    school: School,
    school_year: SchoolYear,
    lincoln: list[tuple[Student, str]],
    levels: dict[str, list[int]],
    group: dict[str, StudentGroup],
) -> None:
    """The values the computation gives for the world's results, counted by hand here."""
    memberships: dict[int, set[str]] = {student.pk: set() for student, _ in lincoln}
    for index, (student, _) in enumerate(lincoln):
        memberships[student.pk].add(RACE[index])
        if index in EL_INDEXES:
            memberships[student.pk].add(groups.EL)
    for window_index, (window, window_levels) in enumerate(levels.items()):
        tested: Counter[str] = Counter()
        meeting: Counter[str] = Counter()
        for (student, _), level in zip(lincoln, window_levels, strict=True):
            for code in ["", *memberships[student.pk]]:
                tested[code] += 1
                meeting[code] += level >= 3
        for code, n in tested.items():
            MeasureValue.objects.create(
                measure=measure,
                district=school.district,
                school=school,
                student_group=group[code] if code else None,
                period_start=school_year.start_date + dt.timedelta(days=60 + 90 * window_index),
                period_label=f"{Window(window).label} {school_year.label}",
                school_year=school_year,
                window=window,
                value=round(100 * meeting[code] / n, 1),
                numerator=meeting[code],
                denominator=n,
                student_count=n,
                source=MeasureSource.COMPUTED,
            )


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


def load_student_world() -> dict[str, Any]:
    """The same objects read back from the database (browser tests, whose live server
    rebuilds the world)."""
    from leadhub.assessments.models import Assessment
    from leadhub.measures.models import Measure
    from leadhub.students.models import Section

    sections = {s.title: s for s in Section.objects.all()}
    grade3, grade5 = sections["Grade 3, Room 12"], sections["Grade 5, Room 20"]
    grade3_ids = list(grade3.students.order_by("pk").values_list("student_id", flat=True))
    grade5_ids = list(grade5.students.order_by("pk").values_list("student_id", flat=True))
    sibling = sections["Grade 7 Math"]
    measures = {m.name: m for m in Measure.objects.all()}
    return {
        "student": Student.objects.get(pk=grade3_ids[1]),
        "el_student": Student.objects.get(pk=grade3_ids[0]),
        "other_student": Student.objects.get(pk=grade5_ids[0]),
        "sibling_student": Student.objects.get(
            pk=sibling.students.order_by("pk").values_list("student_id", flat=True)[0]
        ),
        "far_student": Student.objects.filter(district__name="Far River SD 2")
        .order_by("pk")
        .first(),
        "section": grade3,
        "other_section": grade5,
        "sibling_section": sibling,
        "grade5_teacher": User.objects.get(email="grade5.teacher@world.test"),
        "benchmark": Assessment.objects.get(code="math-benchmark"),
        "state_test": Assessment.objects.get(code="state-test"),
        "computed_measure": measures["Math benchmark: at or above standard"],
        "attendance_measure": measures["Average daily attendance"],
        "team_measure": measures["Grade 3 exit tickets: share correct"],
        "school_year": SchoolYear.objects.get(year=grade3.school_year_id),
    }
