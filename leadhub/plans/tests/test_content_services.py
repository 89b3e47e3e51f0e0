"""Writes to a plan's content and its steps: versions, conflicts, audit, indicator sets."""

from __future__ import annotations

from decimal import Decimal

import pytest

from leadhub.audit.models import AuditEvent
from leadhub.lib.concurrency import EditConflict
from leadhub.orgs.tests.factories import SchoolFactory
from leadhub.plans import selectors
from leadhub.plans.models import (
    DistrictPlanPolicy,
    Indicator,
    IndicatorSet,
    Need,
    PlanStatus,
    SchoolPlan,
    SelfAssessmentRating,
    StepResource,
    Strategy,
)
from leadhub.plans.services import content as services
from leadhub.plans.services.versions import PlanLocked
from leadhub.plans.tests.factories import ActionStepFactory, StrategyFactory

pytestmark = pytest.mark.django_db


def fresh(obj):  # type: ignore[no-untyped-def]
    """The world's row as the database holds it now (the session's objects are shared)."""
    return type(obj).objects.get(pk=obj.pk)


def test_indicator_set_for_prefers_district_then_state_then_builtin(world) -> None:
    builtin = IndicatorSet.objects.get(builtin=True)
    assert selectors.indicator_set_for(world.district) == builtin
    state_set = IndicatorSet.objects.create(name="State set", state=world.district.parent_state)
    assert selectors.indicator_set_for(world.district) == state_set
    district_set = IndicatorSet.objects.create(name="District set", district=world.district)
    DistrictPlanPolicy.objects.create(district=world.district, indicator_set=district_set)
    assert selectors.indicator_set_for(world.district) == district_set
    assert selectors.indicator_set_for(world.other_district) == state_set


def test_plan_create_uses_the_districts_set_and_audits(world) -> None:
    school = SchoolFactory(district=world.district)
    district_set = IndicatorSet.objects.create(name="District set", district=world.district)
    DistrictPlanPolicy.objects.create(district=world.district, indicator_set=district_set)
    year = selectors.current_school_year()
    plan = services.plan_create(
        school=school,
        title="A plan",
        first_year=year,
        last_year=year + 2,
        actor=world.persona("principal"),
    )
    assert plan.indicator_set == district_set
    assert plan.status == PlanStatus.DRAFT and plan.current_number == 1
    assert plan.transitions.get().to_status == PlanStatus.DRAFT
    assert AuditEvent.objects.filter(action="plan.create", object_id=str(plan.pk)).count() == 1
    with pytest.raises(ValueError):
        services.plan_create(
            school=SchoolFactory(district=world.district),
            title="Too long",
            first_year=year,
            last_year=year + 3,
            actor=world.persona("principal"),
        )


def test_a_content_change_to_a_published_plan_starts_the_next_version(world) -> None:
    plan = fresh(world.objects["plan"])
    need = Need(statement="Attendance dips in winter")
    services.need_save(
        plan=plan, need=need, indicators=[], expected_version=0, actor=world.persona("teacher")
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.current_number == 2
    assert plan.published_version.number == 1
    assert "Attendance dips in winter" not in str(plan.published_version.content)


def test_ratings_conflict_rolls_back_everything_including_the_new_version(world) -> None:
    plan = fresh(world.objects["plan"])
    first, second = Indicator.objects.filter(indicator_set=plan.indicator_set)[:2]
    SelfAssessmentRating.objects.create(
        plan=plan, district=plan.district, indicator=second, rating=3, version=5
    )
    with pytest.raises(services.RatingsConflict) as caught:
        services.ratings_save(
            plan=plan,
            changes=[
                services.RatingChange(first.pk, 2, "", 0),
                services.RatingChange(second.pk, 1, "", 4),
            ],
            actor=world.persona("principal"),
        )
    assert set(caught.value.current) == {second.pk}
    assert not SelfAssessmentRating.objects.filter(plan=plan, indicator=first).exists()
    plan.refresh_from_db()
    assert plan.current_number == 1 and plan.status == PlanStatus.PUBLISHED


def test_a_locked_plan_refuses_content(world) -> None:
    plan = fresh(world.objects["plan"])
    SchoolPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.DISTRICT_REVIEW)
    plan.refresh_from_db()
    with pytest.raises(PlanLocked):
        services.strategy_save(
            plan=plan,
            strategy=Strategy(title="Something new"),
            expected_version=0,
            actor=world.persona("principal"),
        )
    assert not Strategy.objects.filter(title="Something new").exists()


def test_a_stale_strategy_edit_is_a_conflict(world) -> None:
    strategy = StrategyFactory(plan=fresh(world.objects["sibling_plan"]), title="Old")
    Strategy.objects.filter(pk=strategy.pk).update(version=9)
    strategy.title = "New"
    with pytest.raises(EditConflict):
        services.strategy_save(
            plan=strategy.plan,
            strategy=strategy,
            expected_version=1,
            actor=world.persona("principal"),
        )
    assert Strategy.objects.get(pk=strategy.pk).title == "Old"


def test_steps_never_start_a_version_and_totals_sum_by_source(world) -> None:
    plan = fresh(world.objects["plan"])
    step = fresh(world.objects["plan_step"])
    step.status = "done"
    services.step_update(
        step=step, expected_version=step.version, resources=None, actor=world.persona("teacher")
    )
    extra = ActionStepFactory(strategy=fresh(world.objects["plan_strategy"]))
    StepResource.objects.create(
        step=extra,
        district=plan.district,
        description="Books",
        cost="300",
        funding_source="Title I",
    )
    StepResource.objects.create(
        step=extra, district=plan.district, description="Time", cost="50.50", funding_source=""
    )
    plan.refresh_from_db()
    assert plan.current_number == 1 and plan.status == PlanStatus.PUBLISHED
    per_strategy, total = selectors.resource_totals(plan)
    assert total.total == Decimal("1550.50")
    assert dict(total.by_source) == {
        "Title I": Decimal("1500.00"),
        "No funding source named": Decimal("50.50"),
    }
    assert per_strategy[fresh(world.objects["plan_strategy"]).pk].total == Decimal("1550.50")
    assert AuditEvent.objects.filter(action="plan.step_update", object_id=str(step.pk)).exists()


def test_needs_move_up_and_down(world) -> None:
    plan = fresh(world.objects["sibling_plan"])
    actor = world.persona("principal")
    a, b, c = (
        services.need_save(
            plan=plan, need=Need(statement=s), indicators=[], expected_version=0, actor=actor
        )
        for s in "ABC"
    )
    assert services.need_move(need=c, direction=-1, actor=actor)
    assert not services.need_move(need=a, direction=-1, actor=actor)
    order = list(Need.objects.filter(plan=plan).values_list("statement", flat=True))
    assert order == ["A", "C", "B"]


def test_indicator_sets_who_edits_and_what_stays(world) -> None:
    builtin = IndicatorSet.objects.get(builtin=True)
    leader, state_admin = world.persona("district_leader"), world.persona("state_admin")
    assert not selectors.indicator_set_access(leader, builtin).edit
    assert selectors.indicator_set_access(state_admin, builtin).adapt_for_state
    copy = services.indicator_set_adapt(source=builtin, district=world.district, actor=leader)
    assert selectors.indicator_set_access(leader, copy).edit
    assert not selectors.indicator_set_access(state_admin, copy).edit
    assert not selectors.indicator_set_access(world.persona("outsider"), copy).read
    state_copy = services.indicator_set_adapt(
        source=builtin, state=world.district.parent_state, actor=state_admin
    )
    assert selectors.indicator_set_access(state_admin, state_copy).edit
    assert not selectors.indicator_set_access(leader, state_copy).edit
    # A rated indicator stays; an unrated one goes.
    rated, unrated = copy.indicators.order_by("position")[:2]
    plan = fresh(world.objects["sibling_plan"])
    SchoolPlan.objects.filter(pk=plan.pk).update(indicator_set=copy)
    SelfAssessmentRating.objects.create(
        plan=plan, district=plan.district, indicator=rated, rating=2
    )
    with pytest.raises(services.IndicatorInUse):
        services.indicator_remove(indicator=rated, actor=leader)
    services.indicator_remove(indicator=unrated, actor=leader)
    assert not Indicator.objects.filter(pk=unrated.pk).exists()
