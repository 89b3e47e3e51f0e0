"""The line of sight: a district's strategy → the school goals that serve it → the ILT
work on each goal → the evidence (read side only; the gate is
:func:`leadhub.strategy.access.district_get_for_line_of_sight`).

Everything is read in a fixed number of queries, whatever the number of schools, goals,
agenda items or checkpoints: the figures per goal and per school are aggregate
subqueries, the agenda links come in one query, and each goal's track comes from
:func:`leadhub.plans.progress.goals_progress` (a fixed number of queries too).
Nothing here loops over goals to query.

It flags three kinds of gap:

* goals nobody is working on: not on an ILT agenda in the last 60 days (or coming up),
  no open action step, and no checkpoint in the last 90 days;
* work tied to no goal: ILT goal-monitoring agenda items this school year that name no
  goal, and plan strategies that serve no goal;
* district strategies (driver-diagram nodes) that no school goal serves: not the node,
  nothing under it and nothing above it (a goal serving a primary driver serves the
  secondary drivers and change ideas under it: school goals are results, and a branch
  is worked on when a school goal serves any part of it).

Confidential agenda items are counted, never named.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from leadhub.measures.models import Unit
from leadhub.meetings.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    AgendaKind,
    MeetingStatus,
)
from leadhub.orgs.models import District, School
from leadhub.orgs.schoolyears import school_year_bounds, school_year_label, school_year_of
from leadhub.plans.models import (
    OPEN_STEP_STATUSES,
    ActionStep,
    Checkpoint,
    Goal,
    GoalAgendaLink,
    PlanStatus,
    SchoolPlan,
    Strategy,
)
from leadhub.plans.progress import GoalProgress, goals_progress
from leadhub.plans.trajectory import Track
from leadhub.strategy.models import (
    DriverNode,
    NodeKind,
    StrategicPlan,
    StrategicPlanStatus,
)
from leadhub.teams.models import TeamKind

# A goal is someone's work if it was on an ILT agenda this recently (or is coming up) …
AGENDA_DAYS = 60
# … or has an open action step, or a checkpoint this recent.
CHECKPOINT_DAYS = 90
# The agenda items shown under each goal (the count covers them all).
AGENDA_SHOWN = 3

SORTS = {
    "attention": "Goals needing attention first",
    "school": "By school",
    "recent": "Most recently on an agenda first",
}

PLAN_STATUS_LABELS = dict(PlanStatus.choices)
NODE_KIND_LABELS = dict(NodeKind.choices)


@dataclass(frozen=True)
class Filters:
    school: int | None = None
    node: int | None = None  # a primary driver: only its branch
    sort: str = "attention"


@dataclass(frozen=True)
class AgendaLine:
    meeting_id: int
    meeting_on: dt.date
    title: str  # empty for a confidential item
    confidential: bool


@dataclass
class GoalLine:
    pk: int
    outcome: str
    school_id: int
    school_name: str
    plan_id: int
    plan_status: str
    node_id: int | None
    measure_name: str
    percent: bool  # the measure counts in percent: its values read "41.1%"
    group_name: str
    agenda_count: int
    recent_agenda_count: int
    confidential_count: int
    last_agenda_on: dt.date | None
    actions_open: int
    actions_done: int
    steps_open: int
    steps_overdue: int
    checkpoint_count: int
    last_checkpoint_on: dt.date | None
    last_checkpoint_value: float | None
    track: str | None = None  # "on", "off", or None when it cannot be judged
    track_reason: str = ""
    agenda: list[AgendaLine] = field(default_factory=list)

    @property
    def plan_status_label(self) -> str:
        return PLAN_STATUS_LABELS.get(self.plan_status, self.plan_status)

    @property
    def idle(self) -> bool:
        return not (self.recent_agenda_count or self.steps_open or self.recent_checkpoint)

    @property
    def recent_checkpoint(self) -> bool:
        cutoff = timezone.localdate() - dt.timedelta(days=CHECKPOINT_DAYS)
        return self.last_checkpoint_on is not None and self.last_checkpoint_on >= cutoff

    @property
    def idle_reasons(self) -> list[str]:
        """What is missing, in words, for a goal nobody is working on."""
        reasons = []
        if not self.recent_agenda_count:
            if self.last_agenda_on:
                reasons.append(
                    f"not on an ILT agenda since {self.last_agenda_on:%B %-d, %Y} "
                    f"(more than {AGENDA_DAYS} days)"
                )
            else:
                reasons.append("never on an ILT agenda")
        if not self.steps_open:
            reasons.append("no open action steps")
        if not self.recent_checkpoint:
            if self.last_checkpoint_on:
                reasons.append(
                    f"no checkpoint since {self.last_checkpoint_on:%B %-d, %Y} "
                    f"(more than {CHECKPOINT_DAYS} days)"
                )
            else:
                reasons.append("no checkpoint yet")
        return reasons

    @property
    def shown_agenda(self) -> list[AgendaLine]:
        return [line for line in self.agenda if not line.confidential][:AGENDA_SHOWN]


@dataclass
class NodeLine:
    pk: int
    kind: str
    text: str
    approach: str
    depth: int  # 0 primary, 1 secondary, 2 change idea
    parent_id: int | None
    goals: list[GoalLine] = field(default_factory=list)
    served: bool = False  # a goal serves it, a node under it or a node above it

    @property
    def kind_label(self) -> str:
        return NODE_KIND_LABELS.get(self.kind, self.kind)


@dataclass
class DriverBranch:
    primary: NodeLine
    nodes: list[NodeLine]  # the primary driver first, then its branch in outline order

    @property
    def goal_count(self) -> int:
        return sum(len(node.goals) for node in self.nodes)


@dataclass
class PlanLine:
    pk: int
    title: str
    status: str
    aim: str
    branches: list[DriverBranch]

    @property
    def status_label(self) -> str:
        return dict(StrategicPlanStatus.choices).get(self.status, self.status)


@dataclass
class SchoolLine:
    pk: int
    name: str
    plan_id: int | None
    plan_status: str
    goal_count: int
    unlinked_items: int
    unlinked_confidential: int
    loose_strategies: list[str]

    @property
    def plan_status_label(self) -> str:
        return PLAN_STATUS_LABELS.get(self.plan_status, "")

    @property
    def has_gap(self) -> bool:
        return bool(
            self.plan_id is None
            or not self.goal_count
            or self.unlinked_items
            or self.loose_strategies
        )


@dataclass
class LineOfSight:
    district: District
    year: int
    filters: Filters
    plans: list[PlanLine]
    unaligned_goals: list[GoalLine]  # serving none of the district's strategies
    idle_goals: list[GoalLine]
    unserved_nodes: list[NodeLine]
    schools: list[SchoolLine]
    school_choices: list[tuple[int, str]]
    node_choices: list[tuple[int, str]]

    @property
    def year_label(self) -> str:
        return school_year_label(self.year)

    @property
    def goals(self) -> list[GoalLine]:
        serving = [
            goal
            for plan in self.plans
            for branch in plan.branches
            for node in branch.nodes
            for goal in node.goals
        ]
        return serving + self.unaligned_goals

    @property
    def has_strategy(self) -> bool:
        return any(plan.branches for plan in self.plans)

    @property
    def schools_with_gaps(self) -> list[SchoolLine]:
        return [school for school in self.schools if school.has_gap]


def _count(queryset: QuerySet, by: str = "goal") -> Coalesce:
    """A correlated COUNT(*) of ``queryset`` per outer row (0 when there are none)."""
    counted = queryset.order_by().values(by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _plans(district: District) -> list[StrategicPlan]:
    return list(
        StrategicPlan.objects.filter(district=district)
        .exclude(status=StrategicPlanStatus.ARCHIVED)
        .select_related("diagram")
        .order_by("-first_year", "title", "pk")
    )


def _nodes(plan_ids: list[int]) -> list[DriverNode]:
    return list(
        DriverNode.objects.filter(diagram__plan_id__in=plan_ids)
        .select_related("diagram")
        .order_by("position", "pk")
    )


def _goal_rows(district: District, year: int, filters: Filters) -> QuerySet[Goal]:
    today = timezone.localdate()
    now = timezone.now()
    agenda_from = now - dt.timedelta(days=AGENDA_DAYS)
    first_day, _ = school_year_bounds(year)
    links = GoalAgendaLink.objects.filter(goal=OuterRef("pk")).exclude(
        agenda_item__meeting__status=MeetingStatus.CANCELLED
    )
    actions = ActionItem.objects.filter(agenda_item__goal_link__goal=OuterRef("pk"))
    steps = ActionStep.objects.filter(strategy__goal=OuterRef("pk"), status__in=OPEN_STEP_STATUSES)
    goals = Goal.objects.filter(
        plan__school__district=district, plan__school_year_id=year, retired=False
    )
    if filters.school:
        goals = goals.filter(plan__school_id=filters.school)
    return (
        goals.select_related("plan__school", "measure", "student_group")
        .annotate(
            n_agenda=_count(links),
            n_recent_agenda=_count(
                links.filter(agenda_item__meeting__scheduled_start__gte=agenda_from)
            ),
            n_confidential=_count(links.filter(agenda_item__confidential=True)),
            last_agenda_at=Subquery(
                links.order_by()
                .values("goal")
                .annotate(last=Max("agenda_item__meeting__scheduled_start"))
                .values("last")
            ),
            n_actions_open=_count(
                actions.filter(status=ActionStatus.OPEN), "agenda_item__goal_link__goal"
            ),
            n_actions_done=_count(
                actions.filter(status=ActionStatus.DONE), "agenda_item__goal_link__goal"
            ),
            n_steps_open=_count(steps, "strategy__goal"),
            n_steps_overdue=_count(steps.filter(end_on__lt=today), "strategy__goal"),
            n_checkpoints=_count(
                Checkpoint.objects.filter(goal=OuterRef("pk"), measured_on__gte=first_day)
            ),
        )
        .order_by("plan__school__name", "position", "pk")
    )


def _agenda_lines(goal_ids: list[int]) -> dict[int, list[AgendaLine]]:
    """Each goal's linked agenda items, latest meeting first (one query)."""
    rows = (
        GoalAgendaLink.objects.filter(goal_id__in=goal_ids)
        .exclude(agenda_item__meeting__status=MeetingStatus.CANCELLED)
        .order_by("goal_id", "-agenda_item__meeting__scheduled_start", "-pk")
        .values_list(
            "goal_id",
            "agenda_item__meeting_id",
            "agenda_item__meeting__scheduled_start",
            "agenda_item__title",
            "agenda_item__confidential",
        )
    )
    lines: dict[int, list[AgendaLine]] = defaultdict(list)
    for goal_id, meeting_id, start, title, confidential in rows:
        lines[goal_id].append(
            AgendaLine(
                meeting_id=meeting_id,
                meeting_on=timezone.localtime(start).date(),
                title="" if confidential else title,
                confidential=confidential,
            )
        )
    return lines


def _schools(district: District, year: int, filters: Filters) -> list[School]:
    first_day, last_day = school_year_bounds(year)
    plan = SchoolPlan.objects.filter(school=OuterRef("pk"), school_year_id=year)
    unlinked = AgendaItem.objects.filter(
        meeting__team__school=OuterRef("pk"),
        meeting__team__kind=TeamKind.ILT,
        kind=AgendaKind.GOAL_MONITORING,
        meeting__scheduled_start__date__gte=first_day,
        meeting__scheduled_start__date__lte=last_day,
        goal_link__isnull=True,
    ).exclude(meeting__status=MeetingStatus.CANCELLED)
    schools = School.objects.filter(district=district)
    if filters.school:
        schools = schools.filter(pk=filters.school)
    return list(
        schools.annotate(
            plan_pk=Subquery(plan.values("pk")[:1]),
            plan_status=Subquery(plan.values("status")[:1]),
            has_plan=Exists(plan),
            n_goals=_count(
                Goal.objects.filter(
                    plan__school=OuterRef("pk"), plan__school_year_id=year, retired=False
                ),
                "plan__school",
            ),
            n_unlinked=_count(unlinked, "meeting__team__school"),
            n_unlinked_confidential=_count(
                unlinked.filter(confidential=True), "meeting__team__school"
            ),
        ).order_by("name", "pk")
    )


def _loose_strategies(district: District, year: int, filters: Filters) -> dict[int, list[str]]:
    rows = Strategy.objects.filter(
        plan__school__district=district, plan__school_year_id=year, goal__isnull=True
    )
    if filters.school:
        rows = rows.filter(plan__school_id=filters.school)
    titles: dict[int, list[str]] = defaultdict(list)
    for school_id, title in rows.order_by("position", "pk").values_list("plan__school_id", "title"):
        titles[school_id].append(title)
    return titles


TRACKS = {Track.ON_TRACK: "on", Track.OFF_TRACK: "off"}


def _goal_line(goal: Goal, agenda: list[AgendaLine], progress: GoalProgress | None) -> GoalLine:
    last_agenda = goal.last_agenda_at  # type: ignore[attr-defined]
    line = GoalLine(
        pk=goal.pk,
        outcome=str(goal),
        school_id=goal.plan.school_id,
        school_name=goal.plan.school.name,
        plan_id=goal.plan_id,
        plan_status=goal.plan.status,
        node_id=goal.serves_node_id,
        measure_name=goal.measure.name if goal.measure else "",
        percent=bool(goal.measure and goal.measure.unit == Unit.PERCENT),
        group_name=goal.student_group.label if goal.student_group else "",
        agenda_count=goal.n_agenda,  # type: ignore[attr-defined]
        recent_agenda_count=goal.n_recent_agenda,  # type: ignore[attr-defined]
        confidential_count=goal.n_confidential,  # type: ignore[attr-defined]
        last_agenda_on=timezone.localtime(last_agenda).date() if last_agenda else None,
        actions_open=goal.n_actions_open,  # type: ignore[attr-defined]
        actions_done=goal.n_actions_done,  # type: ignore[attr-defined]
        steps_open=goal.n_steps_open,  # type: ignore[attr-defined]
        steps_overdue=goal.n_steps_overdue,  # type: ignore[attr-defined]
        checkpoint_count=goal.n_checkpoints,  # type: ignore[attr-defined]
        last_checkpoint_on=None,
        last_checkpoint_value=None,
        agenda=agenda,
    )
    latest = progress.latest if progress is not None else None
    if latest is not None:
        line.last_checkpoint_on = latest.checkpoint.measured_on
        line.last_checkpoint_value = latest.checkpoint.value
        line.track = TRACKS.get(latest.judgement.track)
        line.track_reason = latest.judgement.reason
    return line


def _sort(goals: list[GoalLine], sort: str) -> list[GoalLine]:
    if sort == "school":
        return sorted(goals, key=lambda g: (g.school_name, g.pk))
    if sort == "recent":
        return sorted(goals, key=lambda g: (g.last_agenda_on or dt.date.min, -g.pk), reverse=True)
    return sorted(goals, key=lambda g: (not g.idle, g.track != "off", g.school_name, g.pk))


def _branches(
    nodes: list[DriverNode], goals_by_node: dict[int, list[GoalLine]]
) -> list[DriverBranch]:
    children: dict[int | None, list[DriverNode]] = defaultdict(list)
    for node in nodes:
        children[node.parent_id].append(node)
    branches = []

    def walk(node: DriverNode, depth: int, into: list[NodeLine], above: bool) -> bool:
        line = NodeLine(
            pk=node.pk,
            kind=node.kind,
            text=node.text,
            approach=node.get_approach_display() if node.approach else "",
            depth=depth,
            parent_id=node.parent_id,
            goals=goals_by_node.get(node.pk, []),
        )
        into.append(line)
        covered = above or bool(line.goals)
        below = [walk(child, depth + 1, into, covered) for child in children.get(node.pk, [])]
        line.served = covered or any(below)
        return line.served

    for primary in children.get(None, []):
        lines: list[NodeLine] = []
        walk(primary, 0, lines, False)
        branches.append(DriverBranch(primary=lines[0], nodes=lines))
    return branches


def _unserved(branches: list[DriverBranch]) -> list[NodeLine]:
    """Strategies no goal serves, named once: a node whose parent is served, or a primary."""
    found = []
    for branch in branches:
        served = {node.pk: node.served for node in branch.nodes}
        for node in branch.nodes:
            if not node.served and (node.parent_id is None or served.get(node.parent_id)):
                found.append(node)
    return found


def line_of_sight(district: District, filters: Filters | None = None) -> LineOfSight:
    """The district's line of sight for the current school year (a fixed number of
    queries: plans, nodes, goals, agenda links, progress, schools, strategies)."""
    filters = filters or Filters()
    year = school_year_of(timezone.localdate())
    plans = _plans(district)
    nodes = _nodes([plan.pk for plan in plans])
    node_ids = {node.pk for node in nodes}
    goal_rows = list(_goal_rows(district, year, filters))
    goal_ids = [goal.pk for goal in goal_rows]
    agenda = _agenda_lines(goal_ids) if goal_ids else {}
    progress = goals_progress(goal_rows)
    goals = [_goal_line(goal, agenda.get(goal.pk, []), progress.get(goal.pk)) for goal in goal_rows]
    goals = _sort(goals, filters.sort)

    goals_by_node: dict[int, list[GoalLine]] = defaultdict(list)
    unaligned = []
    for goal in goals:
        if goal.node_id in node_ids:
            goals_by_node[goal.node_id].append(goal)
        else:
            unaligned.append(goal)

    nodes_by_plan: dict[int, list[DriverNode]] = defaultdict(list)
    for node in nodes:
        nodes_by_plan[node.diagram.plan_id].append(node)
    plan_lines = []
    node_choices = []
    for plan in plans:
        branches = _branches(nodes_by_plan.get(plan.pk, []), goals_by_node)
        node_choices += [(branch.primary.pk, branch.primary.text) for branch in branches]
        if filters.node:
            branches = [b for b in branches if b.primary.pk == filters.node]
        aim = getattr(plan, "diagram", None)
        plan_lines.append(
            PlanLine(
                pk=plan.pk,
                title=plan.title,
                status=plan.status,
                aim=aim.outcome if aim else "",
                branches=branches,
            )
        )
    if filters.node:
        plan_lines = [plan for plan in plan_lines if plan.branches]
        unaligned = []
    shown = [
        goal
        for plan in plan_lines
        for branch in plan.branches
        for node in branch.nodes
        for goal in node.goals
    ] + unaligned
    loose = _loose_strategies(district, year, filters)
    all_schools = _schools(district, year, Filters())
    school_choices = [(school.pk, school.name) for school in all_schools]
    schools = [
        SchoolLine(
            pk=school.pk,
            name=school.name,
            plan_id=school.plan_pk,  # type: ignore[attr-defined]
            plan_status=school.plan_status or "",  # type: ignore[attr-defined]
            goal_count=school.n_goals,  # type: ignore[attr-defined]
            unlinked_items=school.n_unlinked,  # type: ignore[attr-defined]
            unlinked_confidential=school.n_unlinked_confidential,  # type: ignore[attr-defined]
            loose_strategies=loose.get(school.pk, []),
        )
        for school in all_schools
        if not filters.school or school.pk == filters.school
    ]
    return LineOfSight(
        district=district,
        year=year,
        filters=filters,
        plans=plan_lines,
        unaligned_goals=unaligned,
        idle_goals=[goal for goal in _sort(shown, "attention") if goal.idle],
        unserved_nodes=[node for plan in plan_lines for node in _unserved(plan.branches)],
        schools=schools,
        school_choices=school_choices,
        node_choices=node_choices,
    )
