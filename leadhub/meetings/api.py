"""The read-only API of teams and their meetings: teams, meetings, agenda items,
decisions and action items.

Every list starts from the team gate (:func:`leadhub.teams.access.teams_visible_to`) and
each team's records go through the meetings gate: confidential agenda items and
decisions only for readers with ``read_confidential``, confidential action items also
for their owner (:mod:`leadhub.meetings.access`), and working notes only where
``notes_visible``. One record is fetched through the same ``*_get_for_user`` gate as
its page, so the API shows exactly what the pages show.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import django_filters
from django.db.models import Model, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from leadhub.accounts.models import User
from leadhub.api.viewsets import ScopedViewSet, as_int, detail_responses, list_responses
from leadhub.meetings.access import (
    action_get_for_user,
    agenda_item_get_for_user,
    decision_get_for_user,
    meeting_get_for_user,
    meetings_visible_to,
    notes_visible,
    visible_action_items,
    visible_agenda_items,
    visible_decisions,
)
from leadhub.meetings.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Decision,
    Meeting,
    MeetingStatus,
)
from leadhub.orgs.access import schools_visible_to
from leadhub.orgs.models import District, School, State
from leadhub.teams.access import (
    Person,
    TeamAccess,
    team_access,
    team_get_for_user,
    teams_visible_to,
)
from leadhub.teams.models import InstructionalGrouping, Team, TeamKind, TeamMembership

# Dates far outside any school year are clamped, so no bound overflows a time zone.
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(9000, 12, 31)


# Scope ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamScope:
    """What one person may see of each team they reach: team id → :class:`TeamAccess`,
    computed once per request from the team gate (no query per record)."""

    user: Person
    access: dict[int, TeamAccess]

    def groups(self) -> list[tuple[TeamAccess, list[int]]]:
        """Teams grouped by what the person may see of them (a handful of groups)."""
        grouped: dict[TeamAccess, list[int]] = {}
        for team_id, access in self.access.items():
            grouped.setdefault(access, []).append(team_id)
        return list(grouped.items())

    def notes_visible(self, meeting: Meeting) -> bool:
        access = self.access.get(meeting.team_id)
        return access is not None and notes_visible(access, meeting)


def team_scope_for(user: Person) -> TeamScope:
    teams = teams_visible_to(user).select_related("school", "district", "hub")
    return TeamScope(user=user, access={team.pk: team_access(user, team) for team in teams})


def gated[Record: Model](
    scope: TeamScope,
    records: QuerySet[Record],
    team_field: str,
    visible: Callable[[TeamAccess, QuerySet[Record]], QuerySet[Record]],
) -> QuerySet[Record]:
    """``records`` of the teams in scope, each team's through its ``visible_*`` gate."""
    combined = records.none()
    for access, team_ids in scope.groups():
        combined = combined | visible(access, records.filter(**{f"{team_field}__in": team_ids}))
    return combined


def meeting_zones() -> set[str]:
    """Every time zone a team can meet in: the districts' and the hubs' states'."""
    zones = set(District.objects.values_list("time_zone", flat=True).distinct())
    return zones | set(State.objects.values_list("time_zone", flat=True).distinct())


def starts_from(day: dt.date, *, team_field: str = "team") -> Q:
    """Meetings starting on or after ``day`` where they are held."""
    return _local_bound(max(day, EARLIEST), team_field=team_field, lookup="gte")


def starts_before(day: dt.date, *, team_field: str = "team") -> Q:
    """Meetings starting before ``day`` where they are held."""
    return _local_bound(min(day, LATEST), team_field=team_field, lookup="lt")


def _local_bound(day: dt.date, *, team_field: str, lookup: str) -> Q:
    condition = Q(pk__in=[])
    for zone in meeting_zones():
        moment = dt.datetime.combine(day, dt.time.min, tzinfo=zoneinfo.ZoneInfo(zone))
        in_zone = Q(**{f"{team_field}__district__time_zone": zone}) | Q(
            **{
                f"{team_field}__district__isnull": True,
                f"{team_field}__hub__state__time_zone": zone,
            }
        )
        condition |= in_zone & Q(**{f"scheduled_start__{lookup}": moment})
    return condition


def local_iso(value: dt.datetime | None, zone: zoneinfo.ZoneInfo) -> str | None:
    """An aware date-time as ISO 8601 in the team's own zone, with its offset."""
    return value.astimezone(zone).isoformat() if value is not None else None


# Serializers ----------------------------------------------------------------------------


class PersonRefSerializer(serializers.ModelSerializer):
    """A person as the API names them: their public id and name."""

    class Meta:
        model = User
        fields = ["public_id", "full_name"]
        read_only_fields = fields


class TeamMemberSerializer(serializers.ModelSerializer):
    person = PersonRefSerializer(source="user", read_only=True)
    represents_team = serializers.IntegerField(
        source="represents_team_id",
        allow_null=True,
        read_only=True,
        help_text="The instructional team this member speaks for (its id), if any.",
    )
    represents_program = serializers.IntegerField(
        source="represents_program_id",
        allow_null=True,
        read_only=True,
        help_text="The special program this member speaks for (its id), if any.",
    )

    class Meta:
        model = TeamMembership
        fields = [
            "person",
            "role",
            "represents_team",
            "represents_program",
            "start_date",
            "end_date",
        ]
        read_only_fields = fields


class TeamSerializer(serializers.ModelSerializer):
    grouping = serializers.ChoiceField(
        choices=InstructionalGrouping.choices,
        allow_blank=True,
        read_only=True,
        help_text="How an instructional team is organized; empty for other kinds.",
    )
    school = serializers.IntegerField(source="school_id", allow_null=True, read_only=True)
    district = serializers.IntegerField(source="district_id", allow_null=True, read_only=True)
    hub = serializers.SlugRelatedField(
        slug_field="slug",
        allow_null=True,
        read_only=True,
        help_text="Slug of the hub that runs a cross-school team; null for others.",
    )
    time_zone = serializers.CharField(
        read_only=True, help_text="Where the team's meetings are held."
    )
    members = TeamMemberSerializer(
        source="current_members",
        many=True,
        read_only=True,
        help_text="The team's members today.",
    )

    class Meta:
        model = Team
        fields = [
            "id",
            "name",
            "kind",
            "grouping",
            "level",
            "purpose",
            "school",
            "district",
            "hub",
            "time_zone",
            "archived_on",
            "members",
        ]
        read_only_fields = fields


MEETING_TIMES = (
    "scheduled_start",
    "scheduled_end",
    "actual_start",
    "actual_end",
    "agenda_drafted_at",
    "agenda_sent_at",
    "minutes_approved_at",
    "minutes_sent_at",
)


class MeetingSerializer(serializers.ModelSerializer):
    """A meeting; its times are given in the team's time zone, with the offset."""

    team = serializers.IntegerField(source="team_id", read_only=True)
    series = serializers.IntegerField(source="series_id", allow_null=True, read_only=True)
    time_zone = serializers.CharField(
        source="team.time_zone", read_only=True, help_text="Where the meeting is held."
    )
    date = serializers.DateField(read_only=True, help_text="The meeting's date where it is held.")
    scheduled_end = serializers.DateTimeField(read_only=True)
    facilitator = PersonRefSerializer(read_only=True, allow_null=True)
    recorder = PersonRefSerializer(read_only=True, allow_null=True)
    timekeeper = PersonRefSerializer(read_only=True, allow_null=True)
    minutes_approved = serializers.BooleanField(
        read_only=True, help_text="Whether the minutes are approved (notes become public)."
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "team",
            "series",
            "title",
            "status",
            "date",
            "scheduled_start",
            "scheduled_end",
            "scheduled_minutes",
            "time_zone",
            "location",
            "cancellation_note",
            "actual_start",
            "actual_end",
            "facilitator",
            "recorder",
            "timekeeper",
            "logged_after",
            "agenda_drafted_at",
            "agenda_sent_at",
            "minutes_approved",
            "minutes_approved_at",
            "minutes_sent_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance: Meeting) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        zone = instance.zone
        for name in MEETING_TIMES:
            data[name] = local_iso(getattr(instance, name), zone)
        return data


class AgendaItemSerializer(serializers.ModelSerializer):
    meeting = serializers.IntegerField(source="meeting_id", read_only=True)
    team = serializers.IntegerField(source="meeting.team_id", read_only=True)
    presenter = PersonRefSerializer(read_only=True, allow_null=True)
    carried_from = serializers.IntegerField(
        source="carried_from_id",
        allow_null=True,
        read_only=True,
        help_text="The agenda item this one carries forward (its id), if any.",
    )
    notes = serializers.SerializerMethodField(
        help_text=(
            "The recorder's notes. Null while the minutes are not approved and the notes "
            "are for the team's members and the principal only."
        )
    )

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "meeting",
            "team",
            "position",
            "title",
            "kind",
            "presenter",
            "minutes_allotted",
            "details",
            "notes",
            "status",
            "confidential",
            "carried_from",
            "timer_seconds",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_notes(self, item: AgendaItem) -> str | None:
        scope: TeamScope | None = self.context.get("scope")
        if scope is None or not scope.notes_visible(item.meeting):
            return None
        return item.notes


class TeamRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name"]
        read_only_fields = fields


class DecisionSerializer(serializers.ModelSerializer):
    meeting = serializers.IntegerField(source="meeting_id", read_only=True)
    team = serializers.IntegerField(source="meeting.team_id", read_only=True)
    agenda_item = serializers.IntegerField(source="agenda_item_id", allow_null=True, read_only=True)
    affected_teams = TeamRefSerializer(
        many=True, read_only=True, help_text="The instructional teams the decision affects."
    )

    class Meta:
        model = Decision
        fields = [
            "id",
            "meeting",
            "team",
            "agenda_item",
            "text",
            "affected_teams",
            "must_communicate",
            "confidential",
            "created_at",
        ]
        read_only_fields = fields


class ActionItemSerializer(serializers.ModelSerializer):
    team = serializers.IntegerField(source="team_id", read_only=True)
    meeting = serializers.IntegerField(source="meeting_id", read_only=True)
    agenda_item = serializers.IntegerField(source="agenda_item_id", allow_null=True, read_only=True)
    owner = PersonRefSerializer(read_only=True)
    overdue = serializers.SerializerMethodField(
        help_text="Open and past its due date, by today's date where the team meets."
    )

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "team",
            "meeting",
            "agenda_item",
            "description",
            "owner",
            "due_on",
            "status",
            "completed_on",
            "overdue",
            "confidential",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_overdue(self, action: ActionItem) -> bool:
        today = timezone.now().astimezone(zoneinfo.ZoneInfo(action.team.time_zone)).date()
        return action.is_overdue(today)


# Filters --------------------------------------------------------------------------------


def _visible_teams(request: HttpRequest | None) -> QuerySet[Team]:
    return teams_visible_to(request.user) if request else Team.objects.none()


def _visible_schools(request: HttpRequest | None) -> QuerySet[School]:
    return schools_visible_to(request.user) if request else School.objects.none()


def _visible_meetings(request: HttpRequest | None) -> QuerySet[Meeting]:
    return meetings_visible_to(request.user) if request else Meeting.objects.none()


def _team_filter(field_name: str, label: str) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=_visible_teams,
        label=label,
        error_messages={"invalid_choice": "No team you can see has this id."},
    )


def _school_filter(field_name: str, label: str) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=_visible_schools,
        label=label,
        error_messages={"invalid_choice": "No school you can see has this id."},
    )


def _meeting_filter() -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name="meeting",
        queryset=_visible_meetings,
        label="Only this meeting's records (its id).",
        error_messages={"invalid_choice": "No meeting you can see has this id."},
    )


class TeamApiFilter(django_filters.FilterSet):
    school = _school_filter("school", "Only this school's teams (its id).")
    kind = django_filters.ChoiceFilter(choices=TeamKind.choices, label="Only teams of this kind.")

    class Meta:
        model = Team
        fields: list[str] = []


class MeetingApiFilter(django_filters.FilterSet):
    team = _team_filter("team", "Only this team's meetings (its id).")
    school = _school_filter("team__school", "Only meetings of this school's teams (its id).")
    status = django_filters.ChoiceFilter(
        choices=MeetingStatus.choices, label="Only scheduled, held or cancelled meetings."
    )

    class Meta:
        model = Meeting
        fields: list[str] = []

    def on_or_after(self, queryset: QuerySet[Meeting], name: str, value: dt.date) -> Any:
        return queryset.filter(starts_from(value))

    def on_or_before(self, queryset: QuerySet[Meeting], name: str, value: dt.date) -> Any:
        return queryset.filter(
            starts_before(value + dt.timedelta(days=1)) if value < LATEST else Q()
        )


# "from" and "to" are Python keywords, so they are added by name.
MeetingApiFilter.base_filters["from"] = django_filters.DateFilter(
    method="on_or_after",
    label="Only meetings on or after this date (YYYY-MM-DD), where they are held.",
)
MeetingApiFilter.base_filters["to"] = django_filters.DateFilter(
    method="on_or_before",
    label="Only meetings on or before this date (YYYY-MM-DD), where they are held.",
)


class MeetingRecordFilter(django_filters.FilterSet):
    """Agenda items and decisions: by team or by meeting."""

    team = _team_filter("meeting__team", "Only this team's records (its id).")
    meeting = _meeting_filter()


class AgendaItemApiFilter(MeetingRecordFilter):
    class Meta:
        model = AgendaItem
        fields: list[str] = []


class DecisionApiFilter(MeetingRecordFilter):
    class Meta:
        model = Decision
        fields: list[str] = []


class ActionItemApiFilter(django_filters.FilterSet):
    team = _team_filter("team", "Only this team's action items (its id).")
    meeting = _meeting_filter()
    status = django_filters.ChoiceFilter(
        choices=ActionStatus.choices, label="Only open, done or dropped action items."
    )
    owner = django_filters.UUIDFilter(
        field_name="owner__public_id", label="Only action items this person owns (public id)."
    )
    due_from = django_filters.DateFilter(
        field_name="due_on", lookup_expr="gte", label="Only items due on or after this date."
    )
    due_to = django_filters.DateFilter(
        field_name="due_on", lookup_expr="lte", label="Only items due on or before this date."
    )

    class Meta:
        model = ActionItem
        fields: list[str] = []


# Viewsets -------------------------------------------------------------------------------


class TeamScopedViewSet(ScopedViewSet):
    filter_backends = [DjangoFilterBackend]
    _scope: TeamScope | None = None

    @property
    def scope(self) -> TeamScope:
        """What the person may see of each team, computed once per request."""
        if self._scope is None:
            self._scope = team_scope_for(self.request.user)
        return self._scope

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "scope": self.scope}


@extend_schema_view(
    list=extend_schema(
        summary="Teams you can see",
        description=(
            "Teams whose records you may read, with their members today: your school's "
            "teams, your own teams (networks cross district lines) and, for district and "
            "hub staff, the teams of the schools they serve. Narrow with ?school= or ?kind=."
        ),
        responses=list_responses(TeamSerializer(many=True), filtered=True),
    ),
    retrieve=extend_schema(
        summary="One team",
        description="A team by its id, with its members today.",
        responses=detail_responses(TeamSerializer),
    ),
)
class TeamViewSet(TeamScopedViewSet):
    serializer_class = TeamSerializer
    filterset_class = TeamApiFilter

    def get_queryset(self) -> QuerySet[Any]:
        members = (
            TeamMembership.objects.active_on(timezone.localdate())
            .select_related("user")
            .order_by("user__full_name", "pk")
        )
        return (
            teams_visible_to(self.request.user)
            .select_related("school", "district", "hub__state")
            .prefetch_related(Prefetch("memberships", queryset=members, to_attr="current_members"))
            .order_by("name", "pk")
        )

    def gate(self, lookup: str) -> Model:
        team, _ = team_get_for_user(self.request.user, as_int(lookup))
        return team


@extend_schema_view(
    list=extend_schema(
        summary="Meetings you can see",
        description=(
            "Meetings of the teams you can see, oldest first, with their roles. Times are "
            "given in the team's time zone. Narrow with ?team=, ?school=, ?status=, and "
            "?from= / ?to= (dates where the meetings are held, both included)."
        ),
        responses=list_responses(MeetingSerializer(many=True), filtered=True),
    ),
    retrieve=extend_schema(
        summary="One meeting",
        description="A meeting by its id.",
        responses=detail_responses(MeetingSerializer),
    ),
)
class MeetingViewSet(TeamScopedViewSet):
    serializer_class = MeetingSerializer
    filterset_class = MeetingApiFilter

    def get_queryset(self) -> QuerySet[Any]:
        return (
            meetings_visible_to(self.request.user)
            .select_related(
                "team__district", "team__hub__state", "facilitator", "recorder", "timekeeper"
            )
            .order_by("scheduled_start", "pk")
        )

    def gate(self, lookup: str) -> Model:
        meeting, _ = meeting_get_for_user(self.request.user, as_int(lookup))
        return meeting


@extend_schema_view(
    list=extend_schema(
        summary="Agenda items you can see",
        description=(
            "Agenda items of the meetings you can see, in meeting and agenda order. Items a "
            "team marked confidential are listed only for its members and the principal; "
            "notes are null until the minutes are approved unless you may read working "
            "notes. Narrow with ?team= or ?meeting=."
        ),
        responses=list_responses(AgendaItemSerializer(many=True), filtered=True),
    ),
    retrieve=extend_schema(
        summary="One agenda item",
        description="An agenda item by its id.",
        responses=detail_responses(AgendaItemSerializer),
    ),
)
class AgendaItemViewSet(TeamScopedViewSet):
    serializer_class = AgendaItemSerializer
    filterset_class = AgendaItemApiFilter

    def get_queryset(self) -> QuerySet[Any]:
        items = AgendaItem.objects.select_related(
            "meeting__team__district", "meeting__team__hub__state", "presenter"
        )
        return gated(self.scope, items, "meeting__team", visible_agenda_items).order_by(
            "meeting__scheduled_start", "meeting_id", "position", "pk"
        )

    def gate(self, lookup: str) -> Model:
        item, _ = agenda_item_get_for_user(self.request.user, as_int(lookup))
        return item


@extend_schema_view(
    list=extend_schema(
        summary="Decisions you can see",
        description=(
            "Decisions recorded at the meetings you can see, with the teams each affects. "
            "Confidential decisions are listed only for the team's members and the "
            "principal. Narrow with ?team= or ?meeting=."
        ),
        responses=list_responses(DecisionSerializer(many=True), filtered=True),
    ),
    retrieve=extend_schema(
        summary="One decision",
        description="A decision by its id.",
        responses=detail_responses(DecisionSerializer),
    ),
)
class DecisionViewSet(TeamScopedViewSet):
    serializer_class = DecisionSerializer
    filterset_class = DecisionApiFilter

    def get_queryset(self) -> QuerySet[Any]:
        decisions = Decision.objects.select_related("meeting").prefetch_related(
            Prefetch("affected_teams", queryset=Team.objects.order_by("name", "pk"))
        )
        return gated(self.scope, decisions, "meeting__team", visible_decisions).order_by(
            "meeting__scheduled_start", "meeting_id", "pk"
        )

    def gate(self, lookup: str) -> Model:
        decision, _ = decision_get_for_user(self.request.user, as_int(lookup))
        return decision


@extend_schema_view(
    list=extend_schema(
        summary="Action items you can see",
        description=(
            "Action items of the teams you can see, and those you own, soonest due first. "
            "Confidential items are listed only for the team's members, the principal and "
            "their owner. Narrow with ?team=, ?meeting=, ?status=, ?owner= (a person's "
            "public id) and ?due_from= / ?due_to= (both included)."
        ),
        responses=list_responses(ActionItemSerializer(many=True), filtered=True),
    ),
    retrieve=extend_schema(
        summary="One action item",
        description="An action item by its id.",
        responses=detail_responses(ActionItemSerializer),
    ),
)
class ActionItemViewSet(TeamScopedViewSet):
    serializer_class = ActionItemSerializer
    filterset_class = ActionItemApiFilter

    def get_queryset(self) -> QuerySet[Any]:
        user = self.request.user
        actions = ActionItem.objects.select_related("team__district", "team__hub__state", "owner")

        def visible(access: TeamAccess, records: QuerySet[ActionItem]) -> QuerySet[ActionItem]:
            return visible_action_items(user, access, records)

        # An owner always sees their own item (as its page shows it to them).
        own = actions.filter(owner_id=getattr(user, "pk", None))
        return (gated(self.scope, actions, "team", visible) | own).order_by("due_on", "pk")

    def gate(self, lookup: str) -> Model:
        action, _ = action_get_for_user(self.request.user, as_int(lookup))
        return action
