from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from leadhub.orgs.tests.factories import SchoolYearFactory
from leadhub.plans.builtin import builtin_indicator_set_ensure
from leadhub.plans.models import (
    ActionStep,
    Checkpoint,
    Goal,
    IndicatorSet,
    InterimTarget,
    Need,
    PlanVersion,
    SchoolPlan,
    Strategy,
)


def builtin_indicator_set() -> IndicatorSet:
    return builtin_indicator_set_ensure()


class SchoolPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolPlan
        skip_postgeneration_save = True

    school = factory.SubFactory("leadhub.orgs.tests.factories.SchoolFactory")
    district = factory.SelfAttribute("school.district")
    school_year = factory.SubFactory(SchoolYearFactory)
    last_year = factory.SelfAttribute("school_year")
    title = factory.LazyAttribute(lambda o: f"{o.school.name} improvement plan")
    indicator_set = factory.LazyFunction(builtin_indicator_set)

    @factory.post_generation
    def first_version(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            PlanVersion.objects.get_or_create(
                plan=self, number=self.current_number, defaults={"district_id": self.district_id}
            )


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    plan = factory.SubFactory(SchoolPlanFactory)
    district = factory.SelfAttribute("plan.district")
    statement = factory.Sequence(lambda n: f"Need {n}")


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    plan = factory.SubFactory(SchoolPlanFactory)
    district = factory.SelfAttribute("plan.district")
    outcome = factory.Sequence(lambda n: f"More students read on grade level ({n})")


class InterimTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterimTarget

    goal = factory.SubFactory(GoalFactory)
    district = factory.SelfAttribute("goal.district")
    label = "Winter benchmark"
    target_value = 50.0
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))


class CheckpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Checkpoint

    goal = factory.SubFactory(GoalFactory)
    district = factory.SelfAttribute("goal.district")
    measured_on = factory.LazyFunction(timezone.localdate)
    value = 45.0
    recorded_by = factory.SubFactory("leadhub.accounts.tests.factories.UserFactory")


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strategy

    plan = factory.SubFactory(SchoolPlanFactory)
    district = factory.SelfAttribute("plan.district")
    title = factory.Sequence(lambda n: f"Strategy {n}")


class ActionStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionStep

    strategy = factory.SubFactory(StrategyFactory)
    plan = factory.SelfAttribute("strategy.plan")
    district = factory.SelfAttribute("strategy.district")
    description = factory.Sequence(lambda n: f"Action step {n}")
