"""Factories for organization records; each keeps a school and its district consistent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from leadhub.accounts.tests.factories import UserFactory
from leadhub.orgs.models import (
    ROLE_LEVEL,
    District,
    DistrictCalendar,
    Hub,
    HubServiceArea,
    Membership,
    NonInstructionalDay,
    ProgramParticipation,
    School,
    SchoolProfile,
    SchoolYear,
    SpecialProgram,
    State,
)
from leadhub.orgs.schoolyears import school_year_of


def current_year() -> int:
    return school_year_of(timezone.localdate())


class StateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = State
        django_get_or_create = ["code"]

    name = "Test State"
    code = "TS"


class HubFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hub

    state = factory.SubFactory(StateFactory)
    name = factory.Sequence(lambda n: f"Hub {n}")
    slug = factory.Sequence(lambda n: f"hub-{n}")
    host_organization = "Regional Office of Education #1"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    parent_state = factory.SubFactory(StateFactory)
    name = factory.Sequence(lambda n: f"District {n}")
    state_id = factory.Sequence(lambda n: f"99-000-{n:04d}-26")
    nces_id = factory.Sequence(lambda n: f"{9900000 + n}")


class HubServiceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HubServiceArea

    hub = factory.SubFactory(HubFactory)
    district = factory.SubFactory(DistrictFactory)
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=400))


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"School {n}")
    state_id = factory.Sequence(lambda n: f"99-000-{n:04d}-26-1000")
    nces_id = factory.Sequence(lambda n: f"{990000000000 + n}")
    city = "Springfield"


class SchoolYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolYear
        django_get_or_create = ["year"]

    year = factory.LazyFunction(current_year)
    start_date = factory.LazyAttribute(lambda o: dt.date(o.year - 1, 7, 1))
    end_date = factory.LazyAttribute(lambda o: dt.date(o.year, 6, 30))


class SchoolProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolProfile

    school = factory.SubFactory(SchoolFactory)
    district = factory.LazyAttribute(lambda o: o.school.district)
    school_year = factory.SubFactory(SchoolYearFactory)
    lowest_grade = "KG"
    highest_grade = "05"
    locale = SchoolProfile.Locale.SUBURB
    enrollment = 420
    pct_low_income = Decimal("48.5")
    pct_english_learners = Decimal("12.0")
    pct_iep = Decimal("14.2")


class DistrictCalendarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DistrictCalendar

    district = factory.SubFactory(DistrictFactory)
    school_year = factory.SubFactory(SchoolYearFactory)
    first_day = factory.LazyAttribute(lambda o: dt.date(o.school_year.year - 1, 8, 20))
    last_day = factory.LazyAttribute(lambda o: dt.date(o.school_year.year, 6, 5))


class NonInstructionalDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NonInstructionalDay

    calendar = factory.SubFactory(DistrictCalendarFactory)
    district = factory.LazyAttribute(lambda o: o.calendar.district)
    start_date = factory.LazyAttribute(lambda o: dt.date(o.calendar.school_year_id - 1, 12, 21))
    end_date = factory.LazyAttribute(lambda o: dt.date(o.calendar.school_year_id, 1, 2))
    kind = NonInstructionalDay.Kind.BREAK
    label = "Winter break"


class SpecialProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpecialProgram

    school = factory.SubFactory(SchoolFactory)
    district = factory.LazyAttribute(lambda o: o.school.district)
    kind = SpecialProgram.Kind.BILINGUAL


class ProgramParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgramParticipation

    school = factory.SubFactory(SchoolFactory)
    district = factory.LazyAttribute(lambda o: o.school.district)
    hub = factory.SubFactory(HubFactory)
    start_year = factory.SubFactory(SchoolYearFactory)
    support_tier = ProgramParticipation.Tier.TARGETED


class MembershipFactory(factory.django.DjangoModelFactory):
    """Pass the organization that matches the role (school=, district=, hub= or state=)."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = "teacher"
    level = factory.LazyAttribute(lambda o: ROLE_LEVEL[o.role])
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=200))
