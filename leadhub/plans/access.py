"""The only gate to School Improvement Plans: plan pages, goals, checkpoints, steps, files,
exports and the API.

Who does what with a school's plan:

* the school's Instructional Leadership Team (its members other than community members)
  and the principal write the plan while it is a draft or returned, and monitor it all
  year (checkpoints, step status, comments, agenda links);
* the principal submits it;
* the School Improvement Team's members (other than community members) approve it or
  return it with comments;
* the district's leaders review it, where their district asks for that, and set how
  their schools' plans run (the indicator set, the review);
* the working plan (a draft, a version being approved, the history of transitions) is
  read by those people, the school's assistant principals, and the staff of the hub that
  serves the district;
* the published version is read by every staff member of the school, the district's
  leaders, the serving hub's staff and the state's administrators.

An action step's owner updates that step wherever they work. Out of reach is 404; within
reach but not allowed is 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from leadhub.core.access import forbidden, not_found
from leadhub.orgs.models import District, Role, School
from leadhub.orgs.scope import OrgScope, org_scope_for
from leadhub.plans.models import ActionStep, Goal, SchoolPlan
from leadhub.teams.access import (
    HUB_READER_ROLES,
    SCHOOL_MANAGER_ROLES,
    Person,
    team_roles_for,
)
from leadhub.teams.models import MemberRole, Team, TeamKind


@dataclass(frozen=True)
class SchoolPlanRoles:
    """What a person is at one school, as far as its plan goes."""

    staff: bool = False
    principal: bool = False
    manager: bool = False  # principal or assistant principal
    ilt_member: bool = False
    sit_member: bool = False
    district_leader: bool = False
    hub_staff: bool = False
    state_admin: bool = False

    @property
    def writes(self) -> bool:
        return self.ilt_member or self.principal

    @property
    def reads_working(self) -> bool:
        return (
            self.writes or self.manager or self.sit_member or self.district_leader or self.hub_staff
        )

    @property
    def reads_published(self) -> bool:
        return self.reads_working or self.staff or self.state_admin


NO_ROLES = SchoolPlanRoles()


def _serves(scope: OrgScope, district_id: int) -> bool:
    return bool(scope.roles & HUB_READER_ROLES) and district_id in scope.served_district_ids


def _team_kinds_held(user: Person, school_id: int) -> set[str]:
    """The kinds of the school's ILT and SIT teams the person is a full member of."""
    held = {pk for pk, role in team_roles_for(user).items() if role != MemberRole.COMMUNITY}
    if not held:
        return set()
    return set(
        Team.objects.filter(
            pk__in=held,
            school_id=school_id,
            kind__in=[TeamKind.ILT, TeamKind.SIT],
            archived_on__isnull=True,
        ).values_list("kind", flat=True)
    )


def school_plan_roles(user: Person, school: School) -> SchoolPlanRoles:
    if not user.is_authenticated or not user.is_active:
        return NO_ROLES
    cache: dict[int, SchoolPlanRoles] = user.__dict__.setdefault("_plan_roles_cache", {})
    if school.pk not in cache:
        scope = org_scope_for(user)
        school_roles = scope.roles_at_school(school.pk)
        kinds = _team_kinds_held(user, school.pk)
        cache[school.pk] = SchoolPlanRoles(
            staff=bool(school_roles),
            principal=Role.PRINCIPAL in school_roles,
            manager=bool(school_roles & SCHOOL_MANAGER_ROLES),
            ilt_member=TeamKind.ILT in kinds,
            sit_member=TeamKind.SIT in kinds,
            district_leader=school.district_id in scope.led_district_ids,
            hub_staff=_serves(scope, school.district_id),
            state_admin=scope.is_state_admin and school.district.parent_state_id in scope.state_ids,
        )
    return cache[school.pk]


@dataclass(frozen=True)
class PlanAccess:
    read_published: bool = False
    read_working: bool = False
    edit: bool = False  # write needs, goals, strategies, the self-assessment
    monitor: bool = False  # checkpoints, step status, comments, agenda links
    submit: bool = False
    approve: bool = False
    review: bool = False

    @property
    def read(self) -> bool:
        return self.read_published or self.read_working


NO_ACCESS = PlanAccess()


def plan_access(user: Person, plan: SchoolPlan) -> PlanAccess:
    roles = school_plan_roles(user, plan.school)
    published = plan.published_version_id is not None
    return PlanAccess(
        read_published=published and roles.reads_published,
        read_working=roles.reads_working,
        edit=roles.writes,
        monitor=roles.writes,
        submit=roles.principal,
        approve=roles.sit_member,
        review=roles.district_leader,
    )


def plan_get_for_user(user: Person, pk: int) -> tuple[SchoolPlan, PlanAccess]:
    """The plan and what the person may do with it; 404 when out of reach."""
    plan = (
        SchoolPlan.objects.select_related("school__district", "published_version")
        .filter(pk=pk)
        .first()
    )
    if plan is None:
        not_found()
    access = plan_access(user, plan)
    if not access.read:
        not_found()
    return plan, access


def plans_visible_to(user: Person) -> QuerySet[SchoolPlan]:
    """The plans the person may open (the rules of :func:`plan_access` as one condition)."""
    if not user.is_authenticated or not user.is_active:
        return SchoolPlan.objects.none()
    scope = org_scope_for(user)
    held = [pk for pk, role in team_roles_for(user).items() if role != MemberRole.COMMUNITY]
    team_schools = Team.objects.filter(
        pk__in=held, kind__in=[TeamKind.ILT, TeamKind.SIT], archived_on__isnull=True
    ).values("school_id")
    managed = [pk for pk, roles in scope.school_roles.items() if roles & SCHOOL_MANAGER_ROLES]
    working = Q(school_id__in=team_schools) | Q(school_id__in=managed)
    working |= Q(district_id__in=scope.led_district_ids)
    if scope.roles & HUB_READER_ROLES:
        working |= Q(district_id__in=scope.served_district_ids)
    published = Q(school_id__in=scope.staff_school_ids)
    if scope.is_state_admin:
        published |= Q(school__district__parent_state_id__in=scope.state_ids)
    return SchoolPlan.objects.filter(working | (Q(published_version__isnull=False) & published))


def goal_visible(access: PlanAccess, plan: SchoolPlan, goal: Goal) -> bool:
    """Readers of the published version only see the goals it holds."""
    if access.read_working:
        return True
    if not access.read_published or plan.published_version is None:
        return False
    published_keys = {g.get("key") for g in plan.published_version.content.get("goals", [])}
    return str(goal.key) in published_keys


def goal_get_for_user(user: Person, pk: int) -> tuple[Goal, PlanAccess]:
    goal = (
        Goal.objects.select_related(
            "plan__school__district", "plan__published_version", "measure", "student_group"
        )
        .filter(pk=pk)
        .first()
    )
    if goal is None:
        not_found()
    access = plan_access(user, goal.plan)
    if not goal_visible(access, goal.plan, goal):
        not_found()
    return goal, access


def step_get_for_user(user: Person, pk: int) -> tuple[ActionStep, PlanAccess]:
    step = (
        ActionStep.objects.select_related(
            "plan__school__district", "plan__published_version", "strategy", "owner"
        )
        .filter(pk=pk)
        .first()
    )
    if step is None:
        not_found()
    access = plan_access(user, step.plan)
    is_owner = user.is_authenticated and step.owner_id == user.pk
    if not (access.read or is_owner):
        not_found()
    return step, access


def step_can_update(user: Person, access: PlanAccess, step: ActionStep) -> bool:
    """The plan's writers, and the step's owner, update a step's status and dates."""
    return access.monitor or (user.is_authenticated and step.owner_id == user.pk)


def school_may_start_plan(user: Person, school: School) -> bool:
    roles = school_plan_roles(user, school)
    return roles.writes


def school_get_for_new_plan(user: Person, pk: int) -> School:
    """A school whose plan the person could start: 404 unless they read its plans,
    403 unless they write them."""
    school = School.objects.select_related("district").filter(pk=pk).first()
    if school is None or not school_plan_roles(user, school).reads_published:
        not_found()
    require(school_may_start_plan(user, school), "Only the ILT and the principal start a plan.")
    return school


def district_plan_policy_access(user: Person, district: District) -> bool:
    """A district's leaders set how its schools' plans run."""
    return user.is_authenticated and district.pk in org_scope_for(user).led_district_ids


def require(allowed: bool, reason: str) -> None:
    """403 with ``reason`` unless ``allowed``: the person sees the page but may not do this."""
    if not allowed:
        forbidden(reason)
