"""Writes to the strategic plan shell: overlap rule, analysis order, theories, road map,
tiers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from leadhub.audit.models import AuditEvent
from leadhub.lib.concurrency import EditConflict
from leadhub.orgs.models import ProgramParticipation, SchoolYear
from leadhub.orgs.selectors import current_school_year
from leadhub.orgs.tests.factories import ProgramParticipationFactory, SchoolFactory
from leadhub.strategy import selectors
from leadhub.strategy.models import AnalysisKind, StrategicPlanStatus
from leadhub.strategy.services import plans as services

pytestmark = pytest.mark.django_db


def fresh(world: Any, key: str) -> Any:
    """The world's object read afresh: the session's instances are shared by every test."""
    obj = world.objects[key]
    return type(obj).objects.get(pk=obj.pk)


def test_a_district_cannot_start_a_second_plan_for_overlapping_years(world: Any) -> None:
    leader = world.people["district_leader"]
    existing = fresh(world, "strategic_plan")
    with pytest.raises(services.PlanRefused, match="already has a plan") as refused:
        services.strategic_plan_create(
            actor=leader,
            district=world.district,
            title="Another plan",
            first_year=existing.last_year_id,
            last_year=existing.last_year_id + 1,
        )
    assert existing.title in str(refused.value)
    after = services.strategic_plan_create(
        actor=leader,
        district=world.district,
        title="The next plan",
        first_year=existing.last_year_id + 1,
        last_year=existing.last_year_id + 3,
    )
    assert after.status == StrategicPlanStatus.DRAFT
    assert AuditEvent.objects.filter(action="strategic_plan.created", object_id=str(after.pk))


def test_an_archived_plan_does_not_block_a_new_one_but_unarchiving_is_checked(world: Any) -> None:
    leader = world.people["district_leader"]
    plan = fresh(world, "strategic_plan")
    services.strategic_plan_update(
        plan=plan,
        actor=leader,
        expected_version=plan.version,
        title=plan.title,
        first_year=plan.first_year_id,
        last_year=plan.last_year_id,
        vision=plan.vision,
        status=StrategicPlanStatus.ARCHIVED,
    )
    new = services.strategic_plan_create(
        actor=leader,
        district=world.district,
        title="Fresh plan",
        first_year=plan.first_year_id,
        last_year=plan.last_year_id,
    )
    plan.refresh_from_db()
    with pytest.raises(services.PlanRefused, match=new.title):
        services.strategic_plan_update(
            plan=plan,
            actor=leader,
            expected_version=plan.version,
            title=plan.title,
            first_year=plan.first_year_id,
            last_year=plan.last_year_id,
            vision=plan.vision,
            status=StrategicPlanStatus.ACTIVE,
        )


def test_a_stale_plan_edit_is_a_conflict(world: Any) -> None:
    plan = fresh(world, "strategic_plan")
    started_from = plan.version
    kwargs = dict(
        actor=world.people["district_leader"],
        first_year=plan.first_year_id,
        last_year=plan.last_year_id,
        vision="",
        status=plan.status,
    )
    services.strategic_plan_update(plan=plan, expected_version=started_from, title="One", **kwargs)
    with pytest.raises(EditConflict):
        services.strategic_plan_update(
            plan=plan, expected_version=started_from, title="Two", **kwargs
        )


def test_root_causes_nest_under_their_need_and_move_among_siblings(world: Any) -> None:
    plan, leader = fresh(world, "strategic_plan"), world.people["district_leader"]
    need = fresh(world, "analysis_need")
    first = services.analysis_item_add(
        plan=plan, actor=leader, kind=AnalysisKind.ROOT_CAUSE, statement="A", cause_of=need
    )
    second = services.analysis_item_add(
        plan=plan, actor=leader, kind=AnalysisKind.ROOT_CAUSE, statement="B", cause_of=need
    )
    tree = selectors.analysis_tree(plan)
    assert [c.statement for c in tree["needs"][0].causes] == ["A", "B"]
    assert services.analysis_item_move(item=second, actor=leader, up=True)
    assert [c.statement for c in selectors.analysis_tree(plan)["needs"][0].causes] == ["B", "A"]
    first.refresh_from_db()
    assert not services.analysis_item_move(item=first, actor=leader, up=False)
    with pytest.raises(services.PlanRefused):
        services.analysis_item_add(
            plan=plan, actor=leader, kind=AnalysisKind.ROOT_CAUSE, statement="orphan"
        )
    with pytest.raises(services.PlanRefused):
        services.analysis_item_add(
            plan=plan, actor=leader, kind=AnalysisKind.ROOT_CAUSE, statement="x", cause_of=first
        )
    services.analysis_item_remove(item=need, actor=leader)
    assert not plan.analysis.exists()


def test_a_theory_of_action_keeps_its_statements_in_order_and_can_belong_to_a_school(
    world: Any,
) -> None:
    leader = world.people["district_leader"]
    statements = [services.Statement("we do a", "b follows"), services.Statement("c", "d")]
    theory = services.theory_create(
        title="T",
        statements=statements,
        actor=leader,
        strategic_plan=fresh(world, "strategic_plan"),
    )
    assert theory.district_id == world.district.pk
    assert [str(s) for s in theory.statements.all()] == [
        "If we do a, then b follows",
        "If c, then d",
    ]
    school_theory = services.theory_create(
        title="Goal theory",
        statements=statements[:1],
        actor=world.people["principal"],
        school=world.school,
        goal=fresh(world, "plan_goal"),
    )
    assert school_theory.strategic_plan is None and school_theory.school_id == world.school.pk
    services.theory_update(
        theory=theory,
        actor=leader,
        expected_version=theory.version,
        title="T2",
        statements=statements[1:],
    )
    assert theory.statements.count() == 1
    with pytest.raises(services.PlanRefused):
        services.theory_create(title="Empty", statements=[], actor=leader)


def test_a_milestone_must_use_the_plans_own_phase_and_driver(world: Any) -> None:
    plan, leader = fresh(world, "strategic_plan"), world.people["district_leader"]
    hub_plan = fresh(world, "hub_plan")
    today = timezone.localdate()
    milestone = services.milestone_add(
        plan=plan,
        actor=leader,
        title="Walkthroughs begin",
        due_on=today,
        phase=fresh(world, "phase"),
        node=fresh(world, "secondary_driver"),
    )
    assert milestone.plan == plan
    with pytest.raises(services.PlanRefused):
        services.milestone_add(
            plan=hub_plan,
            actor=world.people["hub_director"],
            title="x",
            due_on=today,
            phase=fresh(world, "phase"),
        )
    with pytest.raises(services.PlanRefused, match="due date"):
        services.milestone_add(
            plan=plan, actor=leader, title="x", due_on=today, start_on=today + dt.timedelta(1)
        )


def test_moving_a_school_that_began_this_year_changes_its_tier(world: Any) -> None:
    hub_plan = fresh(world, "hub_plan")
    participation = ProgramParticipation.objects.get(school=world.school, hub=world.hub)
    moved = services.school_tier_move(
        plan=hub_plan,
        participation=participation,
        actor=world.people["hub_director"],
        tier=ProgramParticipation.Tier.INTENSIVE,
    )
    assert moved.pk == participation.pk
    assert moved.support_tier == ProgramParticipation.Tier.INTENSIVE
    assert AuditEvent.objects.filter(action="program_participation.tier_changed").exists()


def test_moving_a_school_that_began_earlier_ends_the_old_record_and_starts_a_new_one(
    world: Any,
) -> None:
    year = current_school_year()
    school = SchoolFactory(district=world.district)
    old = ProgramParticipationFactory(
        school=school,
        hub=world.hub,
        start_year=SchoolYear.ensure(year - 2),
        support_tier=ProgramParticipation.Tier.UNIVERSAL,
    )
    plan = fresh(world, "hub_plan")
    moved = services.school_tier_move(
        plan=plan, participation=old, actor=world.people["hub_director"], tier="targeted"
    )
    old.refresh_from_db()
    assert old.end_year_id == year - 1 and old.support_tier == "universal"
    assert moved.start_year_id == year and moved.end_year_id is None
    rows = {row.school.pk: row.tier for row in selectors.capacity_rows(plan)}
    assert rows[school.pk] == "targeted"
    with pytest.raises(services.PlanRefused):
        services.school_tier_move(
            plan=fresh(world, "strategic_plan"), participation=moved, actor=None, tier="intensive"
        )


def test_tier_support_is_written_changed_and_removed(world: Any) -> None:
    plan = fresh(world, "hub_plan")
    director = world.people["hub_director"]
    services.tier_support_save(
        plan=plan, actor=director, tier="intensive", support="Weekly coaching"
    )
    assert selectors.tier_supports(plan)["intensive"].support == "Weekly coaching"
    services.tier_support_save(plan=plan, actor=director, tier="intensive", support="  ")
    assert "intensive" not in selectors.tier_supports(plan)


def test_capacity_of_a_district_plan_lists_its_schools_with_their_hub(world: Any) -> None:
    rows = selectors.capacity_rows(fresh(world, "strategic_plan"))
    assert [(r.school.pk, r.hub_name) for r in rows] == [(world.school.pk, world.hub.name)]
    counts = {c["tier"]: c["count"] for c in selectors.tier_counts(rows)}
    assert counts == {"universal": 0, "targeted": 1, "intensive": 0}
    without = selectors.district_schools_without_tier(fresh(world, "strategic_plan"), rows)
    assert world.sibling_school in without
