"""The only gate to teams and their records (meetings' access builds on this module).

A person's reach to a team comes from two scope sources: the organization tree (the
staff of a school read its teams' published work; district leaders their district's;
hub directors and coaches the schools their hub serves) and team membership (members
read their own team's records, across district lines for networks).

What each reader may see of a team is a :class:`TeamAccess`:

* ``read``: agendas, decisions, action items, attendance and approved minutes;
* ``read_notes``: working notes before the minutes are approved (members, principal);
* ``read_confidential``: items the team marked confidential (members other than
  community members, and the principal);
* ``record``: write the team's meeting records (members other than community members,
  the principal);
* ``manage``: change the team, its members and its meeting series;
* ``propose``: put an issue into the team's intake queue (people on a team it serves).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone

from leadhub.accounts.models import User
from leadhub.core.access import forbidden, not_found
from leadhub.orgs.models import District, Hub, Role, School
from leadhub.orgs.scope import org_scope_for
from leadhub.teams.models import (
    CROSS_SCHOOL_KINDS,
    SCHOOL_KINDS,
    MemberRole,
    Team,
    TeamKind,
    TeamLevel,
    TeamMembership,
)

Person = User | AnonymousUser

SCHOOL_MANAGER_ROLES = frozenset({Role.PRINCIPAL, Role.ASSISTANT_PRINCIPAL})
HUB_READER_ROLES = frozenset({Role.HUB_DIRECTOR, Role.HUB_COACH})
HUB_TEAM_MANAGER_ROLES = frozenset({Role.HUB_DIRECTOR, Role.NETWORK_FACILITATOR})


@dataclass(frozen=True)
class TeamAccess:
    read: bool = False
    read_notes: bool = False
    read_confidential: bool = False
    record: bool = False
    manage: bool = False
    propose: bool = False


NO_ACCESS = TeamAccess()
ROLE_RANK: dict[str, int] = {MemberRole.COMMUNITY: 0, MemberRole.MEMBER: 1, MemberRole.LEAD: 2}


def team_roles_for(user: Person) -> dict[int, str]:
    """The person's current team memberships as team id → role, one query, cached."""
    if not user.is_authenticated or not user.is_active:
        return {}
    today = timezone.localdate()
    cache: dict[object, dict[int, str]] = user.__dict__.setdefault("_team_roles_cache", {})
    if today not in cache:
        rows = TeamMembership.objects.active_on(today).filter(user=user, team__archived_on=None)
        roles: dict[int, str] = {}
        for team_id, role in rows.values_list("team_id", "role"):
            # A person listed twice keeps the fuller role.
            if ROLE_RANK[role] > ROLE_RANK.get(roles.get(team_id, ""), -1):
                roles[team_id] = role
        cache[today] = roles
    return cache[today]


def forget_team_roles(user: Person) -> None:
    """After a membership change in the same request, recompute on next use."""
    user.__dict__.pop("_team_roles_cache", None)


def teams_visible_to(user: Person) -> QuerySet[Team]:
    """Teams whose published records the person may read."""
    if not user.is_authenticated:
        return Team.objects.none()
    scope = org_scope_for(user)
    condition = Q(pk__in=list(team_roles_for(user)))
    condition |= Q(level=TeamLevel.SCHOOL, school_id__in=scope.staff_school_ids)
    condition |= Q(level__in=[TeamLevel.SCHOOL, TeamLevel.DISTRICT]) & Q(
        district_id__in=scope.led_district_ids
    )
    if scope.roles & HUB_READER_ROLES:
        condition |= Q(level=TeamLevel.SCHOOL, district_id__in=scope.served_district_ids)
    if scope.roles & HUB_TEAM_MANAGER_ROLES:
        condition |= Q(level=TeamLevel.HUB, hub_id__in=scope.hub_ids)
    return Team.objects.filter(condition)


def team_access(user: Person, team: Team) -> TeamAccess:
    if not user.is_authenticated or not user.is_active:
        return NO_ACCESS
    scope = org_scope_for(user)
    member_role = team_roles_for(user).get(team.pk)
    is_member = member_role is not None
    full_member = is_member and member_role != MemberRole.COMMUNITY
    lead = member_role == MemberRole.LEAD
    school_roles = scope.roles_at_school(team.school_id) if team.school_id else frozenset()
    principal = Role.PRINCIPAL in school_roles
    leads_district = team.district_id is not None and team.district_id in scope.led_district_ids
    runs_hub = team.hub_id is not None and team.hub_id in scope.hub_ids
    hub_manager = runs_hub and bool(scope.roles & HUB_TEAM_MANAGER_ROLES)

    if team.level == TeamLevel.SCHOOL:
        org_reader = (
            bool(school_roles)
            or leads_district
            or (
                bool(scope.roles & HUB_READER_ROLES)
                and team.district_id in scope.served_district_ids
            )
        )
        inner = full_member or principal
        manager = lead or bool(school_roles & SCHOOL_MANAGER_ROLES) or leads_district
    elif team.level == TeamLevel.DISTRICT:
        org_reader = leads_district
        inner = full_member or leads_district
        manager = lead or leads_district
    else:
        org_reader = hub_manager
        inner = full_member or hub_manager
        manager = lead or hub_manager
    read = is_member or org_reader
    return TeamAccess(
        read=read,
        read_notes=is_member or inner,
        read_confidential=inner,
        record=inner and team.archived_on is None,
        manage=manager,
        propose=read and _may_propose(user, team, scope_school_roles=school_roles),
    )


def _may_propose(user: Person, team: Team, *, scope_school_roles: frozenset[str]) -> bool:
    """Anyone on a team the ILT serves (an instructional team of its school) may propose
    an issue; members propose to their own team."""
    roles = team_roles_for(user)
    if team.pk in roles and roles[team.pk] != MemberRole.COMMUNITY:
        return True
    if not team.is_ilt or not scope_school_roles or team.school_id is None:
        return False
    return (
        Team.objects.active()
        .filter(pk__in=list(roles), school_id=team.school_id, kind=TeamKind.INSTRUCTIONAL)
        .exists()
    )


def team_get_for_user(user: Person, pk: int) -> tuple[Team, TeamAccess]:
    """The team and what the person may do with it; 404 when missing or out of reach."""
    team = Team.objects.select_related("school", "district", "hub__state").filter(pk=pk).first()
    if team is None:
        not_found()
    access = team_access(user, team)
    if not access.read:
        not_found()
    return team, access


def require(allowed: bool, reason: str) -> None:
    """403 with ``reason`` unless ``allowed``: the person can see the record but not do this."""
    if not allowed:
        forbidden(reason)


# Where a person may create teams


@dataclass(frozen=True)
class Places:
    """Where a person may start a team: schools (school teams), districts (district
    teams), hubs (networks and leadership collectives)."""

    schools: tuple[School, ...] = ()
    districts: tuple[District, ...] = ()
    hubs: tuple[Hub, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.schools or self.districts or self.hubs)

    @property
    def kinds(self) -> list[str]:
        """The kinds of team the person may create somewhere, in the order of TeamKind."""
        allowed: set[str] = set()
        if self.schools:
            allowed |= SCHOOL_KINDS
        if self.districts:
            allowed.add(TeamKind.DISTRICT)
        if self.hubs:
            allowed |= CROSS_SCHOOL_KINDS
        return [kind.value for kind in TeamKind if kind in allowed]


def team_places_for(user: Person) -> Places:
    """Principals and assistant principals start their school's teams; district leaders
    their district's school teams and district teams; hub directors and network
    facilitators their hub's networks and leadership collectives."""
    scope = org_scope_for(user)
    led_schools = [sid for sid, roles in scope.school_roles.items() if roles & SCHOOL_MANAGER_ROLES]
    schools = School.objects.filter(
        Q(pk__in=led_schools) | Q(district_id__in=scope.led_district_ids)
    ).select_related("district")
    hubs = (
        Hub.objects.filter(pk__in=scope.hub_ids)
        if scope.roles & HUB_TEAM_MANAGER_ROLES
        else Hub.objects.none()
    )
    return Places(
        schools=tuple(schools.order_by("name", "pk")),
        districts=tuple(District.objects.filter(pk__in=scope.led_district_ids).order_by("name")),
        hubs=tuple(hubs.order_by("name")),
    )


def team_may_create(
    user: Person,
    *,
    kind: str,
    school: School | None = None,
    district: District | None = None,
    hub: Hub | None = None,
) -> bool:
    places = team_places_for(user)
    if kind in SCHOOL_KINDS:
        return school is not None and school.pk in {s.pk for s in places.schools}
    if kind == TeamKind.DISTRICT:
        return district is not None and district.pk in {d.pk for d in places.districts}
    if kind in CROSS_SCHOOL_KINDS:
        return hub is not None and hub.pk in {h.pk for h in places.hubs}
    return False


def team_can_archive(user: Person, team: Team) -> bool:
    """Those who may start a team like it there may archive it (a team lead may not)."""
    return team_may_create(
        user,
        kind=team.kind,
        school=team.school,
        district=team.district if team.level == TeamLevel.DISTRICT else None,
        hub=team.hub,
    )
