"""Plans in the test world (built once per session by the root conftest).

Lincoln Elementary (the world's school) has a published plan, version 1: a need, a goal
for English learners' reading on a school measure with an interim target and one
checkpoint, a strategy with an action step the teacher owns, and the goal linked to a
goal-monitoring item on the ILT's next meeting. Douglass Middle (the sibling school) has a
draft plan only. District 1 has a strategic plan in use with a driver diagram (a primary
driver, a secondary driver and a change idea), a phase, a milestone, a theory of action,
a systems-analysis need and the support of one tier; the school goal serves the primary
driver. Hub 1 has its own strategic plan in use; district 2 has none.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from leadhub.accounts.models import User
from leadhub.measures.tests.factories import MeasureFactory
from leadhub.meetings.models import AgendaKind
from leadhub.meetings.tests.factories import AgendaItemFactory
from leadhub.orgs.models import District, Hub, ProgramParticipation, School, SchoolYear
from leadhub.orgs.schoolyears import school_year_bounds
from leadhub.plans.content import plan_content
from leadhub.plans.models import (
    GoalAgendaLink,
    PlanStatus,
    PlanTransition,
    StepResource,
    StepStatus,
)
from leadhub.plans.tests.factories import (
    ActionStepFactory,
    CheckpointFactory,
    GoalFactory,
    InterimTargetFactory,
    NeedFactory,
    SchoolPlanFactory,
    StrategyFactory,
)
from leadhub.strategy.models import (
    ActionStatement,
    AnalysisItem,
    AnalysisKind,
    Milestone,
    NodeKind,
    Phase,
    StrategicPlanStatus,
    TheoryOfAction,
    TierSupport,
)
from leadhub.strategy.tests.factories import (
    DriverDiagramFactory,
    DriverNodeFactory,
    StrategicPlanFactory,
)
from leadhub.students.groups import EL
from leadhub.students.models import StudentGroup


def build_plan_world(
    *,
    hub: Hub,
    district: District,
    school: School,
    sibling_school: School,
    people: dict[str, User],
    year: int,
    teams: dict[str, Any],
) -> dict[str, Any]:
    today = timezone.localdate()
    first_day, last_day = school_year_bounds(year)
    principal, teacher = people["principal"], people["teacher"]

    strategic_plan = StrategicPlanFactory(
        district=district,
        title="Maple Grove strategic plan",
        status=StrategicPlanStatus.ACTIVE,
        vision="Every student leaves our schools ready for what comes next.",
    )
    diagram = DriverDiagramFactory(plan=strategic_plan)
    primary = DriverNodeFactory(diagram=diagram, kind=NodeKind.PRIMARY, text="Strong core reading")
    secondary = DriverNodeFactory(
        diagram=diagram, parent=primary, kind=NodeKind.SECONDARY, text="Shared literacy blocks"
    )
    change_idea = DriverNodeFactory(
        diagram=diagram,
        parent=secondary,
        kind=NodeKind.CHANGE_IDEA,
        text="Daily fluency practice in grade 3",
        approach="technical",
    )
    phase = Phase.objects.create(
        plan=strategic_plan, name="Launch", start_on=first_day, end_on=last_day
    )
    milestone = Milestone.objects.create(
        plan=strategic_plan,
        phase=phase,
        node=primary,
        title="Every school names a literacy lead",
        owner=people["district_leader"],
        due_on=today + dt.timedelta(days=30),
    )
    theory = TheoryOfAction.objects.create(
        title="Reading theory of action",
        district=district,
        strategic_plan=strategic_plan,
        created_by=people["district_leader"],
    )
    ActionStatement.objects.create(
        theory=theory,
        if_clause="we give every grade 3 class a daily fluency block",
        then_clause="more students will read on grade level by spring",
    )
    analysis_need = AnalysisItem.objects.create(
        plan=strategic_plan,
        kind=AnalysisKind.NEED,
        statement="Too few students read on grade level by grade 3",
        evidence="Spring results, three years running.",
    )
    TierSupport.objects.create(
        plan=strategic_plan,
        tier=ProgramParticipation.Tier.UNIVERSAL,
        support="Monthly network sessions and the shared plan templates.",
    )
    hub_plan = StrategicPlanFactory(
        district=None, hub=hub, title="North hub strategic plan", status=StrategicPlanStatus.ACTIVE
    )
    hub_diagram = DriverDiagramFactory(plan=hub_plan, outcome="Every served school improves")

    measure = MeasureFactory(
        district=district, school=school, name="Grade 3 reading proficiency", level="school"
    )
    plan = SchoolPlanFactory(
        school=school,
        school_year=SchoolYear.objects.get(year=year),
        title="Lincoln Elementary improvement plan",
    )
    need = NeedFactory(
        plan=plan,
        statement="English learners in grade 3 read below grade level",
        root_causes="Little daily practice reading aloud\nFew texts at the right level",
        evidence="Fall benchmark: 31% of English learners at or above the target.",
    )
    goal = GoalFactory(
        plan=plan,
        outcome="More English learners in grade 3 read on grade level",
        measure=measure,
        student_group=StudentGroup.objects.get(code=EL),
        baseline_value=31.0,
        baseline_date=first_day + dt.timedelta(days=45),
        target_value=45.0,
        deadline=last_day - dt.timedelta(days=20),
        need=need,
        serves_node=primary,
    )
    interim = InterimTargetFactory(
        goal=goal,
        label="Winter benchmark",
        target_value=38.0,
        due_on=first_day + dt.timedelta(days=190),
    )
    checkpoint = CheckpointFactory(
        goal=goal,
        measured_on=first_day + dt.timedelta(days=100),
        value=34.0,
        recorded_by=principal,
    )
    strategy = StrategyFactory(
        plan=plan,
        goal=goal,
        title="Daily fluency block in grade 3",
        evidence_tier=2,
        evidence_note="A randomized study of repeated reading in grades 2 and 3.",
    )
    step = ActionStepFactory(
        strategy=strategy,
        description="Train grade 3 teachers in the fluency routine",
        owner=teacher,
        start_on=today - dt.timedelta(days=10),
        end_on=today + dt.timedelta(days=20),
        professional_learning="Two after-school sessions with the literacy coach.",
        status=StepStatus.IN_PROGRESS,
    )
    StepResource.objects.create(
        step=step,
        district=district,
        description="Leveled readers",
        cost="1200.00",
        funding_source="Title I",
    )
    version = plan.versions.get(number=1)
    version.content = plan_content(plan)
    version.approved_at = version.published_at = timezone.now()
    version.approved_by = principal
    version.save()
    for before, after in (
        ("", PlanStatus.DRAFT),
        (PlanStatus.DRAFT, PlanStatus.SUBMITTED),
        (PlanStatus.SUBMITTED, PlanStatus.PUBLISHED),
    ):
        PlanTransition.objects.create(
            plan=plan,
            district=district,
            version_number=1,
            from_status=before,
            to_status=after,
            actor=principal,
        )
    plan.status = PlanStatus.PUBLISHED
    plan.published_version = version
    plan.save()

    goal_item = AgendaItemFactory(
        meeting=teams["next_meeting"],
        title="Check the reading goal",
        kind=AgendaKind.GOAL_MONITORING,
    )
    agenda_link = GoalAgendaLink.objects.create(agenda_item=goal_item, goal=goal, district=district)
    sibling_plan = SchoolPlanFactory(
        school=sibling_school,
        school_year=SchoolYear.objects.get(year=year),
        title="Douglass Middle improvement plan",
    )
    return {
        "plan": plan,
        "plan_version": version,
        "plan_need": need,
        "plan_goal": goal,
        "interim_target": interim,
        "checkpoint": checkpoint,
        "plan_strategy": strategy,
        "plan_step": step,
        "goal_agenda_item": goal_item,
        "agenda_link": agenda_link,
        "sibling_plan": sibling_plan,
        "plan_measure": measure,
        "strategic_plan": strategic_plan,
        "diagram": diagram,
        "primary_driver": primary,
        "secondary_driver": secondary,
        "change_idea": change_idea,
        "phase": phase,
        "milestone": milestone,
        "theory": theory,
        "analysis_need": analysis_need,
        "hub_plan": hub_plan,
        "hub_diagram": hub_diagram,
    }


def load_plan_world() -> dict[str, Any]:
    """The same objects read back from the database (browser tests)."""
    from leadhub.plans.models import Goal, SchoolPlan
    from leadhub.strategy.models import DriverNode, StrategicPlan

    plan = SchoolPlan.objects.get(title="Lincoln Elementary improvement plan")
    goal = Goal.objects.get(plan=plan)
    strategic_plan = StrategicPlan.objects.get(title="Maple Grove strategic plan")
    nodes = {n.kind: n for n in DriverNode.objects.filter(diagram__plan=strategic_plan)}
    return {
        "plan": plan,
        "plan_version": plan.versions.get(number=1),
        "plan_need": plan.needs.get(),
        "plan_goal": goal,
        "interim_target": goal.interim_targets.get(),
        "checkpoint": goal.checkpoints.get(),
        "plan_strategy": plan.strategies.get(),
        "plan_step": plan.steps.get(),
        "goal_agenda_item": goal.agenda_links.get().agenda_item,
        "agenda_link": goal.agenda_links.get(),
        "sibling_plan": SchoolPlan.objects.get(title="Douglass Middle improvement plan"),
        "plan_measure": goal.measure,
        "strategic_plan": strategic_plan,
        "diagram": strategic_plan.diagram,
        "primary_driver": nodes[NodeKind.PRIMARY],
        "secondary_driver": nodes[NodeKind.SECONDARY],
        "change_idea": nodes[NodeKind.CHANGE_IDEA],
        "phase": strategic_plan.phases.get(),
        "milestone": strategic_plan.milestones.get(),
        "theory": strategic_plan.theories.get(),
        "analysis_need": strategic_plan.analysis.get(),
        "hub_plan": StrategicPlan.objects.get(title="North hub strategic plan"),
        "hub_diagram": StrategicPlan.objects.get(title="North hub strategic plan").diagram,
    }
