from __future__ import annotations

import datetime as dt

import factory

from leadhub.measures.models import Direction, Measure, MeasureLevel, MeasureValue, Unit


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    name = factory.Sequence(lambda n: f"Measure {n}")
    unit = Unit.PERCENT
    direction = Direction.UP
    level = MeasureLevel.SCHOOL
    district = factory.SubFactory("leadhub.orgs.tests.factories.DistrictFactory")


class MeasureValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeasureValue

    measure = factory.SubFactory(MeasureFactory)
    school = factory.SubFactory(
        "leadhub.orgs.tests.factories.SchoolFactory",
        district=factory.SelfAttribute("..measure.district"),
    )
    district = factory.LazyAttribute(lambda o: o.school.district if o.school else o.team.district)
    period_start = factory.Sequence(lambda n: dt.date(2025, 8, 1) + dt.timedelta(days=30 * n))
    value = 50.0
