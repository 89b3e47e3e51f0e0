"""The only gate to team health: team pages, evidence, school, district and hub views,
the standards and the self-assessment.

Health is a judgement about a team, so it is read more narrowly than the team's published
records: the team's own members (community members excepted), the school's principal and
assistant principal, the district's leaders, and the director and coaches of the hub that
serves the district. Hub teams: their members and the hub's director and facilitators.
Other staff of the school do not see how a team they are not on is doing.

The self-assessment's results are the team's and its principal's: members (community
members excepted) and the school's principal read them; the team's leads and the school's
principal and assistant principal start and close one.

Views across teams: a school's (its principal and assistant principal, the district's
leaders, the serving hub's staff); a district's (its leaders, the serving hub's staff, the
state's administrators); a hub's (its director and coaches, the state's administrators).
A district's leaders adjust its standards.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from leadhub.core.access import forbidden, not_found
from leadhub.orgs.models import District, Hub, Role, School
from leadhub.orgs.scope import OrgScope, org_scope_for
from leadhub.teams.access import (
    HUB_READER_ROLES,
    HUB_TEAM_MANAGER_ROLES,
    SCHOOL_MANAGER_ROLES,
    Person,
    team_roles_for,
)
from leadhub.teams.models import MemberRole, Team, TeamLevel


@dataclass(frozen=True)
class HealthAccess:
    read: bool = False
    read_self_assessment: bool = False
    run_self_assessment: bool = False


NO_ACCESS = HealthAccess()


def _serves(scope: OrgScope, district_id: int | None) -> bool:
    return bool(scope.roles & HUB_READER_ROLES) and district_id in scope.served_district_ids


def team_health_access(user: Person, team: Team) -> HealthAccess:
    if not user.is_authenticated or not user.is_active:
        return NO_ACCESS
    scope = org_scope_for(user)
    member_role = team_roles_for(user).get(team.pk)
    full_member = member_role is not None and member_role != MemberRole.COMMUNITY
    lead = member_role == MemberRole.LEAD
    if team.level == TeamLevel.SCHOOL:
        school_roles = scope.roles_at_school(team.school_id) if team.school_id else frozenset()
        principal = Role.PRINCIPAL in school_roles
        school_manager = bool(school_roles & SCHOOL_MANAGER_ROLES)
        leader = (
            school_manager
            or team.district_id in scope.led_district_ids
            or _serves(scope, team.district_id)
        )
        return HealthAccess(
            read=full_member or leader,
            read_self_assessment=full_member or principal,
            run_self_assessment=lead or school_manager,
        )
    if team.level == TeamLevel.DISTRICT:
        leads_district = team.district_id in scope.led_district_ids
        return HealthAccess(
            read=full_member or leads_district or _serves(scope, team.district_id),
            read_self_assessment=full_member,
            run_self_assessment=lead or leads_district,
        )
    runs_hub = team.hub_id in scope.hub_ids and bool(scope.roles & HUB_TEAM_MANAGER_ROLES)
    return HealthAccess(
        read=full_member or runs_hub,
        read_self_assessment=full_member,
        run_self_assessment=lead or runs_hub,
    )


def team_get_for_health(user: Person, pk: int) -> tuple[Team, HealthAccess]:
    """The team and what the person may see of its health; 404 when out of reach."""
    team = Team.objects.select_related("school", "district", "hub__state").filter(pk=pk).first()
    if team is None:
        not_found()
    access = team_health_access(user, team)
    if not access.read:
        not_found()
    return team, access


def teams_with_health_visible_to(user: Person) -> QuerySet[Team]:
    """The teams whose health the person may read (the same rules as
    :func:`team_health_access`, as one query condition)."""
    if not user.is_authenticated or not user.is_active:
        return Team.objects.none()
    scope = org_scope_for(user)
    roles = team_roles_for(user)
    full_member_of = [pk for pk, role in roles.items() if role != MemberRole.COMMUNITY]
    managed_schools = [pk for pk, held in scope.school_roles.items() if held & SCHOOL_MANAGER_ROLES]
    condition = Q(pk__in=full_member_of)
    condition |= Q(level=TeamLevel.SCHOOL, school_id__in=managed_schools)
    condition |= Q(level__in=[TeamLevel.SCHOOL, TeamLevel.DISTRICT]) & Q(
        district_id__in=scope.led_district_ids
    )
    if scope.roles & HUB_READER_ROLES:
        condition |= Q(level__in=[TeamLevel.SCHOOL, TeamLevel.DISTRICT]) & Q(
            district_id__in=scope.served_district_ids
        )
    if scope.roles & HUB_TEAM_MANAGER_ROLES:
        condition |= Q(level=TeamLevel.HUB, hub_id__in=scope.hub_ids)
    return Team.objects.filter(condition)


def reads_school_health(user: Person, school: School) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    scope = org_scope_for(user)
    return (
        bool(scope.roles_at_school(school.pk) & SCHOOL_MANAGER_ROLES)
        or school.district_id in scope.led_district_ids
        or _serves(scope, school.district_id)
    )


def school_get_for_health(user: Person, pk: int) -> School:
    school = School.objects.select_related("district").filter(pk=pk).first()
    if school is None or not reads_school_health(user, school):
        not_found()
    return school


@dataclass(frozen=True)
class DistrictHealthAccess:
    read: bool = False
    adjust_standards: bool = False


def district_health_access(user: Person, district: District) -> DistrictHealthAccess:
    if not user.is_authenticated or not user.is_active:
        return DistrictHealthAccess()
    scope = org_scope_for(user)
    leads = district.pk in scope.led_district_ids
    state_admin = scope.is_state_admin and district.parent_state_id in scope.state_ids
    return DistrictHealthAccess(
        read=leads or _serves(scope, district.pk) or state_admin, adjust_standards=leads
    )


def district_get_for_health(user: Person, pk: int) -> tuple[District, DistrictHealthAccess]:
    district = District.objects.filter(pk=pk).first()
    if district is None:
        not_found()
    access = district_health_access(user, district)
    if not access.read:
        not_found()
    return district, access


def reads_hub_health(user: Person, hub: Hub) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    scope = org_scope_for(user)
    return (hub.pk in scope.hub_ids and bool(scope.roles & HUB_READER_ROLES)) or (
        scope.is_state_admin and hub.state_id in scope.state_ids
    )


def hub_get_for_health(user: Person, pk: int) -> Hub:
    hub = Hub.objects.select_related("state").filter(pk=pk).first()
    if hub is None or not reads_hub_health(user, hub):
        not_found()
    return hub


def require(allowed: bool, reason: str) -> None:
    """403 with ``reason`` unless ``allowed``: the person sees the page but may not do this."""
    if not allowed:
        forbidden(reason)
