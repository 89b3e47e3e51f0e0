"""Acceptance 6: ``seed_demo`` gives demo schools plans in several states and each demo
district a strategic plan in use with a driver diagram and a road map."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from leadhub.accounts.models import User
from leadhub.demo.signins import KNOWN_BY_ROLE
from leadhub.demo.teams import HEALTHY, IMPROVING, STRUGGLING, health_profile
from leadhub.orgs.models import District, Hub, Role, School
from leadhub.orgs.schoolyears import school_year_of
from leadhub.plans.goal_checks import check_saved_goal
from leadhub.plans.models import (
    OPEN_STEP_STATUSES,
    ActionStep,
    Goal,
    GoalAgendaLink,
    PlanStatus,
    SchoolPlan,
    SelfAssessmentRating,
    StepResource,
    Strategy,
)
from leadhub.plans.progress import goals_progress
from leadhub.plans.trajectory import Track
from leadhub.strategy.alignment import line_of_sight
from leadhub.strategy.models import NodeKind, StrategicPlan, StrategicPlanStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Seed once for the module, inside a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", "--scale", "tiny", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def demo_schools() -> Any:
    return School.objects.filter(district__parent_state__code="IL")


def this_years_plans() -> Any:
    year = school_year_of(timezone.localdate())
    return SchoolPlan.objects.filter(school__in=demo_schools(), school_year_id=year)


def test_every_demo_school_has_a_plan_for_this_year_in_several_states() -> None:
    plans = this_years_plans()
    assert plans.count() == demo_schools().count()
    states = set(plans.values_list("status", flat=True))
    # The tiny scale's four schools: published, version 2 started, a draft, returned (the
    # demo scale's more schools add a plan waiting for the School Improvement Team).
    assert {PlanStatus.PUBLISHED, PlanStatus.DRAFT, PlanStatus.RETURNED} <= states
    # One published plan has moved on to a version 2 draft; one came back with comments.
    assert plans.filter(status=PlanStatus.DRAFT, current_number=2).exists()
    returned = plans.filter(status=PlanStatus.RETURNED).first()
    if returned is not None:
        assert returned.transitions.filter(to_status=PlanStatus.RETURNED).exclude(comment="")


def test_published_plans_are_frozen_with_their_content() -> None:
    for plan in this_years_plans().exclude(published_version=None):
        version = plan.published_version
        assert version.approved_at is not None
        assert [g["id"] for g in version.content["goals"]]
        assert plan.transitions.filter(to_status=PlanStatus.PUBLISHED).exists()


def test_each_plan_is_complete_enough_to_read() -> None:
    for plan in this_years_plans():
        assert SelfAssessmentRating.objects.filter(plan=plan).count() == (
            plan.indicator_set.indicators.count()
        )
        assert 2 <= plan.needs.count() <= 3
        assert 2 <= plan.goals.count() <= 3
        if plan.status != PlanStatus.DRAFT or plan.current_number > 1:
            assert plan.strategies.exclude(evidence_tier=None).exists()
    steps = ActionStep.objects.filter(plan__in=this_years_plans())
    assert steps.exists()
    assert steps.filter(owner__isnull=False).count() == steps.count()
    assert GoalAgendaLink.objects.filter(goal__plan__in=this_years_plans()).exists()


def test_the_goals_of_published_plans_pass_the_smarte_checker() -> None:
    plans = this_years_plans().filter(status=PlanStatus.PUBLISHED)
    assert plans.exists()
    for plan in plans:
        for goal in plan.goals.filter(retired=False):
            report = check_saved_goal(goal)
            assert report.ready, [(c.criterion, c.message) for c in report.gaps]
            assert goal.serves_node_id is not None


def test_a_draft_with_gaps_shows_its_gaps() -> None:
    drafts = this_years_plans().filter(status=PlanStatus.DRAFT, current_number=1)
    assert drafts.exists()
    for plan in drafts:
        assert any(not check_saved_goal(goal).ready for goal in plan.goals.all())


def test_every_demo_district_has_a_strategic_plan_with_a_diagram_and_a_road_map() -> None:
    districts = District.objects.filter(parent_state__code="IL")
    assert districts.exists()
    for district in districts:
        plan = StrategicPlan.objects.get(district=district)
        assert plan.status == StrategicPlanStatus.ACTIVE
        nodes = plan.diagram.nodes
        assert 2 <= nodes.filter(kind=NodeKind.PRIMARY).count() <= 3
        assert nodes.filter(kind=NodeKind.SECONDARY).exists()
        ideas = nodes.filter(kind=NodeKind.CHANGE_IDEA)
        assert ideas.exclude(approach="").count() == ideas.count()
        assert ideas.filter(measures__isnull=False).exists()
        assert plan.phases.exists()
        assert plan.milestones.filter(owner__isnull=False).exists()
        assert plan.analysis.exists() and plan.theories.exists()
    for hub in Hub.objects.filter(state__code="IL"):
        assert StrategicPlan.objects.get(hub=hub).tier_support.exists()


def test_school_goals_serve_the_district_drivers_on_the_line_of_sight() -> None:
    district = District.objects.filter(parent_state__code="IL").order_by("pk").first()
    view = line_of_sight(district)
    served = [goal for goal in view.goals if goal.node_id is not None]
    assert served
    assert any(goal.agenda_count for goal in served)
    assert not view.unaligned_goals


def tracks_at(profile: object) -> list[Track]:
    """The status of each complete goal of this year's plans at schools of ``profile``."""
    schools = [s for s in demo_schools() if health_profile(s.state_id) == profile]
    goals = list(
        Goal.objects.filter(plan__in=this_years_plans(), plan__school__in=schools).exclude(
            target_value=None
        )
    )
    return [progress.track for progress in goals_progress(goals).values()]


def test_goals_follow_the_schools_health_profiles() -> None:
    """Most goals on track at healthy and improving schools, most off track at struggling
    ones, as goal progress judges them against each trajectory."""
    for profile in (HEALTHY, IMPROVING):
        tracks = tracks_at(profile)
        assert tracks
        assert tracks.count(Track.ON_TRACK) > len(tracks) / 2, (profile.name, tracks)
    tracks = tracks_at(STRUGGLING)
    assert tracks
    assert tracks.count(Track.OFF_TRACK) > len(tracks) / 2, tracks


def test_texts_read_as_a_school_wrote_them() -> None:
    plans = this_years_plans()
    for goal in Goal.objects.filter(plan__in=plans):
        assert goal.outcome[:1].isupper(), goal.outcome
    strategies = Strategy.objects.filter(plan__in=plans)
    assert all(s.description[:1].isupper() for s in strategies if s.description)
    assert strategies.values("evidence_note").distinct().count() > 2
    ratings = SelfAssessmentRating.objects.filter(plan__in=plans)
    assert ratings.values("evidence").distinct().count() > 8


def test_many_steps_have_resources_with_a_cost_and_a_source() -> None:
    steps = ActionStep.objects.filter(plan__in=this_years_plans())
    with_resources = steps.filter(resources__isnull=False).distinct().count()
    assert with_resources >= steps.count() / 3
    resources = StepResource.objects.filter(step__in=steps)
    assert not resources.filter(cost=None).exists()
    assert resources.exclude(funding_source="").count() == resources.count()
    assert resources.values("funding_source").distinct().count() >= 3


def test_the_sign_ins_own_open_steps_some_overdue_some_due_this_week() -> None:
    today = timezone.localdate()
    emails = [KNOWN_BY_ROLE[role].email for role in (Role.PRINCIPAL, Role.TEACHER)]
    for user in User.objects.filter(email__in=emails):
        open_steps = ActionStep.objects.filter(owner=user, status__in=list(OPEN_STEP_STATUSES))
        assert open_steps.count() >= 2, user.email
        assert open_steps.filter(end_on__lt=today).exists(), user.email
        assert open_steps.filter(
            end_on__gte=today, end_on__lte=today + dt.timedelta(days=6)
        ).exists(), user.email


def test_goal_monitoring_items_are_linked_to_the_goal_their_title_names() -> None:
    links = GoalAgendaLink.objects.filter(goal__plan__in=this_years_plans()).select_related(
        "agenda_item", "goal__measure"
    )
    assert links.exists()
    for link in links:
        title, measure = link.agenda_item.title.lower(), link.goal.measure.name.lower()
        if "attendance" in title:
            assert "absent" in measure or "attendance" in measure, (title, measure)
        if "reading" in title:
            assert "reading" in measure, (title, measure)
        assert "mathematics" not in title or "math" in measure, (title, measure)


def test_district_aims_drivers_and_goals_agree_and_owners_vary() -> None:
    for plan in StrategicPlan.objects.filter(district__parent_state__code="IL"):
        aim = plan.diagram.outcome.lower()
        assert "read" in aim
        for node in plan.diagram.nodes.filter(kind=NodeKind.PRIMARY):
            assert "math" not in node.text.lower(), node.text
        assert plan.milestones.values("owner").distinct().count() >= 2
    goals = Goal.objects.filter(plan__in=this_years_plans(), serves_node__isnull=False)
    assert not goals.filter(measure__name__icontains="math").exists()
