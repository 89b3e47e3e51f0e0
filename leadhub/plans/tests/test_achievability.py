"""Yearly history for the achievable check: one value per school year, changes over the
past three years in the measure's better direction, and similar schools."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from leadhub.measures.models import Direction
from leadhub.measures.tests.factories import MeasureFactory, MeasureValueFactory
from leadhub.orgs.models import School, SchoolProfile
from leadhub.orgs.tests.factories import (
    DistrictFactory,
    SchoolFactory,
    SchoolProfileFactory,
    SchoolYearFactory,
    StateFactory,
)
from leadhub.plans.achievability import similar_school_ids, yearly_history
from leadhub.students.groups import EL
from leadhub.students.models import StudentGroup

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2025, 10, 1)  # school year 2026: history covers 2022 -> 2025


def spring(year: int) -> dt.date:
    return dt.date(year, 4, 1)


def fall(year: int) -> dt.date:
    return dt.date(year - 1, 9, 15)


class Place:
    """A state of our own, so the session's world schools are never 'similar'."""

    def __init__(self) -> None:
        self.state = StateFactory(code="ZQ", name="Quiet State")
        self.district = DistrictFactory(parent_state=self.state)
        self.measure = MeasureFactory(district=self.district, name="Reading proficiency")

    def school(
        self,
        *,
        low_income: str | None = "50.0",
        locale: str = SchoolProfile.Locale.SUBURB,
        profile_year: int = 2025,
        district: Any = None,
    ) -> School:
        school = SchoolFactory(district=district or self.district)
        if low_income is not None:
            SchoolProfileFactory(
                school=school,
                school_year=SchoolYearFactory(year=profile_year),
                locale=locale,
                pct_low_income=Decimal(low_income),
            )
        return school

    def values(self, school: School, series: dict[dt.date, float], **extra: Any) -> None:
        measure = extra.pop("measure", self.measure)
        for period_start, value in series.items():
            MeasureValueFactory(
                measure=measure,
                school=school,
                district=school.district,
                period_start=period_start,
                value=value,
                **extra,
            )


@pytest.fixture
def place() -> Place:
    return Place()


def test_the_schools_largest_yearly_gain_over_three_years(place: Place) -> None:
    school = place.school()
    place.values(
        school,
        {
            spring(2021): 10.0,  # before the window: a change from it is not counted
            spring(2022): 40.0,
            spring(2023): 45.0,
            fall(2024): 20.0,  # the fall benchmark; spring is the year's value
            spring(2024): 43.0,
            spring(2025): 50.0,
            fall(2026): 90.0,  # this year's: not history yet
        },
    )
    history = yearly_history(school=school, measure=place.measure, student_group=None, as_of=AS_OF)
    assert history.school_largest == pytest.approx(7.0)  # +5, -2, +7
    assert history.school_changes == 3
    assert history.similar_largest is None and history.similar_schools == 0


def test_changes_need_two_consecutive_years(place: Place) -> None:
    school = place.school()
    place.values(school, {spring(2022): 40.0, spring(2024): 55.0, spring(2025): 56.0})
    history = yearly_history(school=school, measure=place.measure, student_group=None, as_of=AS_OF)
    assert history.school_largest == pytest.approx(1.0)
    assert history.school_changes == 1


def test_no_history_is_none_not_zero(place: Place) -> None:
    school = place.school()
    place.values(school, {spring(2025): 56.0})
    history = yearly_history(school=school, measure=place.measure, student_group=None, as_of=AS_OF)
    assert history.school_largest is None and history.school_changes == 0


def test_a_student_groups_own_values(place: Place) -> None:
    school = place.school()
    english_learners = StudentGroup.objects.get(code=EL)
    place.values(school, {spring(2024): 40.0, spring(2025): 41.0})
    place.values(school, {spring(2024): 20.0, spring(2025): 26.0}, student_group=english_learners)
    group = yearly_history(
        school=school, measure=place.measure, student_group=english_learners, as_of=AS_OF
    )
    everyone = yearly_history(school=school, measure=place.measure, student_group=None, as_of=AS_OF)
    assert group.school_largest == pytest.approx(6.0)
    assert everyone.school_largest == pytest.approx(1.0)


def test_lower_is_better_counts_a_fall_as_improvement(place: Place) -> None:
    absence = MeasureFactory(district=place.district, direction=Direction.DOWN)
    school = place.school()
    place.values(
        school, {spring(2023): 24.0, spring(2024): 19.0, spring(2025): 21.0}, measure=absence
    )
    history = yearly_history(school=school, measure=absence, student_group=None, as_of=AS_OF)
    assert history.school_largest == pytest.approx(5.0)
    assert history.school_changes == 2


def test_only_getting_worse_gives_a_negative_largest(place: Place) -> None:
    school = place.school()
    place.values(school, {spring(2024): 50.0, spring(2025): 47.0})
    history = yearly_history(school=school, measure=place.measure, student_group=None, as_of=AS_OF)
    assert history.school_largest == pytest.approx(-3.0)


def test_values_on_too_few_students_are_left_out(place: Place) -> None:
    school = place.school()
    place.values(school, {spring(2023): 40.0, spring(2024): 52.0}, student_count=6)
    place.values(school, {spring(2025): 60.0}, student_count=40)
    history = yearly_history(school=school, measure=place.measure, student_group=None, as_of=AS_OF)
    assert history.school_largest is None


def test_similar_schools_share_state_locale_and_low_income_within_ten_points(
    place: Place,
) -> None:
    school = place.school(low_income="50.0")
    near = place.school(low_income="59.5")
    at_the_edge = place.school(low_income="40.0")
    too_poor = place.school(low_income="60.5")
    rural = place.school(low_income="50.0", locale=SchoolProfile.Locale.RURAL)
    older_profile = place.school(low_income="50.0", profile_year=2024)
    no_profile = place.school(low_income=None)
    elsewhere = place.school(
        district=DistrictFactory(parent_state=StateFactory(code="ZR", name="Rival State"))
    )
    assert set(similar_school_ids(school)) == {near.pk, at_the_edge.pk}
    assert similar_school_ids(no_profile) == []
    for other in (too_poor, rural, older_profile, no_profile, elsewhere):
        assert other.pk not in similar_school_ids(school)


def test_the_largest_gain_among_similar_schools(place: Place) -> None:
    school = place.school()
    near = place.school(low_income="55.0")
    quiet = place.school(low_income="45.0")  # similar, but no values: not counted
    unlike = place.school(low_income="80.0")
    place.values(school, {spring(2024): 40.0, spring(2025): 42.0})
    place.values(near, {spring(2023): 30.0, spring(2024): 39.0, spring(2025): 40.0})
    place.values(unlike, {spring(2024): 30.0, spring(2025): 60.0})
    history = yearly_history(school=school, measure=place.measure, student_group=None, as_of=AS_OF)
    assert history.school_largest == pytest.approx(2.0)
    assert history.similar_largest == pytest.approx(9.0)
    assert history.similar_schools == 1
    assert quiet.pk in similar_school_ids(school)


def test_a_school_without_a_profile_has_only_its_own_history(place: Place) -> None:
    school = place.school(low_income=None)
    twin = place.school()
    place.values(twin, {spring(2024): 30.0, spring(2025): 39.0})
    history = yearly_history(school=school, measure=place.measure, student_group=None, as_of=AS_OF)
    assert history.similar_largest is None and history.similar_schools == 0


def test_three_queries_whatever_the_number_of_similar_schools(
    place: Place, django_assert_num_queries: Any
) -> None:
    school = place.school()
    for offset in range(5):
        twin = place.school(low_income=f"{45 + offset}.0")
        place.values(twin, {spring(2024): 30.0, spring(2025): 31.0 + offset})
    school = School.objects.get(pk=school.pk)
    with django_assert_num_queries(3):
        history = yearly_history(
            school=school, measure=place.measure, student_group=None, as_of=AS_OF
        )
    assert history.similar_schools == 5
    assert history.similar_largest == pytest.approx(5.0)
    with django_assert_num_queries(1):
        yearly_history(
            school=school, measure=place.measure, student_group=None, as_of=AS_OF, similar=[]
        )
