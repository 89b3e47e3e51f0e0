"""Reads behind the student pages: which schools a person lists, which year, figures by level."""

from __future__ import annotations

import pytest

from leadhub.assessments.tests.factories import AssessmentFactory
from leadhub.orgs.tests.factories import SchoolFactory, SchoolYearFactory
from leadhub.students import selectors
from leadhub.students.tests.factories import StudentEnrollmentFactory

pytestmark = pytest.mark.django_db


def names(schools) -> list[str]:
    return [school.name for school in schools]


def test_each_person_lists_students_at_the_schools_they_reach(world) -> None:
    def reach(persona: str) -> list[str]:
        return names(selectors.schools_with_student_rows(world.people[persona]))

    assert reach("teacher") == ["Lincoln Elementary"]
    assert reach("principal") == ["Lincoln Elementary"]
    assert reach("district_leader") == ["Douglass Middle", "Lincoln Elementary"]
    assert reach("other_school_teacher") == ["Douglass Middle"]
    assert reach("outsider") == ["Riverside High"]
    for persona in ("hub_director", "state_admin", "evaluator", "instructional_coach"):
        assert reach(persona) == [], persona


def test_a_teacher_lists_their_classes_and_a_principal_the_whole_school(world) -> None:
    teacher = selectors.student_list(world.people["teacher"], world.school)
    principal = selectors.student_list(world.people["principal"], world.school)
    assert teacher.mode is selectors.ListMode.CLASSES
    assert principal.mode is selectors.ListMode.SCHOOL
    assert (teacher.rows.count(), principal.rows.count()) == (12, 26)


def test_the_year_shown_is_the_current_one_or_else_the_latest_with_students(world) -> None:
    assert selectors.enrollment_year(world.school) == world.year
    school = SchoolFactory(district=world.district)
    assert selectors.enrollment_year(school) is None
    StudentEnrollmentFactory(school=school, school_year=SchoolYearFactory(year=world.year + 1))
    assert selectors.enrollment_year(school) == world.year + 1
    StudentEnrollmentFactory(school=school, school_year=SchoolYearFactory(year=world.year - 2))
    assert selectors.enrollment_year(school) == world.year - 2


def counts(levels: dict[int, int]) -> dict[str, selectors.CountRow]:
    assessment = AssessmentFactory(level_count=4, proficient_level=3)
    results = [level for level, n in levels.items() for _ in range(n)]
    return {row.key: row for row in selectors.level_counts(assessment, [*results, None])}


def test_levels_with_two_small_cells_protect_each_other() -> None:
    rows = counts({1: 2, 2: 8, 3: 20, 4: 10})
    assert [rows[k].count.suppressed for k in ("level-1", "level-2", "level-3", "level-4")] == [
        True,
        True,
        False,
        False,
    ]
    assert rows["below"].count.display == "10"
    assert (rows["meets"].count.display, rows["meets"].share.display) == ("30", "75%")
    assert (rows["total"].count.display, rows["total"].share.display) == ("40", "100%")
    assert rows["level-3"].label == "Level 3 (meets the standard)"


def test_one_small_level_hides_a_level_on_each_side_of_the_standard_too() -> None:
    rows = counts({1: 3, 2: 15, 3: 15, 4: 12})
    assert rows["level-1"].count.reason == "small"
    # Below the standard is shown (18), so level 2 would give level 1 away; at or above
    # is shown (27) and level 4 went with level 1 in the total's line, so level 3 goes too.
    for key in ("level-2", "level-3", "level-4"):
        assert rows[key].count.reason == "complementary", key
        assert rows[key].share.suppressed
    assert (rows["below"].count.display, rows["meets"].count.display) == ("18", "27")


def test_at_or_above_is_hidden_when_the_few_below_could_be_worked_out_from_it() -> None:
    rows = counts({2: 1, 3: 30, 4: 29})
    assert rows["below"].count.reason == "small"
    # 59 of 60 at or above would say that one student is below: it goes too.
    assert rows["meets"].count.reason == "complementary"
    assert rows["meets"].share.suppressed
    assert rows["total"].count.display == "60"
