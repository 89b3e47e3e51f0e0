"""Computed values against the world's assessment results, counted by hand."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leadhub.assessments.tests.factories import AssessmentResultFactory
from leadhub.measures.compute import computed_values_refresh, window_period_start
from leadhub.measures.models import MeasureSource, MeasureValue
from leadhub.measures.tests.factories import MeasureFactory
from leadhub.students.models import StudentGroupMembership
from leadhub.students.tests.world import GRADE3_LEVELS, GRADE5_LEVELS

pytestmark = pytest.mark.django_db


def lincoln_values(world, **filters):
    return MeasureValue.objects.filter(
        measure=world.objects["computed_measure"], school=world.school, **filters
    )


def test_all_students_in_the_fall_by_hand(world) -> None:
    MeasureValue.objects.filter(measure=world.objects["computed_measure"]).delete()
    computed_values_refresh(district_id=world.district.pk)
    fall = lincoln_values(world, window="fall", group_code="").get()
    levels = GRADE3_LEVELS["fall"] + GRADE5_LEVELS["fall"]
    meeting = sum(1 for level in levels if level >= 3)
    assert fall.student_count == 26 == fall.denominator
    assert fall.numerator == meeting == 13
    assert fall.value == round(100 * 13 / 26, 1)
    assert fall.scope_key == f"school:{world.school.pk}"
    assert fall.source == MeasureSource.COMPUTED
    year = world.objects["school_year"]
    assert fall.period_start == window_period_start(year.start_date, "fall")
    assert fall.period_label == f"Fall {year.label}"


def test_groups_are_counted_from_the_same_years_memberships(world) -> None:
    MeasureValue.objects.filter(measure=world.objects["computed_measure"]).delete()
    computed_values_refresh(district_id=world.district.pk)
    winter = {v.group_code: v for v in lincoln_values(world, window="winter")}
    assert {code: v.student_count for code, v in winter.items()} == {
        "": 26,
        "el": 3,
        "white": 12,
        "hispanic": 11,
        "black": 3,
    }
    # The English learners are grade-3 students 0, 4 and 10: winter levels 2, 2 and 2.
    assert winter["el"].numerator == 0
    # The three Black students are the last three of grade 5: winter levels 3, 2, 3.
    assert winter["black"].numerator == 2


def test_the_refresh_gives_the_values_the_world_was_built_with(world) -> None:
    fields = ("group_code", "window", "period_start", "value", "numerator", "student_count")
    before = sorted(lincoln_values(world).values_list(*fields))
    written = computed_values_refresh(district_id=world.district.pk, school_year=world.year)
    assert written == len(before) == 10
    assert sorted(lincoln_values(world).values_list(*fields)) == before
    assert lincoln_values(world).count() == 10  # upserted, not duplicated


def test_a_corrected_result_changes_the_value_and_emptied_groups_go(world) -> None:
    measure = world.objects["computed_measure"]
    student = world.objects["el_student"]
    result = student.assessment_results.get(window="fall")
    result.performance_level = 4
    result.save()
    StudentGroupMembership.objects.filter(group__code="el").delete()
    computed_values_refresh(district_id=world.district.pk, measure_ids=[measure.pk])
    fall = {v.group_code: v for v in lincoln_values(world, window="fall")}
    assert fall[""].numerator == 14
    assert "el" not in fall


def test_one_or_two_queries_per_measure_whatever_the_number_of_students(world) -> None:
    measure = world.objects["computed_measure"]
    for _ in range(30):
        AssessmentResultFactory(
            school=world.school,
            student__district=world.district,
            assessment=world.objects["benchmark"],
            school_year=world.objects["school_year"],
            window="spring",
        )
    with CaptureQueriesContext(connection) as queries:
        computed_values_refresh(district_id=world.district.pk, measure_ids=[measure.pk])
    reads = [q for q in queries.captured_queries if "assessments_assessmentresult" in q["sql"]]
    assert len(reads) == 2
    spring = lincoln_values(world, window="spring", group_code="").get()
    assert spring.student_count == 30


def test_other_districts_and_archived_measures_are_left_alone(world) -> None:
    archived = MeasureFactory(
        district=world.district,
        source=MeasureSource.COMPUTED,
        assessment=world.objects["benchmark"],
        subject="math",
        at_or_above_level=3,
        archived=True,
    )
    assert computed_values_refresh(district_id=world.other_district.pk) == 0
    computed_values_refresh(district_id=world.district.pk)
    assert not MeasureValue.objects.filter(measure=archived).exists()
