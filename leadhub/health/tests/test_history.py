"""Loading histories from the database: what a team's history holds, in a fixed number of
queries whatever the number of teams."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leadhub.health.compute import history_span
from leadhub.health.history import histories_load
from leadhub.meetings.models import AgendaKind, AttendanceStatus, MeetingStatus
from leadhub.meetings.services.reportbacks import report_backs_create
from leadhub.meetings.tests.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    AttendanceFactory,
    DecisionFactory,
    IntakeItemFactory,
    MeetingFactory,
)
from leadhub.teams.models import MemberRole, TeamKind
from leadhub.teams.tests.factories import TeamFactory, TeamMembershipFactory

pytestmark = pytest.mark.django_db


def _busy_team(world: Any) -> Any:
    """A grade-level team at the world's school with one of every record the indicators read."""
    today = timezone.localdate()
    team = TeamFactory(kind=TeamKind.INSTRUCTIONAL, school=world.school)
    lead = world.people["teacher"]
    TeamMembershipFactory(team=team, user=lead, role=MemberRole.LEAD)
    start = dt.datetime.combine(
        today - dt.timedelta(days=3), dt.time(15, 30), tzinfo=zoneinfo.ZoneInfo("UTC")
    )
    meeting = MeetingFactory(team=team, scheduled_start=start, status=MeetingStatus.HELD)
    AttendanceFactory(meeting=meeting, user=lead, status=AttendanceStatus.ON_TIME)
    item = AgendaItemFactory(meeting=meeting, kind=AgendaKind.DATA_REVIEW, minutes_allotted=20)
    IntakeItemFactory(team=team, proposed_by=lead, agenda_item=item)
    ActionItemFactory(meeting=meeting, owner=lead, due_on=today - dt.timedelta(days=1))
    decision = DecisionFactory(meeting=meeting, must_communicate=True)
    decision.affected_teams.add(world.objects["grade3"])
    report_backs_create(decision)
    return team


def _queries_to_load(team_ids: list[int]) -> int:
    start, end = history_span(timezone.localdate())
    with CaptureQueriesContext(connection) as captured:
        histories = histories_load(team_ids, start=start, end=end)
    assert set(histories) == set(team_ids)
    return len(captured.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_number_of_teams(world: Any) -> None:
    teams = [_busy_team(world) for _ in range(5)]
    one = _queries_to_load([teams[0].pk])
    five = _queries_to_load([team.pk for team in teams])
    # Teams, calendars and their closures, meetings, attendance, agenda items, members,
    # principals, actions, decisions, their affected teams and report-backs, proposals,
    # and which teams have plan goals to monitor.
    assert one == five == 14


def test_the_world_ilt_history_holds_its_records(world: Any) -> None:
    ilt = world.objects["ilt"]
    start, end = history_span(timezone.localdate())
    history = histories_load([ilt.pk], start=start, end=end)[ilt.pk]

    assert history.team.kind == TeamKind.ILT
    assert history.team.school_id == world.school.pk
    assert history.team.time_zone == world.district.time_zone
    held = [meeting for meeting in history.meetings if meeting.is_held]
    assert [m.id for m in held] == [
        world.objects["held_meeting"].pk,
        world.objects["draft_meeting"].pk,
    ]
    # The meeting in two weeks is after the span's end: not loaded.
    assert all(m.status != MeetingStatus.SCHEDULED for m in history.meetings)
    held_id = world.objects["held_meeting"].pk
    statuses = {row.status for row in history.attendance if row.meeting_id == held_id}
    assert statuses == {"on_time", "late", "excused"}
    principal = world.people["principal"]
    assert [span.user_id for span in history.principals] == [principal.pk]
    assert [span.user_id for span in history.leads] == [principal.pk]
    assert len(history.memberships) == 4
    # The decision to tell Grade 3, with its report-back due.
    (decision,) = history.decisions
    assert decision.affected_team_ids == (world.objects["grade3"].pk,)
    assert decision.meeting_held
    assert len(decision.report_backs) == 1
    # The world's calendar has its winter break.
    assert any("Winter break" in calendar.closed.values() for calendar in history.skip.calendars)
    # Lincoln Elementary's plan has a goal: the ILT has goals to monitor.
    assert history.has_plan_goals


def test_the_last_held_meeting_before_the_span_is_loaded(world: Any) -> None:
    team = TeamFactory(kind=TeamKind.INSTRUCTIONAL, school=world.school)
    long_ago = timezone.now() - dt.timedelta(days=500)
    older = MeetingFactory(team=team, scheduled_start=long_ago, status=MeetingStatus.HELD)
    previous = MeetingFactory(
        team=team, scheduled_start=long_ago + dt.timedelta(days=7), status=MeetingStatus.HELD
    )
    MeetingFactory(
        team=team, scheduled_start=long_ago + dt.timedelta(days=14), status=MeetingStatus.CANCELLED
    )
    start, end = history_span(timezone.localdate())
    history = histories_load([team.pk], start=start, end=end)[team.pk]
    assert [meeting.id for meeting in history.meetings] == [previous.pk]
    assert older.pk not in [meeting.id for meeting in history.meetings]


def test_a_proposal_taken_up_on_an_agenda_is_raised_by_teachers(world: Any) -> None:
    team = _busy_team(world)
    start, end = history_span(timezone.localdate())
    history = histories_load([team.pk], start=start, end=end)[team.pk]
    (item,) = history.agenda_items
    assert item.kind == AgendaKind.DATA_REVIEW
    assert item.raised_by_teachers
    (proposal,) = history.intake
    assert proposal.meeting_status == MeetingStatus.HELD
    (action,) = history.actions
    assert action.due_on == timezone.localdate() - dt.timedelta(days=1)
