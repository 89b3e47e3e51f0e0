"""Improvement plans and strategic plans for the demo, once its teams, meetings and
measures are written (and before team health is computed, so goal monitoring counts).

Each demo district without a strategic plan gets one in use: a systems analysis, a theory
of action, a driver diagram (an aim, three primary drivers, two secondary drivers under
each and change ideas tagged technical or adaptive, with measures) and a road map
(phases, milestones with owners and statuses). Each hub gets a plan with the support
each tier of its capacity-building framework receives.

Each demo school without a plan for this school year gets one, in one of five states
across the schools (the sign-in school's is published, so its teachers can read it):

* published, version 1;
* published, with version 2 started as a draft (a target was raised);
* submitted to the School Improvement Team;
* returned with a comment;
* a draft with gaps (one goal still lacks its student group and target).

Every plan has its self-assessment (the built-in indicators, rated from the school's
health profile, with evidence a principal would cite), two or three needs, two or three
SMARTe goals on the school's real measures (baselines from last school year's values, for
a student group where the data has one), interim targets, checkpoints through the year
(most goals on track, as :mod:`leadhub.plans.progress` judges them, at healthy and
improving schools, most off track at struggling ones, about half at mixed ones),
strategies with their ESSA evidence tier and evidence, and action steps owned by ILT
members (some overdue), many with resources, their cost and funding source. At the
sign-in school the demo principal, the demo teacher and other ILT members own open steps,
some overdue and some due this week. The ILT's goal-monitoring agenda items this year are
linked to the goal their title names; those naming none stay unlinked. The district's aim
is a reading result; its three drivers (core reading instruction, teacher teams owning
reading and writing results, attendance) serve it, and each school goal serves one.

Rows are written in bulk (:class:`leadhub.demo.builder.RowWriter`); only the frozen
content of a published version is read back through :func:`leadhub.plans.content.plan_content`.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone

from leadhub.accounts.models import User
from leadhub.demo.names import rng_for
from leadhub.demo.signins import KNOWN_BY_ROLE
from leadhub.demo.teams import health_profile
from leadhub.lib.suppression import minimum_n
from leadhub.measures.models import Measure, MeasureValue
from leadhub.meetings.models import AgendaItem, AgendaKind, MeetingStatus
from leadhub.orgs.models import (
    District,
    Hub,
    Membership,
    ProgramParticipation,
    Role,
    School,
    SchoolYear,
)
from leadhub.plans.builtin import builtin_indicator_set_ensure
from leadhub.plans.content import plan_content
from leadhub.plans.models import (
    ActionStep,
    Checkpoint,
    EvidenceTier,
    Goal,
    GoalAgendaLink,
    Indicator,
    InterimTarget,
    Need,
    PlanStatus,
    PlanTransition,
    PlanVersion,
    SchoolPlan,
    SelfAssessmentRating,
    StepResource,
    StepStatus,
    Strategy,
)
from leadhub.plans.trajectory import Waypoint, expected_on, goal_waypoints
from leadhub.strategy.models import (
    ActionStatement,
    AnalysisItem,
    AnalysisKind,
    Approach,
    DriverDiagram,
    DriverNode,
    Milestone,
    MilestoneStatus,
    NodeKind,
    Phase,
    StrategicPlan,
    StrategicPlanStatus,
    TheoryOfAction,
    TierSupport,
)
from leadhub.students.groups import EL, LOW_INCOME, SWD
from leadhub.students.models import StudentGroup
from leadhub.teams.models import MemberRole, Team, TeamKind, TeamMembership

if TYPE_CHECKING:
    from leadhub.demo.builder import DemoWriter

logger = logging.getLogger(__name__)

PUBLISHED, PUBLISHED_V2, SUBMITTED, RETURNED, DRAFT = (
    "published",
    "published_v2",
    "submitted",
    "returned",
    "draft",
)
# The sign-in school's plan is published; the others go round these.
STATE_CYCLE = (PUBLISHED_V2, DRAFT, RETURNED, SUBMITTED, PUBLISHED)
RETURN_COMMENT = (
    "Thank you. Before we approve: the attendance goal needs a target for students with "
    "disabilities, and the second strategy needs an owner for each step."
)
# How many of a school's goals are on track (at or above their trajectory at the latest
# checkpoint), by the school's health profile.
ON_TRACK_SHARE = {
    "healthy": 0.85,
    "improving": 0.75,
    "mixed": 0.5,
    "declining": 0.35,
    "struggling": 0.15,
}


@dataclass(frozen=True)
class GoalIdea:
    measure: str  # a demo measure's name
    group: str  # a student group's code
    outcome: str
    need: str
    root_causes: str
    strategy: str
    description: str  # the strategy's description
    tier: int
    evidence_notes: tuple[str, ...]  # one is chosen for each school
    steps: tuple[str, ...]
    driver: int  # which primary driver of the district's diagram it serves
    topics: tuple[str, ...]  # words in a goal-monitoring item's title that name this goal


GOAL_IDEAS = (
    GoalIdea(
        "Reading benchmark: at or above",
        EL,
        "More English learners read at or above the benchmark",
        "English learners fall behind in reading by the winter benchmark",
        "Little daily practice reading aloud\nFew texts at the right level in classrooms",
        "Daily small-group fluency practice",
        "Every K-3 classroom runs a 20-minute fluency block in small groups, so that more "
        "English learners read at or above the benchmark.",
        EvidenceTier.MODERATE,
        (
            "The What Works Clearinghouse guide on foundational reading skills rates "
            "repeated oral reading with feedback as moderate evidence.",
            "Two studies of small-group fluency practice for English learners in grades 1 "
            "to 3 found gains on benchmark tests; we use the same 20-minute routine.",
        ),
        (
            "Train teachers in the fluency routine",
            "Buy leveled text sets for each room",
            "Coach visits each K-3 room during the fluency block",
            "Review fluency checks for English learners every six weeks",
        ),
        0,
        ("reading", "literacy", "fluency"),
    ),
    GoalIdea(
        "ELA state test: meets or exceeds",
        LOW_INCOME,
        "More students from low-income families meet the state standard in English language arts",
        "Students from low-income families trail their peers in English language arts",
        "Students rarely write about what they read\nFew common tasks across classes",
        "Common reading and writing tasks reviewed in teacher teams",
        "Teacher teams give a common task about a shared text each quarter and plan "
        "reteaching from the student work, so that more students from low-income families "
        "meet the state standard in English language arts.",
        EvidenceTier.PROMISING,
        (
            "A district study of teacher teams scoring common writing tasks showed higher "
            "state results for the schools that kept the routine for two years.",
            "Our network's schools that review student work in teams each quarter closed "
            "part of the gap for students from low-income families.",
        ),
        (
            "Write four common tasks per grade",
            "Look at student work on each task",
            "Plan reteaching lessons from the task results",
            "Share the task results with families at conferences",
        ),
        1,
        ("english language arts", "writing", " ela"),
    ),
    GoalIdea(
        "Chronic absenteeism",
        SWD,
        "Fewer students with disabilities are chronically absent",
        "Students with disabilities miss more school than their peers",
        "Families hear from school only when there is a problem\nNo one follows up early",
        "Early outreach after a second absence",
        "A staff member who knows the student calls home after a second absence and "
        "makes a plan with the family, so that fewer students with disabilities are "
        "chronically absent.",
        EvidenceTier.RATIONALE,
        (
            "Our logic model: early, personal contact with families stops absences "
            "before they become a pattern. We check it each month against the data.",
            "Attendance Works reports that positive outreach in the first weeks cuts "
            "chronic absence; we test it here with a monthly review.",
        ),
        (
            "Call home after every second absence",
            "Monthly attendance review by the ILT",
            "Add an attendance check to each student's IEP meeting",
            "Hold a welcome-back meeting after any absence of three days or more",
        ),
        2,
        ("attendance", "absence", "absent"),
    ),
)
LOOSE_STRATEGY = "Family literacy nights each term"
CHECKPOINT_NOTES = (
    "From the monthly data review.",
    "Benchmark window results, entered by the data lead.",
    "Pulled from the student information system for the ILT meeting.",
    "Progress-monitoring checks from the intervention groups.",
)
LOOSE_EVIDENCE = (
    "Families who came to last year's two literacy nights asked for more; we will count "
    "books read at home before and after each night."
)
# The resources a step may need: (description, cost in dollars, funding source).
STEP_RESOURCES: dict[str, tuple[tuple[str, int, str], ...]] = {
    "Train teachers in the fluency routine": (
        ("Substitute coverage for two half-day trainings", 2400, "Title II"),
        ("Fluency routine training from the regional office", 1500, "Title II"),
    ),
    "Buy leveled text sets for each room": (
        ("Leveled text sets, one per K-3 classroom", 6800, "Title I"),
        ("Bilingual books for the English learner classrooms", 1900, "Title III"),
    ),
    "Coach visits each K-3 room during the fluency block": (
        ("Reading coach time, two days a week", 18000, "Title I"),
    ),
    "Review fluency checks for English learners every six weeks": (
        ("Fluency check kits and stopwatches", 350, "General fund"),
    ),
    "Write four common tasks per grade": (
        ("Teacher stipends for summer task writing", 3200, "Title II"),
        ("Class sets of the shared texts", 1250, "General fund"),
    ),
    "Look at student work on each task": (
        ("Substitutes for four half-day scoring sessions", 2800, "Title I"),
    ),
    "Plan reteaching lessons from the task results": (
        ("After-school planning time for teacher teams", 2100, "Title I"),
    ),
    "Share the task results with families at conferences": (
        ("Interpreters for conference nights", 900, "Title III"),
        ("Printing of family reports", 150, "General fund"),
    ),
    "Call home after every second absence": (
        ("Translation line for family calls", 600, "General fund"),
        ("Attendance outreach aide, ten hours a week", 9500, "21st Century grant"),
    ),
    "Monthly attendance review by the ILT": (
        ("Attendance dashboard licence", 1200, "General fund"),
    ),
    "Add an attendance check to each student's IEP meeting": (
        ("Special education team release time", 1100, "IDEA Part B"),
    ),
    "Hold a welcome-back meeting after any absence of three days or more": (
        ("Incentives for the attendance challenge", 500, "PTA grant"),
        ("Family liaison hours for home visits", 4200, "Title I"),
    ),
}
# Self-assessment evidence by domain: what a school rating itself well cites, and what
# one rating itself low cites.
RATING_EVIDENCE: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Shared leadership": (
        (
            "ILT agendas from August to October: most minutes went to instruction.",
            "Every grade team met weekly this fall; the sign-in sheets and notes are on "
            "the shared drive.",
            "Teacher leaders ran three of the four staff meetings this term.",
        ),
        (
            "The ILT met four times since August and mostly on scheduling.",
            "Staff survey in September: fewer than half of teachers say they have a say "
            "in decisions about instruction.",
            "Grade teams meet, but without a shared protocol; notes are rarely kept.",
        ),
    ),
    "Teaching and learning": (
        (
            "Walkthroughs in October: the shared look-fors seen in most classrooms.",
            "Student work from the fall common task: most tasks at grade level.",
            "Coaching logs show follow-up visits after each professional learning day.",
        ),
        (
            "Walkthroughs in September: expectations vary a lot from room to room.",
            "Most support for struggling students happens in pull-out groups, not in class.",
            "Professional learning days this fall were not tied to our goals.",
        ),
    ),
    "Data and monitoring": (
        (
            "The ILT reviewed benchmark results by student group in its October meeting.",
            "Goal progress is on every second ILT agenda; minutes record what changed.",
            "Data calendar posted for the year; every team met its first two data dates.",
        ),
        (
            "Fall benchmark results came back in September but no team has reviewed them.",
            "We look at school-wide results but rarely break them down by student group.",
            "Last year's plan was reviewed twice; no steps were adjusted.",
        ),
    ),
    "Climate and partnership": (
        (
            "Student survey: most students name an adult at school they trust.",
            "Weekly attendance meetings since August; calls logged for every student "
            "with two absences.",
            "Family conference turnout was high this fall, with interpreters at every one.",
        ),
        (
            "Chronic absence is up from last year and follow-up calls are not logged.",
            "Student survey: many students say no adult knows them well.",
            "Families hear from us mostly about discipline; few come to school events.",
        ),
    ),
}
# The sign-in school's steps in order, each an owner (the principal, the demo teacher or
# another ILT member) and when it falls due, so each sign-in's work list has overdue
# steps, steps due this week and later ones.
SIGNIN_STEPS = (
    ("principal", "overdue"),
    ("teacher", "this_week"),
    ("member", "later"),
    ("principal", "this_week"),
    ("teacher", "overdue"),
    ("member", "done"),
    ("principal", "later"),
    ("teacher", "later"),
    ("member", "this_week"),
    ("member", "overdue"),
    ("principal", "done"),
    ("teacher", "done"),
)

DRIVERS = (
    (
        "Strong core instruction in reading",
        (
            ("Shared literacy blocks in every elementary school", Approach.TECHNICAL),
            ("Teacher teams that look at student reading work", Approach.ADAPTIVE),
        ),
    ),
    (
        "Teacher teams that own student results in reading and writing",
        (
            ("Common reading and writing tasks by grade", Approach.TECHNICAL),
            ("Time for teams to plan from student work", Approach.ADAPTIVE),
        ),
    ),
    (
        "Every student in school, every day",
        (
            ("Early outreach to families", Approach.ADAPTIVE),
            ("Attendance data reviewed monthly by each ILT", Approach.TECHNICAL),
        ),
    ),
)
CHANGE_IDEAS = {
    "Shared literacy blocks in every elementary school": (
        ("A daily 20-minute fluency block in grades 1 to 3", Approach.TECHNICAL),
    ),
    "Teacher teams that look at student reading work": (
        ("A protocol for looking at student writing each month", Approach.ADAPTIVE),
    ),
    "Common reading and writing tasks by grade": (
        ("Four common tasks a year per grade, each about a shared text", Approach.TECHNICAL),
    ),
    "Time for teams to plan from student work": (
        ("Protect one team meeting a week for planning", Approach.ADAPTIVE),
    ),
    "Early outreach to families": (
        ("A call home after a second absence", Approach.ADAPTIVE),
        ("A welcome visit for families new to the school", Approach.ADAPTIVE),
    ),
    "Attendance data reviewed monthly by each ILT": (
        ("A monthly attendance dashboard for every ILT", Approach.TECHNICAL),
    ),
}
# Road-map milestones a school's principal owns; the district's leaders own the others.
SCHOOL_FACING = frozenset(
    {"Every ILT reviews attendance monthly", "Family outreach plan in every school"}
)
DISTRICT_TIER_SUPPORT = {
    ProgramParticipation.Tier.UNIVERSAL: "The district literacy lead visits each term; "
    "every ILT gets the monthly data pack.",
    ProgramParticipation.Tier.TARGETED: "A district coach meets the ILT every other week "
    "and joins one goal-monitoring meeting a month.",
    ProgramParticipation.Tier.INTENSIVE: "A district coach every week, extra reading "
    "interventionist time, and a monthly review with the superintendent.",
}
TIER_SUPPORT = {
    ProgramParticipation.Tier.UNIVERSAL: "Monthly network sessions, the plan templates and "
    "the online guides.",
    ProgramParticipation.Tier.TARGETED: "A hub coach twice a month for the ILT, and a "
    "data review each term.",
    ProgramParticipation.Tier.INTENSIVE: "A hub coach every week, a leadership coach for "
    "the principal and a quarterly review with the district.",
}


@dataclass
class SchoolFacts:
    pk: int
    district_pk: int
    name: str
    state_id: str
    principal: int | None
    members: list[int] = field(default_factory=list)  # ILT members, lead first
    approver: int | None = None  # the School Improvement Team's lead
    goal_items: list[tuple[int, str]] = field(default_factory=list)  # (item, its title)


def _on_line(start: tuple[dt.date, float], end: tuple[dt.date, float], day: dt.date) -> float:
    span = max(1, (end[0] - start[0]).days)
    return start[1] + (end[1] - start[1]) * (day - start[0]).days / span


def _district_pk(plan: StrategicPlan) -> int:
    """The district of a plan written here: every strategic plan written here is a district's."""
    assert plan.district_id is not None  # noqa: S101 - written with a district above
    return plan.district_id


class PlanWriter:
    def __init__(self, writer: DemoWriter) -> None:
        self.writer = writer
        self.rows = writer.rows
        self.year = writer.plan.anchor_year
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.school_year = SchoolYear.objects.get(year=self.year)
        self.first_day, self.last_day = self.school_year.start_date, self.school_year.end_date
        principal = KNOWN_BY_ROLE[Role.PRINCIPAL].email
        self.signin_school = next(
            (m.org_key for m in writer.plan.memberships if m.email == principal), ""
        )

    # -- strategic plans ---------------------------------------------------------------------

    def district_leaders(self, district_pks: list[int]) -> dict[int, int]:
        leaders: dict[int, int] = {}
        for district_pk, user_pk in (
            Membership.objects.filter(
                district_id__in=district_pks, role=Role.DISTRICT_LEADER, end_date__isnull=True
            )
            .order_by("pk")
            .values_list("district_id", "user_id")
        ):
            leaders.setdefault(district_pk, user_pk)
        return leaders

    def milestone_owners(self, district_pks: list[int]) -> dict[int, tuple[list[int], list[int]]]:
        """Each district's leaders and its schools' principals, in a stable order."""
        owners: dict[int, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
        for district_pk, user_pk in (
            Membership.objects.filter(
                district_id__in=district_pks, role=Role.DISTRICT_LEADER, end_date__isnull=True
            )
            .order_by("pk")
            .values_list("district_id", "user_id")
        ):
            if user_pk not in owners[district_pk][0]:
                owners[district_pk][0].append(user_pk)
        for district_pk, user_pk in (
            Membership.objects.filter(
                school__district_id__in=district_pks, role=Role.PRINCIPAL, end_date__isnull=True
            )
            .order_by("school_id", "pk")
            .values_list("school__district_id", "user_id")
        ):
            if user_pk not in owners[district_pk][1]:
                owners[district_pk][1].append(user_pk)
        return dict(owners)

    def write_strategic_plans(self) -> dict[int, list[list[DriverNode]]]:
        """Each new district's plan; returns each district's drivers (primary, then the
        nodes under it) for the school goals to serve."""
        district_pks = sorted(
            {self.writer.district_pks[d.state_id] for d in self.writer.plan.districts}
        )
        planned = set(
            StrategicPlan.objects.filter(district_id__in=district_pks).values_list(
                "district_id", flat=True
            )
        )
        wanted = [pk for pk in district_pks if pk not in planned]
        drivers: dict[int, list[list[DriverNode]]] = defaultdict(list)
        if wanted:
            self._district_plans(wanted)
        nodes = DriverNode.objects.filter(
            diagram__plan__district_id__in=district_pks,
            diagram__plan__status=StrategicPlanStatus.ACTIVE,
        ).order_by("diagram_id", "position", "pk")
        by_parent: dict[int | None, list[DriverNode]] = defaultdict(list)
        for node in nodes.select_related("diagram__plan"):
            by_parent[node.parent_id].append(node)
        for primary in by_parent[None]:
            branch = [primary, *by_parent.get(primary.pk, [])]
            drivers[_district_pk(primary.diagram.plan)].append(branch)
        self._hub_plans()
        return drivers

    def _district_plans(self, district_pks: list[int]) -> None:
        leaders = self.district_leaders(district_pks)
        names = dict(District.objects.filter(pk__in=district_pks).values_list("pk", "name"))
        reading = Measure.objects.filter(name=GOAL_IDEAS[0].measure).first()
        el = StudentGroup.objects.filter(code=EL).first()
        first_year = SchoolYear.objects.get(year=self.year - 1)
        last_year = self.school_year
        plans = self.rows.insert(
            StrategicPlan,
            [
                StrategicPlan(
                    district_id=pk,
                    title=f"{names[pk]} strategic plan",
                    first_year=first_year,
                    last_year=last_year,
                    vision="Every student reads, reasons and belongs, and leaves our schools "
                    "ready for what comes next.",
                    status=StrategicPlanStatus.ACTIVE,
                )
                for pk in district_pks
            ],
        )
        analysis: list[AnalysisItem] = []
        for plan in plans:
            analysis += [
                AnalysisItem(
                    plan=plan,
                    kind=AnalysisKind.NEED,
                    statement="Too few students read on grade level by the end of grade 3",
                    evidence="Spring state results, three years running; fall benchmarks.",
                    position=0,
                ),
                AnalysisItem(
                    plan=plan,
                    kind=AnalysisKind.CHALLENGE,
                    statement="Chronic absence rose after the pandemic and has not come down",
                    evidence="Monthly attendance reports from every school.",
                    position=1,
                ),
            ]
        saved = self.rows.insert(AnalysisItem, analysis)
        causes = [
            AnalysisItem(
                plan_id=need.plan_id,
                kind=AnalysisKind.ROOT_CAUSE,
                statement="Core reading time differs from school to school and class to class",
                evidence="Walkthroughs and master schedules from each school.",
                cause_of=need,
                position=2,
            )
            for need in saved
            if need.kind == AnalysisKind.NEED
        ]
        self.rows.insert(AnalysisItem, causes)
        theories = self.rows.insert(
            TheoryOfAction,
            [
                TheoryOfAction(
                    title="How the district improves reading",
                    district_id=plan.district_id,
                    strategic_plan=plan,
                    created_by_id=leaders.get(_district_pk(plan)) or self._anyone(),
                )
                for plan in plans
            ],
        )
        self.rows.insert(
            ActionStatement,
            [
                statement
                for theory in theories
                for statement in (
                    ActionStatement(
                        theory=theory,
                        position=0,
                        if_clause="every elementary school protects a daily literacy block",
                        then_clause="more students will read on grade level by grade 3",
                    ),
                    ActionStatement(
                        theory=theory,
                        position=1,
                        if_clause="ILTs review goal progress at least twice a month",
                        then_clause="schools will change course while there is time",
                    ),
                )
            ],
        )
        diagrams = self.rows.insert(
            DriverDiagram,
            [
                DriverDiagram(
                    plan=plan,
                    outcome="More English learners read on grade level by the end of grade 3",
                    measure=reading,
                    student_group=el,
                    baseline_value=38.0,
                    baseline_date=self.first_day - dt.timedelta(days=30),
                    target_value=50.0,
                    deadline=self.last_day - dt.timedelta(days=20),
                    achievability_note="Three districts in the hub made a gain this size with "
                    "a daily fluency block.",
                )
                for plan in plans
            ],
        )
        primaries = self.rows.insert(
            DriverNode,
            [
                DriverNode(diagram=diagram, kind=NodeKind.PRIMARY, text=text, position=n)
                for diagram in diagrams
                for n, (text, _) in enumerate(DRIVERS)
            ],
        )
        secondaries = self._nodes_under(primaries, NodeKind.SECONDARY, dict(DRIVERS))
        ideas = self._nodes_under(secondaries, NodeKind.CHANGE_IDEA, CHANGE_IDEAS)
        measures = dict(
            Measure.objects.filter(
                Q(district__isnull=True) | Q(district_id__in=district_pks),
                name__in=[idea.measure for idea in GOAL_IDEAS],
            ).values_list("name", "pk")
        )
        through = DriverNode.measures.through
        links = []
        for idea_node in ideas:
            # A change idea is measured by the school goals of its primary driver.
            secondary = idea_node.parent
            # Change ideas hang under secondaries, secondaries under primaries.
            assert secondary is not None and secondary.parent is not None  # noqa: S101
            name = GOAL_IDEAS[secondary.parent.position].measure
            if name in measures:
                links.append(through(drivernode_id=idea_node.pk, measure_id=measures[name]))
        through.objects.bulk_create(links)
        # The phase now under way ends after the milestones due in it (the last, in 45 days).
        on_board_end = min(
            max(self.first_day + dt.timedelta(days=180), self.today + dt.timedelta(days=60)),
            self.last_day - dt.timedelta(days=60),
        )
        phases = self.rows.insert(
            Phase,
            [
                Phase(plan=plan, name=name, start_on=start, end_on=end, position=n)
                for plan in plans
                for n, (name, start, end) in enumerate(
                    (
                        ("Build the base", first_year.start_date, first_year.end_date),
                        ("Every school on board", self.first_day, on_board_end),
                        (
                            "Sustain and spread",
                            on_board_end + dt.timedelta(days=1),
                            self.last_day,
                        ),
                    )
                )
            ],
        )
        phase_of: dict[int, list[Phase]] = defaultdict(list)
        for phase in phases:
            phase_of[phase.plan_id].append(phase)
        node_of: dict[int, list[DriverNode]] = defaultdict(list)
        for primary in primaries:
            node_of[primary.diagram_id].append(primary)
        milestones = []
        owners = self.milestone_owners(district_pks)
        for plan, diagram in zip(plans, diagrams, strict=True):
            district_leads, principals = owners.get(_district_pk(plan), ([], []))
            district_leads = district_leads or [leaders.get(_district_pk(plan)) or self._anyone()]
            # School-facing milestones go round the principals (when there are any), the
            # others round the district's leaders, the superintendent first.
            lead_n = school_n = 0
            base, now_phase, later = phase_of[plan.pk]
            drivers = node_of[diagram.pk]
            for title, phase, node, due, status in (
                ("Every school names a literacy lead", base, drivers[0], base.end_on, "done"),
                (
                    "Common reading and writing tasks written for grades 3 to 8",
                    base,
                    drivers[1],
                    base.end_on,
                    "done",
                ),
                (
                    "Every ILT reviews attendance monthly",
                    now_phase,
                    drivers[2],
                    self.today - dt.timedelta(days=20),
                    "missed",
                ),
                (
                    "Fluency block in every grade 1 to 3 classroom",
                    now_phase,
                    drivers[0],
                    self.today + dt.timedelta(days=30),
                    "in_progress",
                ),
                (
                    "Family outreach plan in every school",
                    now_phase,
                    drivers[2],
                    self.today + dt.timedelta(days=45),
                    "at_risk",
                ),
                ("Share results with the board", later, None, later.end_on, "planned"),
            ):
                if title in SCHOOL_FACING and principals:
                    owner = principals[school_n % len(principals)]
                    school_n += 1
                else:
                    owner = district_leads[lead_n % len(district_leads)]
                    lead_n += 1
                milestones.append(
                    Milestone(
                        plan=plan,
                        phase=phase,
                        node=node,
                        title=title,
                        owner_id=owner,
                        start_on=phase.start_on,
                        due_on=due,
                        status=MilestoneStatus(status),
                    )
                )
        self.rows.insert(Milestone, milestones)
        self.rows.insert(
            TierSupport,
            [
                TierSupport(plan=plan, tier=tier, support=text)
                for plan in plans
                for tier, text in DISTRICT_TIER_SUPPORT.items()
            ],
        )

    def _nodes_under(
        self,
        parents: list[DriverNode],
        kind: str,
        texts: Mapping[str, tuple[tuple[str, str], ...]],
    ) -> list[DriverNode]:
        """The nodes under each parent, from ``texts`` keyed by the parent's text."""
        return self.rows.insert(
            DriverNode,
            [
                DriverNode(
                    diagram_id=parent.diagram_id,
                    parent=parent,
                    kind=kind,
                    text=text,
                    approach=approach,
                    position=n,
                )
                for parent in parents
                for n, (text, approach) in enumerate(texts[parent.text])
            ],
        )

    def _anyone(self) -> int:
        return Membership.objects.order_by("pk").values_list("user_id", flat=True).first() or 0

    def _hub_plans(self) -> None:
        hub_pks = sorted({self.writer.hub_pks[hub.slug] for hub in self.writer.plan.hubs})
        planned = set(
            StrategicPlan.objects.filter(hub_id__in=hub_pks).values_list("hub_id", flat=True)
        )
        wanted = [pk for pk in hub_pks if pk not in planned]
        if not wanted:
            return
        names = dict(Hub.objects.filter(pk__in=wanted).values_list("pk", "name"))
        plans = self.rows.insert(
            StrategicPlan,
            [
                StrategicPlan(
                    hub_id=pk,
                    title=f"{names[pk]}: supporting our schools",
                    first_year_id=self.year - 1,
                    last_year_id=self.year,
                    vision="Every school we serve runs an ILT that improves teaching year on year.",
                    status=StrategicPlanStatus.ACTIVE,
                )
                for pk in wanted
            ],
        )
        self.rows.insert(
            TierSupport,
            [
                TierSupport(plan=plan, tier=tier, support=text)
                for plan in plans
                for tier, text in TIER_SUPPORT.items()
            ],
        )

    # -- school plans --------------------------------------------------------------------------

    def school_facts(self) -> list[SchoolFacts]:
        # The demo's own schools only (a database may hold others), and only those with no
        # plan yet: seeding again in a new school year adds that year's calendars and
        # profiles, never a second story of plans.
        school_pks = sorted(self.writer.school_pks[s.state_id][0] for s in self.writer.plan.schools)
        planned = set(
            SchoolPlan.objects.filter(school_id__in=school_pks).values_list("school_id", flat=True)
        )
        schools = {
            pk: SchoolFacts(
                pk=pk, district_pk=district, name=name, state_id=state_id, principal=None
            )
            for pk, district, name, state_id in School.objects.filter(pk__in=school_pks)
            .exclude(pk__in=planned)
            .order_by("pk")
            .values_list("pk", "district_id", "name", "state_id")
        }
        if not schools:
            return []
        for school_pk, user_pk in (
            Membership.objects.filter(
                school_id__in=schools, role=Role.PRINCIPAL, end_date__isnull=True
            )
            .order_by("pk")
            .values_list("school_id", "user_id")
        ):
            if schools[school_pk].principal is None:
                schools[school_pk].principal = user_pk
        teams = dict(
            Team.objects.active()
            .filter(school_id__in=schools, kind__in=[TeamKind.ILT, TeamKind.SIT])
            .values_list("pk", "school_id")
        )
        kinds = dict(Team.objects.filter(pk__in=teams).values_list("pk", "kind"))
        for team_pk, user_pk, role in (
            TeamMembership.objects.active_on(self.today)
            .filter(team_id__in=teams)
            .exclude(role=MemberRole.COMMUNITY)
            .order_by("team_id", "-role", "pk")  # leads ("lead" > "member") first
            .values_list("team_id", "user_id", "role")
        ):
            school = schools[teams[team_pk]]
            if kinds[team_pk] == TeamKind.ILT:
                school.members.append(user_pk)
            elif role == MemberRole.LEAD and school.approver is None:
                school.approver = user_pk
        ilts = [pk for pk, kind in kinds.items() if kind == TeamKind.ILT]
        for item_pk, school_pk, title in (
            AgendaItem.objects.filter(
                meeting__team_id__in=ilts,
                kind=AgendaKind.GOAL_MONITORING,
                meeting__scheduled_start__date__gte=self.first_day,
                goal_link__isnull=True,
            )
            .exclude(meeting__status=MeetingStatus.CANCELLED)
            .order_by("meeting__scheduled_start", "pk")
            .values_list("pk", "meeting__team__school_id", "title")
        ):
            schools[school_pk].goal_items.append((item_pk, title))
        return list(schools.values())

    def baselines(
        self, schools: list[SchoolFacts]
    ) -> dict[tuple[int, str, str], tuple[dt.date, float]]:
        """(school, measure name, group code or '') → last school year's latest value."""
        groups = dict(StudentGroup.objects.values_list("pk", "code"))
        found: dict[tuple[int, str, str], tuple[dt.date, float]] = {}
        rows = (
            MeasureValue.objects.filter(
                school_id__in=[s.pk for s in schools],
                team__isnull=True,
                school_year_id=self.year - 1,
                measure__name__in=[idea.measure for idea in GOAL_IDEAS],
            )
            .order_by("period_start")
            .values_list(
                "school_id",
                "measure__name",
                "student_group_id",
                "period_start",
                "value",
                "denominator",
            )
        )
        for school_pk, name, group_pk, start, value, denominator in rows:
            # A group's figure only where it rests on enough students to be shown.
            small = group_pk is not None and (denominator or 0) < minimum_n()
            if value is not None and not small:
                found[(school_pk, name, groups.get(group_pk, "") if group_pk else "")] = (
                    start,
                    float(value),
                )
        return found

    def write_school_plans(self, drivers: dict[int, list[list[DriverNode]]]) -> None:
        schools = self.school_facts()
        if not schools:
            return
        indicator_set = builtin_indicator_set_ensure()
        indicators = list(
            Indicator.objects.filter(indicator_set=indicator_set).order_by("position")
        )
        groups = dict(
            StudentGroup.objects.filter(code__in=[EL, LOW_INCOME, SWD]).values_list("code", "pk")
        )
        measures: dict[tuple[int | None, str], Measure] = {
            (m.district_id, m.name): m
            for m in Measure.objects.filter(
                name__in=[idea.measure for idea in GOAL_IDEAS],
                school__isnull=True,
                team__isnull=True,
            )
        }
        baselines = self.baselines(schools)
        states: dict[int, str] = {}
        cycle = 0
        for school in schools:
            if school.state_id == self.signin_school:
                states[school.pk] = PUBLISHED
            else:
                states[school.pk] = STATE_CYCLE[cycle % len(STATE_CYCLE)]
                cycle += 1

        plans = self.rows.insert(
            SchoolPlan,
            [
                SchoolPlan(
                    school_id=s.pk,
                    district_id=s.district_pk,
                    school_year_id=self.year,
                    last_year_id=self.year,
                    title=f"{s.name} improvement plan",
                    indicator_set=indicator_set,
                    status=PlanStatus.DRAFT,
                )
                for s in schools
            ],
        )
        plan_of = {plan.school_id: plan for plan in plans}
        # The self-assessment, from the school's health profile.
        ratings = []
        for school in schools:
            rng = rng_for("plan-self-assessment", school.state_id)
            level = health_profile(school.state_id).quality(
                self.today, self.first_day, self.last_day
            )
            for indicator in indicators:
                rating = max(1, min(4, round(1 + 3 * level + rng.gauss(0, 0.6))))
                ratings.append(
                    SelfAssessmentRating(
                        plan=plan_of[school.pk],
                        district_id=school.district_pk,
                        indicator=indicator,
                        rating=rating,
                        evidence=rng.choice(
                            RATING_EVIDENCE[indicator.domain][0 if rating >= 3 else 1]
                        )
                        if indicator.domain in RATING_EVIDENCE
                        else "Walkthrough notes and team agendas from the fall.",
                    )
                )
        self.rows.insert(SelfAssessmentRating, ratings)

        # Needs, goals, targets, strategies and steps.
        chosen: dict[int, list[GoalIdea]] = {}
        needs: list[Need] = []
        for school in schools:
            rng = rng_for("plan-goals", school.state_id)
            count = 3 if rng.random() < 0.5 else 2
            ideas = [
                idea
                for idea in GOAL_IDEAS
                if (school.district_pk, idea.measure) in measures
                or (None, idea.measure) in measures
            ][:count]
            chosen[school.pk] = ideas
            for n, idea in enumerate(ideas):
                needs.append(
                    Need(
                        plan=plan_of[school.pk],
                        district_id=school.district_pk,
                        position=n,
                        statement=idea.need,
                        root_causes=idea.root_causes,
                        evidence="Last year's results by student group.",
                        measure=self._measure(measures, school.district_pk, idea.measure),
                    )
                )
        saved_needs = self.rows.insert(Need, needs)
        need_of = {(need.plan_id, need.position): need for need in saved_needs}

        goals: list[Goal] = []
        goal_meta: list[tuple[SchoolFacts, GoalIdea, bool]] = []
        for school in schools:
            plan = plan_of[school.pk]
            branches = drivers.get(school.district_pk, [])
            for n, idea in enumerate(chosen[school.pk]):
                measure = self._measure(measures, school.district_pk, idea.measure)
                group_values = baselines.get((school.pk, idea.measure, idea.group))
                start, value = group_values or baselines.get(
                    (school.pk, idea.measure, ""),
                    (
                        self.first_day - dt.timedelta(days=60),
                        40.0 if measure.direction == "up" else 20.0,
                    ),
                )
                step = 6.0 if measure.unit == "percent" else max(1.0, value * 0.15)
                target = value + step if measure.direction == "up" else max(0.0, value - step)
                gaps = states[school.pk] == DRAFT and n == len(chosen[school.pk]) - 1
                node = None
                if branches:
                    branch = branches[idea.driver % len(branches)]
                    node = branch[1] if len(branch) > 1 and n % 2 else branch[0]
                goals.append(
                    Goal(
                        plan=plan,
                        district_id=school.district_pk,
                        position=n,
                        outcome=idea.outcome,
                        measure=measure,
                        student_group_id=None if gaps else groups.get(idea.group),
                        baseline_value=round(value, 1),
                        baseline_date=start,
                        target_value=None if gaps else round(target, 1),
                        deadline=self.last_day - dt.timedelta(days=20),
                        achievability_note="Schools in our network with the same routine made "
                        "a gain this size in a year.",
                        need=need_of.get((plan.pk, n)),
                        serves_node=node,
                    )
                )
                goal_meta.append((school, idea, gaps))
        saved_goals = self.rows.insert(Goal, goals)

        on_track = self.goals_on_track(saved_goals, goal_meta)
        interim: list[InterimTarget] = []
        checkpoints: list[Checkpoint] = []
        strategies: list[Strategy] = []
        for goal, (school, idea, gaps) in zip(saved_goals, goal_meta, strict=True):
            if gaps:
                continue
            rng = rng_for("plan-checkpoints", school.state_id, idea.measure)
            # A goal without gaps was given all four above.
            assert goal.baseline_date is not None and goal.baseline_value is not None  # noqa: S101
            assert goal.deadline is not None and goal.target_value is not None  # noqa: S101
            begin = (goal.baseline_date, goal.baseline_value)
            end = (goal.deadline, goal.target_value)
            waypoints: list[Waypoint] = []
            for label, share in (("Winter benchmark", 0.4), ("Spring benchmark", 0.75)):
                due = self.first_day + dt.timedelta(days=round(300 * share))
                value = round(_on_line(begin, end, due), 1)
                interim.append(
                    InterimTarget(
                        goal=goal,
                        district_id=school.district_pk,
                        label=label,
                        target_value=value,
                        due_on=due,
                    )
                )
                waypoints.append(Waypoint(on=due, value=value, label=label))
            checkpoints += self.checkpoints(
                goal,
                school,
                waypoints,
                rng,
                on_track=goal.pk in on_track,
                raised=(states[school.pk] == PUBLISHED_V2 and goal.position == 0),
            )
            strategies.append(
                Strategy(
                    plan=goal.plan,
                    goal=goal,
                    district_id=school.district_pk,
                    position=goal.position,
                    title=idea.strategy,
                    description=idea.description,
                    evidence_tier=idea.tier,
                    evidence_note=rng.choice(idea.evidence_notes),
                )
            )
        for school in schools:
            if rng_for("plan-loose", school.state_id).random() < 0.4:
                strategies.append(
                    Strategy(
                        plan=plan_of[school.pk],
                        district_id=school.district_pk,
                        position=9,
                        title=LOOSE_STRATEGY,
                        evidence_tier=EvidenceTier.RATIONALE,
                        evidence_note=LOOSE_EVIDENCE,
                    )
                )
        self.rows.insert(InterimTarget, interim)
        self.rows.insert(Checkpoint, checkpoints)
        saved_strategies = self.rows.insert(Strategy, strategies)
        idea_of = {
            (g.plan_id, g.pk): idea for g, (_, idea, _) in zip(saved_goals, goal_meta, strict=True)
        }
        self.write_steps(schools, saved_strategies, idea_of)

        # The ILT's goal-monitoring items this year: each linked to the goal its title
        # names (reading, attendance...); items that name none of the school's goals stay
        # unlinked.
        goals_of: dict[int, list[tuple[Goal, GoalIdea]]] = defaultdict(list)
        for goal, (school, idea, _gaps) in zip(saved_goals, goal_meta, strict=True):
            goals_of[school.pk].append((goal, idea))
        links = []
        for school in schools:
            for item_pk, title in school.goal_items:
                named = f" {title.lower()}"
                named_goal = next(
                    (g for g, idea in goals_of[school.pk] if any(t in named for t in idea.topics)),
                    None,
                )
                if named_goal is not None:
                    links.append(
                        GoalAgendaLink(
                            agenda_item_id=item_pk, goal=named_goal, district_id=school.district_pk
                        )
                    )
        self.rows.insert(GoalAgendaLink, links)
        self.write_versions(schools, plans, states, saved_goals, goal_meta)

    def goals_on_track(
        self, goals: list[Goal], meta: list[tuple[SchoolFacts, GoalIdea, bool]]
    ) -> set[int]:
        """The goals whose latest checkpoint is on track: a share of each school's
        complete goals set by its health profile (most at healthy and improving schools,
        few at struggling ones)."""
        complete: dict[str, list[int]] = defaultdict(list)
        for goal, (school, _idea, gaps) in zip(goals, meta, strict=True):
            if not gaps:
                complete[school.state_id].append(goal.pk)
        chosen: set[int] = set()
        for state_id, pks in complete.items():
            share = ON_TRACK_SHARE.get(health_profile(state_id).name, 0.5)
            count = int(len(pks) * share + 0.5)
            chosen.update(rng_for("plan-on-track", state_id).sample(pks, count))
        return chosen

    def checkpoints(
        self,
        goal: Goal,
        school: SchoolFacts,
        interim: list[Waypoint],
        rng: random.Random,
        *,
        on_track: bool,
        raised: bool,
    ) -> list[Checkpoint]:
        """Readings every 45 days so far, each on or off the goal's trajectory (baseline,
        interim targets, target) as :mod:`leadhub.plans.trajectory` judges it. The latest
        follows ``on_track``; earlier ones mostly do too (at an improving school the
        first reading of an on-track goal is still below the line: the turn came later).
        ``raised``: version 2 raises the target, so a reading must hold against both."""
        baseline, target = goal.baseline_value or 0.0, goal.target_value or 0.0
        targets = [target]
        if raised:
            targets.append(target + (target - baseline) * 0.2)
        lines = [
            goal_waypoints(
                baseline_date=goal.baseline_date,
                baseline_value=goal.baseline_value,
                deadline=goal.deadline,
                target_value=line_target,
                interim=interim,
            )
            for line_target in targets
        ]
        up = target >= baseline
        gain = abs(target - baseline) or 1.0
        improving = health_profile(school.state_id).name == "improving"
        days = []
        day = self.first_day + dt.timedelta(days=40)
        while day <= self.today - dt.timedelta(days=3):
            days.append(day)
            day += dt.timedelta(days=45)
        rows = []
        for n, day in enumerate(days):
            expected = [e for line in lines if (e := expected_on(line, day)) is not None]
            if not expected:
                continue
            if n == len(days) - 1:
                above = on_track
            elif improving and on_track and n == 0:
                above = False
            else:
                above = on_track if rng.random() < 0.75 else not on_track
            if above:  # better than the most demanding line
                value = (
                    max(expected) + gain * rng.uniform(0.1, 0.35)
                    if up
                    else (min(expected) - gain * rng.uniform(0.1, 0.35))
                )
            else:  # worse than the least demanding one
                value = (
                    min(expected) - gain * rng.uniform(0.2, 0.6)
                    if up
                    else (max(expected) + gain * rng.uniform(0.2, 0.6))
                )
            rows.append(
                Checkpoint(
                    goal=goal,
                    district_id=school.district_pk,
                    measured_on=day,
                    value=round(max(0.0, value), 1),
                    note=rng.choice(CHECKPOINT_NOTES),
                    recorded_by_id=school.principal or school.members[0],
                )
            )
        return rows

    def write_steps(
        self,
        schools: list[SchoolFacts],
        strategies: list[Strategy],
        idea_of: dict[tuple[int, int], GoalIdea],
    ) -> None:
        """Each goal's strategy's steps, owned by ILT members, many with resources. At
        the sign-in school the principal, the demo teacher and other ILT members own open
        steps, some overdue and some due this week (:data:`SIGNIN_STEPS`)."""
        by_school = {s.pk: s for s in schools}
        signins = dict(
            User.objects.filter(
                email__in=[KNOWN_BY_ROLE[r].email for r in (Role.PRINCIPAL, Role.TEACHER)]
            ).values_list("email", "pk")
        )
        principal = signins.get(KNOWN_BY_ROLE[Role.PRINCIPAL].email)
        teacher = signins.get(KNOWN_BY_ROLE[Role.TEACHER].email)
        steps: list[ActionStep] = []
        resources: list[list[tuple[str, int, str]]] = []
        signin_n = 0
        for strategy in strategies:
            if strategy.goal_id is None:
                continue
            school = by_school[strategy.plan.school_id]
            owners: Sequence[int | None] = school.members or [school.principal]
            rng = rng_for("plan-steps", school.state_id, strategy.title)
            healthy = (
                health_profile(school.state_id).quality(self.today, self.first_day, self.last_day)
                >= 0.5
            )
            signin = school.state_id == self.signin_school
            for n, text in enumerate(idea_of[(strategy.plan_id, strategy.goal_id)].steps):
                owner = owners[(n + 1) % len(owners)]
                start = self.first_day + dt.timedelta(days=30 + 50 * n)
                end = start + dt.timedelta(days=rng.choice((60, 90, 120)))
                if signin and signin_n < len(SIGNIN_STEPS):
                    who, when = SIGNIN_STEPS[signin_n]
                    others = [m for m in owners if m not in (principal, teacher)] or owners
                    owner = {"principal": principal, "teacher": teacher}.get(who) or others[
                        signin_n % len(others)
                    ]
                    end = self.today + dt.timedelta(
                        days={
                            "overdue": -rng.randint(3, 20),
                            "this_week": rng.randint(0, 5),
                            "later": rng.randint(15, 60),
                            "done": -rng.randint(10, 40),
                        }[when]
                    )
                    start = min(end, max(self.first_day, end - dt.timedelta(days=60)))
                    signin_n += 1
                    status = (
                        StepStatus.DONE
                        if when == "done"
                        else StepStatus.NOT_STARTED
                        if when == "later" and start > self.today
                        else StepStatus.IN_PROGRESS
                    )
                elif end < self.today:
                    status = (
                        StepStatus.DONE if healthy or rng.random() < 0.3 else StepStatus.IN_PROGRESS
                    )
                else:
                    status = (
                        StepStatus.IN_PROGRESS if start <= self.today else StepStatus.NOT_STARTED
                    )
                steps.append(
                    ActionStep(
                        strategy=strategy,
                        plan_id=strategy.plan_id,
                        district_id=strategy.district_id,
                        position=n,
                        description=text,
                        owner_id=owner,
                        start_on=start,
                        end_on=end,
                        status=status,
                        completed_on=end if status == StepStatus.DONE else None,
                        professional_learning="Two after-school sessions with the coach."
                        if n == 0
                        else "",
                    )
                )
                options = STEP_RESOURCES.get(text, ())
                wanted = 0 if not options or rng.random() < 0.3 else rng.choice((1, 2))
                resources.append(rng.sample(options, min(wanted, len(options))))
        saved = self.rows.insert(ActionStep, steps)
        self.rows.insert(
            StepResource,
            [
                StepResource(
                    step=step,
                    district_id=step.district_id,
                    description=description,
                    cost=Decimal(cost),
                    funding_source=source,
                )
                for step, needed in zip(saved, resources, strict=True)
                for description, cost, source in needed
            ],
        )

    @staticmethod
    def _measure(
        measures: dict[tuple[int | None, str], Measure], district: int, name: str
    ) -> Measure:
        return measures.get((district, name)) or measures[(None, name)]

    def write_versions(
        self,
        schools: list[SchoolFacts],
        plans: list[SchoolPlan],
        states: dict[int, str],
        goals: list[Goal],
        goal_meta: list[tuple[SchoolFacts, GoalIdea, bool]],
    ) -> None:
        """Versions and the transitions that tell each plan's story."""
        by_school = {s.pk: s for s in schools}
        versions: list[PlanVersion] = []
        transitions: list[tuple[PlanTransition, dt.datetime]] = []
        started = dt.datetime.combine(self.first_day + dt.timedelta(days=20), dt.time(15))
        started = timezone.make_aware(started)
        submitted = started + dt.timedelta(days=21)
        decided = submitted + dt.timedelta(days=9)
        for plan in plans:
            school = by_school[plan.school_id]
            state = states[school.pk]
            principal = school.principal or school.members[0]
            approver = school.approver or principal
            published = state in (PUBLISHED, PUBLISHED_V2)
            content = plan_content(plan) if published else {}
            versions.append(
                PlanVersion(
                    plan=plan,
                    district_id=plan.district_id,
                    number=1,
                    content=content,
                    approved_at=decided if published else None,
                    approved_by_id=approver if published else None,
                    published_at=decided if published else None,
                )
            )
            steps = [("", PlanStatus.DRAFT, principal, "", started)]
            if state != DRAFT:
                steps.append((PlanStatus.DRAFT, PlanStatus.SUBMITTED, principal, "", submitted))
            if published:
                steps.append((PlanStatus.SUBMITTED, PlanStatus.PUBLISHED, approver, "", decided))
            if state == RETURNED:
                steps.append(
                    (PlanStatus.SUBMITTED, PlanStatus.RETURNED, approver, RETURN_COMMENT, decided)
                )
            for before, after, actor, comment, at in steps:
                transitions.append(
                    (
                        PlanTransition(
                            plan=plan,
                            district_id=plan.district_id,
                            version_number=1,
                            from_status=before,
                            to_status=after,
                            actor_id=actor,
                            comment=comment,
                        ),
                        at,
                    )
                )
            if state == PUBLISHED_V2:
                transitions.append(
                    (
                        PlanTransition(
                            plan=plan,
                            district_id=plan.district_id,
                            version_number=2,
                            from_status=PlanStatus.PUBLISHED,
                            to_status=PlanStatus.DRAFT,
                            actor_id=principal,
                            comment="Version 2 started by a change to the plan's content.",
                        ),
                        decided + dt.timedelta(days=60),
                    )
                )
        saved_versions = self.rows.insert(PlanVersion, versions)
        saved = self.rows.insert(PlanTransition, [t for t, _ in transitions])
        for row, (_, at) in zip(saved, transitions, strict=True):
            row.at = min(at, self.now)
        PlanTransition.objects.bulk_update(saved, ["at"], batch_size=2000)
        version_of = {v.plan_id: v for v in saved_versions}
        v2 = []
        for plan in plans:
            state = states[plan.school_id]
            if state in (PUBLISHED, PUBLISHED_V2):
                plan.published_version = version_of[plan.pk]
                plan.status = PlanStatus.PUBLISHED
            if state == PUBLISHED_V2:
                plan.status = PlanStatus.DRAFT
                plan.current_number = 2
                v2.append(PlanVersion(plan=plan, district_id=plan.district_id, number=2))
            elif state == SUBMITTED:
                plan.status = PlanStatus.SUBMITTED
            elif state == RETURNED:
                plan.status = PlanStatus.RETURNED
        SchoolPlan.objects.bulk_update(
            plans, ["status", "published_version", "current_number"], batch_size=2000
        )
        self.rows.insert(PlanVersion, v2)
        # Version 2 raises the first goal's target: the change that started it.
        raised = []
        for goal, (school, _idea, _gaps) in zip(goals, goal_meta, strict=True):
            if states[school.pk] == PUBLISHED_V2 and goal.position == 0 and goal.target_value:
                gain = goal.target_value - (goal.baseline_value or 0)
                goal.target_value = round(goal.target_value + gain * 0.2, 1)
                raised.append(goal)
        Goal.objects.bulk_update(raised, ["target_value"], batch_size=2000)

    def write(self) -> None:
        started = time.perf_counter()
        drivers = self.write_strategic_plans()
        self.write_school_plans(drivers)
        logger.info("Plans in %.1f s.", time.perf_counter() - started)


def write_plans(writer: DemoWriter) -> None:
    """Strategic plans for the demo's districts and hubs, improvement plans for its schools."""
    PlanWriter(writer).write()
