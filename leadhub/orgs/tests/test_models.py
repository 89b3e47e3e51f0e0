from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from leadhub.orgs.models import DistrictCalendar, Membership, SchoolProfile
from leadhub.orgs.tests.factories import (
    DistrictCalendarFactory,
    MembershipFactory,
    NonInstructionalDayFactory,
    SchoolProfileFactory,
    SchoolYearFactory,
)

pytestmark = pytest.mark.django_db


def test_instructional_days_skip_weekends_and_breaks(world) -> None:
    calendar = DistrictCalendarFactory(
        district=world.other_district,
        school_year=SchoolYearFactory(year=2026),
        first_day=dt.date(2025, 12, 15),  # a Monday
        last_day=dt.date(2026, 1, 9),  # a Friday, four school weeks later
    )
    NonInstructionalDayFactory(
        calendar=calendar, start_date=dt.date(2025, 12, 22), end_date=dt.date(2026, 1, 2)
    )
    assert calendar.instructional_day_count() == 10
    assert calendar.is_instructional(dt.date(2025, 12, 16))
    assert not calendar.is_instructional(dt.date(2025, 12, 23))
    assert not calendar.is_instructional(dt.date(2025, 12, 20))  # Saturday


def test_a_calendar_must_stay_inside_its_school_year(world) -> None:
    calendar = DistrictCalendar(
        district=world.other_district,
        school_year=SchoolYearFactory(year=2026),
        first_day=dt.date(2025, 6, 20),
        last_day=dt.date(2026, 6, 5),
    )
    with pytest.raises(ValidationError, match="must fall between"):
        calendar.full_clean()


def test_one_profile_per_school_and_year(world) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        SchoolProfileFactory(school=world.school, school_year=SchoolYearFactory(year=world.year))


def test_profile_grades_must_run_upwards(world) -> None:
    profile = SchoolProfile(
        school=world.sibling_school,
        district=world.district,
        school_year=SchoolYearFactory(year=world.year),
        lowest_grade="06",
        highest_grade="KG",
        locale="town",
        enrollment=300,
        pct_low_income=10,
        pct_english_learners=2,
        pct_iep=11,
    )
    with pytest.raises(ValidationError, match="highest grade"):
        profile.full_clean()
    profile.highest_grade = "08"
    profile.full_clean()
    assert profile.grades_label == "6–8"


def test_a_membership_names_the_organization_its_role_needs(world) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(role="principal", district=world.district)  # no school


def test_a_school_membership_carries_its_district(world) -> None:
    membership = Membership(
        user=world.people["teacher"],
        role="teacher",
        school=world.sibling_school,
        start_date=dt.date(2025, 8, 1),
    )
    membership.save()
    assert membership.district_id == world.district.pk
    assert membership.level == "school"
