from __future__ import annotations

import factory

from leadhub.orgs.tests.factories import SchoolYearFactory, current_year
from leadhub.strategy.models import DriverDiagram, DriverNode, NodeKind, StrategicPlan


class StrategicPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicPlan

    district = factory.SubFactory("leadhub.orgs.tests.factories.DistrictFactory")
    title = factory.Sequence(lambda n: f"Strategic plan {n}")
    first_year = factory.SubFactory(SchoolYearFactory)
    last_year = factory.SubFactory(
        SchoolYearFactory, year=factory.LazyFunction(lambda: current_year() + 2)
    )


class DriverDiagramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DriverDiagram

    plan = factory.SubFactory(StrategicPlanFactory)
    outcome = "Every student reads on grade level by the end of grade 3"


class DriverNodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DriverNode

    diagram = factory.SubFactory(DriverDiagramFactory)
    kind = NodeKind.PRIMARY
    text = factory.Sequence(lambda n: f"Driver {n}")
