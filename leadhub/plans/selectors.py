"""Reads for the plan pages: plans list, summaries, the self-assessment, needs, strategies,
steps, who may change an indicator set, the workflow panel's transitions and comments, and
the reads the goal pages share. Gates live in leadhub.plans.access; the plan as a document
and its comparable versions are read in leadhub.plans.documents."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from leadhub.accounts.models import User
from leadhub.core.access import not_found
from leadhub.lib.suppression import minimum_n
from leadhub.measures.models import Measure, MeasureValue
from leadhub.meetings.models import AgendaItem
from leadhub.orgs.models import District, Membership, Role, School
from leadhub.orgs.schoolyears import school_year_label, school_year_of
from leadhub.orgs.scope import org_scope_for
from leadhub.plans.access import (
    Person,
    plans_visible_to,
    school_may_start_plan,
)
from leadhub.plans.builtin import builtin_indicator_set_ensure
from leadhub.plans.models import (
    OPEN_STEP_STATUSES,
    ActionStep,
    DistrictPlanPolicy,
    Goal,
    Indicator,
    IndicatorSet,
    InterimTarget,
    PlanComment,
    PlanStatus,
    PlanTransition,
    Rating,
    RatingFile,
    SchoolPlan,
    SelfAssessmentRating,
    StepResource,
    StepStatus,
)
from leadhub.teams.access import team_roles_for
from leadhub.teams.models import MemberRole, Team, TeamKind

if TYPE_CHECKING:
    from leadhub.plans.forms.content import RatingForm


def current_school_year() -> int:
    return school_year_of(timezone.localdate())


# Indicator sets -----------------------------------------------------------------------------


def builtin_indicator_set() -> IndicatorSet:
    return builtin_indicator_set_ensure()


def indicator_set_for(district: District) -> IndicatorSet:
    """The set a district's new plans rate themselves against: the district's choice, else
    a set its state adapted, else the built-in one."""
    policy = DistrictPlanPolicy.objects.filter(district=district).select_related("indicator_set")
    chosen = policy.first()
    if chosen is not None and chosen.indicator_set is not None:
        return chosen.indicator_set
    state_set = (
        IndicatorSet.objects.filter(state_id=district.parent_state_id).order_by("-pk").first()
    )
    return state_set or builtin_indicator_set()


@dataclass(frozen=True)
class IndicatorSetAccess:
    read: bool = False
    edit: bool = False
    adapt_for_state: bool = False


def indicator_set_access(user: Person, indicator_set: IndicatorSet) -> IndicatorSetAccess:
    """Who reads and who changes a set: a district's set is its leaders', a state's set its
    administrators'; nobody changes the built-in one. Anyone who may see a plan using the
    set (or could choose it for their district) reads it."""
    if not user.is_authenticated or not user.is_active:
        return IndicatorSetAccess()
    scope = org_scope_for(user)
    state_admin = scope.is_state_admin
    if indicator_set.district_id is not None:
        edit = indicator_set.district_id in scope.led_district_ids
    elif indicator_set.state_id is not None:
        edit = state_admin and indicator_set.state_id in scope.state_ids
    else:
        edit = False
    read = edit or plans_visible_to(user).filter(indicator_set=indicator_set).exists()
    if not read:
        if indicator_set.builtin:
            read = bool(scope.led_district_ids) or state_admin
        elif indicator_set.district_id is not None:
            read = (
                state_admin
                and District.objects.filter(
                    pk=indicator_set.district_id, parent_state_id__in=scope.state_ids
                ).exists()
            )
        elif indicator_set.state_id is not None:
            read = District.objects.filter(
                pk__in=scope.led_district_ids, parent_state_id=indicator_set.state_id
            ).exists()
    return IndicatorSetAccess(
        read=read,
        edit=edit,
        adapt_for_state=indicator_set.builtin and state_admin and bool(scope.state_ids),
    )


def indicator_set_get_for_user(user: Person, pk: int) -> tuple[IndicatorSet, IndicatorSetAccess]:
    indicator_set = IndicatorSet.objects.select_related("district", "state").filter(pk=pk).first()
    if indicator_set is None:
        not_found()
    access = indicator_set_access(user, indicator_set)
    if not access.read:
        not_found()
    return indicator_set, access


def rated_indicator_ids(indicator_set: IndicatorSet) -> set[int]:
    return set(
        SelfAssessmentRating.objects.filter(indicator__indicator_set=indicator_set)
        .filter(Q(rating__isnull=False) | ~Q(evidence=""))
        .values_list("indicator_id", flat=True)
    )


def district_reads_for_policy(user: Person, district: District) -> bool:
    """Whether the district is within the person's reach (its pages are readable)."""
    if not user.is_authenticated:
        return False
    scope = org_scope_for(user)
    if district.pk in scope.org_district_ids:
        return True
    return scope.reads_state_org_records and district.parent_state_id in scope.state_ids


def district_get_for_policy(user: Person, pk: int) -> District:
    district = District.objects.filter(pk=pk).first()
    if district is None or not district_reads_for_policy(user, district):
        not_found()
    return district


# The plans list -----------------------------------------------------------------------------


@dataclass
class YearGroup:
    year: int
    label: str
    plans: list[SchoolPlan] = field(default_factory=list)


def plans_by_year(user: Person) -> list[YearGroup]:
    plans = plans_visible_to(user).select_related("school", "published_version")
    groups: dict[int, YearGroup] = {}
    for plan in plans.order_by("-school_year_id", "school__name"):
        group = groups.setdefault(
            plan.school_year_id,
            YearGroup(plan.school_year_id, school_year_label(plan.school_year_id)),
        )
        group.plans.append(plan)
    return list(groups.values())


def schools_to_start(user: Person) -> list[School]:
    """Schools whose plan for this year the person may start and nobody has started yet."""
    if not user.is_authenticated:
        return []
    scope = org_scope_for(user)
    principal_at = [pk for pk, roles in scope.school_roles.items() if Role.PRINCIPAL in roles]
    held = [pk for pk, role in team_roles_for(user).items() if role != MemberRole.COMMUNITY]
    ilt_at = Team.objects.filter(
        pk__in=held, kind=TeamKind.ILT, archived_on__isnull=True
    ).values_list("school_id", flat=True)
    ids = set(principal_at) | {pk for pk in ilt_at if pk}
    started = SchoolPlan.objects.filter(
        school_id__in=ids, school_year_id=current_school_year()
    ).values_list("school_id", flat=True)
    schools = School.objects.filter(pk__in=ids - set(started)).select_related("district")
    return [s for s in schools.order_by("name") if school_may_start_plan(user, s)]


# The plan page --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanSummary:
    indicators: int
    rated: int
    needs: int
    goals: int
    strategies: int
    steps_by_status: list[tuple[str, int]]


def plan_summary(plan: SchoolPlan, content: dict[str, Any], *, live: bool) -> PlanSummary:
    indicators = Indicator.objects.filter(indicator_set_id=plan.indicator_set_id).count()
    rated = sum(1 for r in content.get("self_assessment", []) if r.get("rating"))
    steps = [step for s in content.get("strategies", []) for step in s.get("steps", [])]
    if live:
        counts = Counter(ActionStep.objects.filter(plan=plan).values_list("status", flat=True))
        by_status = [(label, counts[value]) for value, label in StepStatus.choices if counts[value]]
    else:
        by_status = [("Steps", len(steps))] if steps else []
    return PlanSummary(
        indicators=indicators,
        rated=rated,
        needs=len(content.get("needs", [])),
        goals=len(content.get("goals", [])),
        strategies=len(content.get("strategies", [])),
        steps_by_status=by_status,
    )


# The self-assessment --------------------------------------------------------------------------


@dataclass
class IndicatorRow:
    indicator: Indicator
    rating: SelfAssessmentRating | None
    files: list[RatingFile] = field(default_factory=list)
    form: RatingForm | None = None  # the self-assessment page gives each row its form


@dataclass
class DomainGroup:
    name: str
    rows: list[IndicatorRow] = field(default_factory=list)

    @property
    def level_counts(self) -> list[tuple[str, int]]:
        counts = Counter(r.rating.rating for r in self.rows if r.rating and r.rating.rating)
        return [(label, counts[value]) for value, label in Rating.choices]

    @property
    def unrated(self) -> int:
        return sum(1 for r in self.rows if not (r.rating and r.rating.rating))


def self_assessment_groups(plan: SchoolPlan) -> list[DomainGroup]:
    indicators = Indicator.objects.filter(indicator_set_id=plan.indicator_set_id).order_by(
        "position", "pk"
    )
    ratings = {r.indicator_id: r for r in SelfAssessmentRating.objects.filter(plan=plan)}
    files: dict[int, list[RatingFile]] = defaultdict(list)
    for rating_file in RatingFile.objects.filter(rating__plan=plan).select_related(
        "stored_file", "rating"
    ):
        files[rating_file.rating.indicator_id].append(rating_file)
    groups: dict[str, DomainGroup] = {}
    for indicator in indicators:
        group = groups.setdefault(indicator.domain, DomainGroup(indicator.domain))
        group.rows.append(
            IndicatorRow(indicator, ratings.get(indicator.pk), files.get(indicator.pk, []))
        )
    return list(groups.values())


def low_rated_indicator_ids(plan: SchoolPlan) -> list[int]:
    return list(
        SelfAssessmentRating.objects.filter(plan=plan, rating__lte=Rating.BEGINNING)
        .order_by("rating", "indicator__position")
        .values_list("indicator_id", flat=True)
    )


# Steps and resources -------------------------------------------------------------------------


def school_staff(school: School) -> QuerySet[User]:
    """The people on the school's staff today: whom a step may be given to."""
    user_ids = Membership.objects.current().filter(school=school).values("user_id")
    return User.objects.filter(pk__in=user_ids, is_active=True).order_by("full_name")


@dataclass(frozen=True)
class Totals:
    total: Decimal
    by_source: list[tuple[str, Decimal]]


def _totals(resources: list[StepResource]) -> Totals:
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for resource in resources:
        if resource.cost is not None:
            sums[resource.funding_source or "No funding source named"] += resource.cost
    return Totals(total=sum(sums.values(), Decimal(0)), by_source=sorted(sums.items()))


def resource_totals(plan: SchoolPlan) -> tuple[dict[int, Totals], Totals]:
    """Costs per strategy and for the whole plan, by funding source (one query)."""
    resources = list(StepResource.objects.filter(step__plan=plan).select_related("step"))
    per_strategy: dict[int, list[StepResource]] = defaultdict(list)
    for resource in resources:
        per_strategy[resource.step.strategy_id].append(resource)
    return {pk: _totals(rs) for pk, rs in per_strategy.items()}, _totals(resources)


def open_steps_for(user: User) -> QuerySet[ActionStep]:
    return ActionStep.objects.filter(
        owner=user,
        status__in=list(OPEN_STEP_STATUSES),
    ).select_related("plan__school")


# The workflow panel and versions ---------------------------------------------------------


WAITING_PHRASES = {
    PlanStatus.DRAFT: "a draft",
    PlanStatus.RETURNED: "back with the ILT, returned with comments",
    PlanStatus.SUBMITTED: "waiting for the School Improvement Team",
    PlanStatus.DISTRICT_REVIEW: "approved and waiting for the district's review",
}


def staff_version_note(plan: SchoolPlan) -> str:
    """While a later version is being written over a published one, what staff read."""
    published = plan.published_version
    if published is None or published.number >= plan.current_number:
        return ""
    if plan.status == PlanStatus.PUBLISHED:
        return ""
    number = plan.current_number
    until = "published" if plan.status == PlanStatus.DISTRICT_REVIEW else "approved"
    return (
        f"Version {number} is {WAITING_PHRASES[PlanStatus(plan.status)]}. Staff see version "
        f"{published.number} until version {number} is {until}."
    )


def last_transition(plan: SchoolPlan) -> PlanTransition | None:
    return (
        PlanTransition.objects.filter(plan=plan)
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )


def returned_transition(plan: SchoolPlan) -> PlanTransition | None:
    """While the plan is returned: the return, with its comment and who made it."""
    if plan.status != PlanStatus.RETURNED:
        return None
    return (
        PlanTransition.objects.filter(plan=plan, to_status=PlanStatus.RETURNED)
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )


def next_year_plan(plan: SchoolPlan) -> SchoolPlan | None:
    """The school's plan for the year after this one starts, if there is one already."""
    return SchoolPlan.objects.filter(
        school_id=plan.school_id, school_year_id=plan.school_year_id + 1
    ).first()


def plans_comments(plan: SchoolPlan) -> Any:
    return (
        PlanComment.objects.filter(plan=plan)
        .select_related("author", "goal")
        .order_by("-created_at", "-pk")
    )


# Reads the goal pages share ----------------------------------------------------------------


@dataclass(frozen=True)
class LatestValue:
    """The latest recorded value of a measure at the goal's school for the goal's group:
    what a checkpoint can start from."""

    reads: str  # "goal" or an interim target's pk, as the checkpoint form names it
    measure: Measure
    value: float
    period_start: dt.date
    period_label: str


def latest_values(goal: Goal, targets: list[InterimTarget]) -> list[LatestValue]:
    """For the goal's measure and each interim target's own measure, its latest value at
    the school for the goal's student group (all students when the goal names none).
    Values resting on fewer students than the suppression minimum are never offered."""
    wanted: dict[int, list[str]] = {}
    measures: dict[int, Measure] = {}
    if goal.measure is not None:
        wanted.setdefault(goal.measure.pk, []).append("goal")
        measures[goal.measure.pk] = goal.measure
    for target in targets:
        if target.measure is not None:
            wanted.setdefault(target.measure.pk, []).append(str(target.pk))
            measures[target.measure.pk] = target.measure
    if not wanted:
        return []
    group_code = goal.student_group.code if goal.student_group else ""
    rows = (
        MeasureValue.objects.filter(
            measure_id__in=list(wanted),
            school_id=goal.plan.school_id,
            team__isnull=True,
            group_code=group_code,
        )
        .filter(Q(student_count__isnull=True) | Q(student_count__gte=minimum_n()))
        .order_by("measure_id", "-period_start")
        .values("measure_id", "value", "period_start", "period_label")
    )
    latest: dict[int, Mapping[str, Any]] = {}
    for value_row in rows:
        latest.setdefault(value_row["measure_id"], value_row)
    found = []
    for measure_id, reads_list in wanted.items():
        row = latest.get(measure_id)
        if row is None:
            continue
        found += [
            LatestValue(
                reads=reads,
                measure=measures[measure_id],
                value=row["value"],
                period_start=row["period_start"],
                period_label=row["period_label"],
            )
            for reads in reads_list
        ]
    return found


def goals_to_link(item: AgendaItem) -> QuerySet[Goal]:
    """The goals a goal-monitoring item of a school team can link to: those of the plan
    for the meeting's school year at the team's school, not retired."""
    school_id = item.meeting.team.school_id
    if school_id is None:
        return Goal.objects.none()
    year = school_year_of(timezone.localdate(item.meeting.scheduled_start))
    return (
        Goal.objects.filter(plan__school_id=school_id, retired=False)
        .filter(plan__school_year_id__lte=year, plan__last_year_id__gte=year)
        .select_related("plan")
        .order_by("position", "pk")
    )
