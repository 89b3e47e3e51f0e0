"""The only gate to measures and their values.

A measure's values are aggregates (a school's attendance rate, the share of a school's
students at or above the standard), never student rows. They come in *series*: one
measure for one school, one team or one district.

Who reads a series:

- **a school's**: the school's staff, the district's leaders, the director and coaches of
  the hub serving the district, and state administrators and evaluators (who read
  organization records statewide);
- **a team's**: whoever reads the team (:mod:`leadhub.teams.access`);
- **a district's**: the district's leaders, the hub staff serving it, and the state.

Who writes: principals and assistant principals for their school's measures and values;
team members who may record for the team (``TeamAccess.record``) for the team's; district
leaders for their district's; state administrators for state-wide measures. Computed
values are never typed in: a district leader or state administrator can have them
worked out again from the assessment results.

Measure definitions are organization records: anyone working in a district sees its
measures, everyone signed in the state-wide ones. Out of scope answers 404; in scope
but not allowed answers 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from leadhub.accounts.models import User
from leadhub.core.access import forbidden, not_found
from leadhub.measures.models import (
    Measure,
    MeasureLevel,
    MeasureSource,
    MeasureValue,
    value_scope_key,
)
from leadhub.orgs.access import schools_visible_to
from leadhub.orgs.models import District, Hub, Role, School
from leadhub.orgs.scope import OrgScope, org_scope_for
from leadhub.teams.access import team_access, team_roles_for, teams_visible_to
from leadhub.teams.models import MemberRole, Team, TeamLevel

Person = User | AnonymousUser

SCHOOL_LEADER_ROLES = frozenset({Role.PRINCIPAL, Role.ASSISTANT_PRINCIPAL})
# Network facilitators run networks; they do not read the schools' figures.
HUB_READER_ROLES = frozenset({Role.HUB_DIRECTOR, Role.HUB_COACH})


class SeriesKind(StrEnum):
    SCHOOL = "school"
    TEAM = "team"
    DISTRICT = "district"


@dataclass(frozen=True)
class Series:
    """Where one run of a measure's values lives: a school, a team or a district."""

    kind: SeriesKind
    district: District
    school: School | None = None
    team: Team | None = None

    @property
    def place(self) -> School | Team | District:
        return self.team or self.school or self.district

    @property
    def name(self) -> str:
        return str(self.place)

    @property
    def school_id(self) -> int | None:
        return self.school.pk if self.school is not None else None

    @property
    def scope_key(self) -> str:
        return value_scope_key(
            school_id=self.school.pk if self.school else None,
            team_id=self.team.pk if self.team else None,
            district_id=self.district.pk,
        )

    @property
    def token(self) -> str:
        """The series in a page address, e.g. ``school-12``."""
        return f"{self.kind}-{self.place.pk}"

    @property
    def query(self) -> str:
        """The series as the measure page's query string, e.g. ``school=12``."""
        return f"{self.kind}={self.place.pk}"


@dataclass(frozen=True)
class SeriesAccess:
    """What a person may do with one series."""

    read: bool = False
    manage: bool = False  # save the chart's rule set and baseline, add and remove notes
    enter: bool = False  # type values in, change and remove them (entered measures)
    recompute: bool = False  # have computed values worked out again


NO_ACCESS = SeriesAccess()


def level_series_kind(level: str) -> SeriesKind:
    """Team measures have team series, district measures district series; the rest
    (school, classroom and student measures) are reported per school."""
    if level == MeasureLevel.TEAM:
        return SeriesKind.TEAM
    if level == MeasureLevel.DISTRICT:
        return SeriesKind.DISTRICT
    return SeriesKind.SCHOOL


def series_kind_of(measure: Measure) -> SeriesKind:
    return level_series_kind(measure.level)


def _value_district_ids(scope: OrgScope) -> frozenset[int]:
    """Districts whose every school's (and the district's own) figures the person reads."""
    served = scope.served_district_ids if scope.roles & HUB_READER_ROLES else frozenset()
    return scope.led_district_ids | served


# Reading ------------------------------------------------------------------------------


def school_values_visible(user: Person, school: School) -> bool:
    scope = org_scope_for(user)
    return (
        scope.reads_state_org_records
        or school.pk in scope.staff_school_ids
        or school.district_id in _value_district_ids(scope)
    )


def district_values_visible(user: Person, district: District) -> bool:
    scope = org_scope_for(user)
    return scope.reads_state_org_records or district.pk in _value_district_ids(scope)


def value_schools_visible_to(user: Person) -> QuerySet[School]:
    """Schools whose figures the person reads."""
    scope = org_scope_for(user)
    if scope.reads_state_org_records:
        return School.objects.all()
    return School.objects.filter(
        Q(pk__in=scope.staff_school_ids) | Q(district_id__in=_value_district_ids(scope))
    )


def measure_values_visible_to(user: Person) -> QuerySet[MeasureValue]:
    """Every value the person may read, of any measure: one query's worth of conditions."""
    if not user.is_authenticated or not user.is_active:
        return MeasureValue.objects.none()
    scope = org_scope_for(user)
    team_ids = teams_visible_to(user).filter(district__isnull=False).values("pk")
    condition = Q(team_id__in=team_ids)
    if scope.reads_state_org_records:
        condition |= Q(team__isnull=True)
    else:
        condition |= Q(team__isnull=True, school_id__in=scope.staff_school_ids)
        condition |= Q(team__isnull=True, district_id__in=_value_district_ids(scope))
    return MeasureValue.objects.filter(condition)


def measures_visible_to(user: Person) -> QuerySet[Measure]:
    """Measure definitions: the state's, and those of the districts, schools and teams
    the person works in or serves."""
    if not user.is_authenticated or not user.is_active:
        return Measure.objects.none()
    scope = org_scope_for(user)
    if scope.reads_state_org_records:
        return Measure.objects.all()
    condition = Q(district__isnull=True)
    condition |= Q(team__isnull=True, school__isnull=True, district_id__in=scope.org_district_ids)
    condition |= Q(team__isnull=True, school__in=schools_visible_to(user))
    condition |= Q(team__in=teams_visible_to(user))
    return Measure.objects.filter(condition)


def measure_get_for_user(user: Person, pk: int) -> Measure:
    measure = (
        measures_visible_to(user)
        .select_related("district", "school", "team", "assessment", "owner")
        .filter(pk=pk)
        .first()
    )
    return measure if measure is not None else not_found()


def series_fits(measure: Measure, series: Series) -> bool:
    """Whether the measure has values there: the right kind of place, inside the
    measure's own school, team or district."""
    if series.kind != series_kind_of(measure):
        return False
    if measure.team_id is not None:
        return series.team is not None and series.team.pk == measure.team_id
    if measure.school_id is not None:
        school_id = series.team.school_id if series.team is not None else series.school_id
        if school_id != measure.school_id:
            return False
    return measure.district_id is None or series.district.pk == measure.district_id


def series_load(kind: str, pk: int) -> Series | None:
    """The series of a kind and place id, or None when there is no such place."""
    if kind == SeriesKind.SCHOOL:
        school = School.objects.select_related("district").filter(pk=pk).first()
        return Series(SeriesKind.SCHOOL, school.district, school=school) if school else None
    if kind == SeriesKind.TEAM:
        team = Team.objects.select_related("district", "school").filter(pk=pk).first()
        if team is None or team.district is None:
            return None  # a network's team crosses districts: its values have no home
        return Series(SeriesKind.TEAM, team.district, team=team)
    if kind == SeriesKind.DISTRICT:
        district = District.objects.filter(pk=pk).first()
        return Series(SeriesKind.DISTRICT, district) if district else None
    return None


def series_from_token(token: str) -> Series | None:
    """``school-12`` → that school's series (None when malformed or missing)."""
    kind, _, pk = token.partition("-")
    return series_load(kind, int(pk)) if pk.isdigit() else None


def series_access(user: Person, measure: Measure, series: Series) -> SeriesAccess:
    if not user.is_authenticated or not user.is_active:
        return NO_ACCESS
    scope = org_scope_for(user)
    leads_district = scope.is_state_admin or series.district.pk in scope.led_district_ids
    if series.kind == SeriesKind.TEAM and series.team is not None:
        team = team_access(user, series.team)
        read, manage = team.read, team.record
    elif series.kind == SeriesKind.SCHOOL and series.school is not None:
        read = school_values_visible(user, series.school)
        manage = leads_district or bool(
            scope.roles_at_school(series.school.pk) & SCHOOL_LEADER_ROLES
        )
    else:
        read = district_values_visible(user, series.district)
        manage = leads_district
    if not read:
        return NO_ACCESS
    return SeriesAccess(
        read=True,
        manage=manage,
        enter=manage and measure.source == MeasureSource.ENTERED and not measure.archived,
        recompute=leads_district and measure.source == MeasureSource.COMPUTED,
    )


def series_get_for_user(
    user: Person, measure: Measure, series: Series | None
) -> tuple[Series, SeriesAccess]:
    """The series and what the person may do with it; 404 when it is not the measure's
    or out of the person's reach."""
    if series is None or not series_fits(measure, series):
        not_found()
    access = series_access(user, measure, series)
    if not access.read:
        not_found()
    return series, access


def series_default_for(user: Person, measure: Measure) -> Series | None:
    """The series to open a measure on: its own team or school, else the person's own
    school, team or district, when the measure has a series there they may read."""
    kind = series_kind_of(measure)
    scope = org_scope_for(user)
    candidates: list[tuple[str, int]] = []
    if measure.team_id is not None:
        candidates.append((SeriesKind.TEAM, measure.team_id))
    elif measure.school_id is not None:
        candidates.append((SeriesKind.SCHOOL, measure.school_id))
    elif kind == SeriesKind.SCHOOL:
        candidates += [(kind, pk) for pk in sorted(scope.staff_school_ids)]
    elif kind == SeriesKind.TEAM:
        candidates += [(kind, pk) for pk in sorted(team_roles_for(user))]
    else:
        own = measure.district_id
        districts = [own] if own is not None else sorted(_value_district_ids(scope))
        candidates += [(kind, pk) for pk in districts]
    for candidate_kind, pk in candidates:
        series = series_load(candidate_kind, pk)
        if series is not None and series_fits(measure, series):
            if series_access(user, measure, series).read:
                return series
    return None


# Writing measures ----------------------------------------------------------------------


@dataclass(frozen=True)
class MeasurePlaces:
    """Where a person may define measures."""

    schools: tuple[School, ...] = ()
    teams: tuple[Team, ...] = ()
    districts: tuple[District, ...] = ()
    state_wide: bool = False

    def __bool__(self) -> bool:
        return bool(self.schools or self.teams or self.districts or self.state_wide)

    @property
    def computed_allowed(self) -> bool:
        """Computed measures read a district's assessment results: its leaders and the
        state define them."""
        return bool(self.districts or self.state_wide)


def measure_places_for(user: Person) -> MeasurePlaces:
    if not user.is_authenticated or not user.is_active:
        return MeasurePlaces()
    scope = org_scope_for(user)
    led_schools = [pk for pk, roles in scope.school_roles.items() if roles & SCHOOL_LEADER_ROLES]
    schools = School.objects.filter(
        Q(pk__in=led_schools) | Q(district_id__in=scope.led_district_ids)
    ).select_related("district")
    member_teams = [pk for pk, role in team_roles_for(user).items() if role != MemberRole.COMMUNITY]
    principal_schools = [pk for pk, roles in scope.school_roles.items() if Role.PRINCIPAL in roles]
    candidate_teams = (
        Team.objects.active()
        .filter(district__isnull=False)
        .filter(
            Q(pk__in=member_teams)
            | Q(level=TeamLevel.SCHOOL, school_id__in=principal_schools)
            | Q(level=TeamLevel.DISTRICT, district_id__in=scope.led_district_ids)
        )
        .select_related("school", "district")
        .order_by("name", "pk")
    )
    return MeasurePlaces(
        schools=tuple(schools.order_by("name", "pk")),
        teams=tuple(team for team in candidate_teams if team_access(user, team).record),
        districts=tuple(District.objects.filter(pk__in=scope.led_district_ids).order_by("name")),
        state_wide=scope.is_state_admin,
    )


def measure_can_edit(user: Person, measure: Measure) -> bool:
    """Those who may define a measure where this one belongs may change and archive it."""
    scope = org_scope_for(user)
    if scope.is_state_admin:
        return True
    if measure.team_id is not None:
        return measure.team is not None and team_access(user, measure.team).record
    if measure.district_id is not None and measure.district_id in scope.led_district_ids:
        return True
    if measure.school_id is not None:
        return bool(scope.roles_at_school(measure.school_id) & SCHOOL_LEADER_ROLES)
    return False


def measure_require_edit(user: Person, measure: Measure) -> None:
    if not measure_can_edit(user, measure):
        forbidden(
            "Only those who look after this measure's school, team or district can change it."
        )


def recompute_can(user: Person, district: District) -> bool:
    scope = org_scope_for(user)
    return scope.is_state_admin or district.pk in scope.led_district_ids


def hub_values_visible(user: Person, hub: Hub) -> bool:
    """A hub's comparison of its schools: the hub's director and coaches, and the state."""
    scope = org_scope_for(user)
    return scope.reads_state_org_records or (
        hub.pk in scope.hub_ids and bool(scope.roles & HUB_READER_ROLES)
    )


def value_districts_led_or_served(user: Person) -> QuerySet[District]:
    """Districts whose schools the person compares: those they lead or their hub serves."""
    return District.objects.filter(pk__in=_value_district_ids(org_scope_for(user)))


def value_hubs_for(user: Person) -> QuerySet[Hub]:
    """Hubs whose schools the person compares: their own (director, coach), or every hub
    for the state's staff."""
    scope = org_scope_for(user)
    if scope.reads_state_org_records:
        return Hub.objects.all()
    if not scope.roles & HUB_READER_ROLES:
        return Hub.objects.none()
    return Hub.objects.filter(pk__in=scope.hub_ids)


def measure_value_get_for_user(user: Person, pk: int) -> MeasureValue:
    """One value, when the person reads both its measure and its place."""
    record = (
        measure_values_visible_to(user)
        .filter(pk=pk, measure__in=measures_visible_to(user))
        .select_related("measure")
        .first()
    )
    return record if record is not None else not_found()
