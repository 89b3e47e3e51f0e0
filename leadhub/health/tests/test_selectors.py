"""Reading team health: standards with a district's adjustments, one team's health
computed live, and the indicators with the most room to grow."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from leadhub.health.compute import team_health
from leadhub.health.indicators import Code
from leadhub.health.models import IndicatorStandard, Status
from leadhub.health.results import WindowKey
from leadhub.health.selectors import most_room, standards_for, team_health_for
from leadhub.health.standards import DEFAULT_STANDARDS, Band
from leadhub.health.tests.histories import OCT_31, PRINCIPAL, HistoryBuilder, standard
from leadhub.meetings.models import AgendaKind
from leadhub.teams.models import TeamKind

D = dt.date


def test_most_room_lists_needs_attention_first_then_furthest_from_strong() -> None:
    builder = HistoryBuilder()
    first, *_ = [
        builder.meeting(D(2025, 9, 3)),
        builder.meeting(D(2025, 9, 17), roles=(PRINCIPAL, None, None)),
        builder.meeting(D(2025, 10, 1), roles=(PRINCIPAL, None, None)),
        builder.meeting(D(2025, 10, 15)),
    ]
    builder.agenda(first, AgendaKind.TEACHER_ISSUE, 10)
    health = team_health(builder.build(), standard(), as_of=OCT_31)
    # Needs attention: agenda ahead 0/3 (short of 0.8 by all of it), teacher voice 1/4
    # (short of 0.6 by 0.35/0.6 = 58%). Developing: roles 2/4 (short of 0.85 by 41%),
    # regular meetings 4/5 (short of 0.9 by 11%). Length and starts are strong.
    room = most_room(health, count=10)
    assert [item.code for item in room] == [
        Code.AGENDA_AHEAD,
        Code.TEACHER_VOICE,
        Code.ROLES,
        Code.CADENCE,
    ]
    assert [item.band for item in room] == [
        Band.ATTENTION,
        Band.ATTENTION,
        Band.DEVELOPING,
        Band.DEVELOPING,
    ]
    assert [item.code for item in most_room(health)] == [
        Code.AGENDA_AHEAD,
        Code.TEACHER_VOICE,
        Code.ROLES,
    ]
    assert all(item.window.key == WindowKey.YEAR for item in room)


def test_most_room_is_empty_for_a_team_without_data() -> None:
    health = team_health(HistoryBuilder().build(), standard(), as_of=D(2025, 8, 20))
    assert most_room(health) == []


@pytest.mark.django_db
def test_standards_for_lays_adjustments_over_defaults_in_one_query(
    world: Any, django_assert_num_queries: Any
) -> None:
    IndicatorStandard.objects.create(
        district=world.district,
        team_kind=TeamKind.ILT,
        indicator=Code.ROLES,
        expectation=1,
        strong=0.95,
        developing=0.7,
        min_data=4,
    )
    with django_assert_num_queries(1):
        found = standards_for([world.district.pk, world.other_district.pk, None])
    assert found[world.district.pk][TeamKind.ILT][Code.ROLES].strong == 0.95
    assert found[world.district.pk][TeamKind.ILT][Code.LENGTH].strong == 80
    assert found[world.district.pk][TeamKind.SIT] == DEFAULT_STANDARDS[TeamKind.SIT]
    assert found[world.other_district.pk][TeamKind.ILT] == DEFAULT_STANDARDS[TeamKind.ILT]
    assert found[None][TeamKind.NETWORK] == DEFAULT_STANDARDS[TeamKind.NETWORK]


@pytest.mark.django_db
def test_team_health_for_the_world_ilt(world: Any) -> None:
    ilt = world.objects["ilt"]
    health = team_health_for(ilt)
    assert health.team_id == ilt.pk
    assert health.as_of == timezone.localdate()
    assert len(health.results) == 24
    # Held 14 days ago and yesterday, each from 2 minutes past the start to 88: 86 minutes.
    length = health.result(Code.LENGTH, WindowKey.RECENT)
    assert length.value == 86
    assert length.band == Band.STRONG
    assert length.detail == "median 86 minutes (standard 90)"
    roles = health.result(Code.ROLES, WindowKey.RECENT)
    assert roles.status == Status.NOT_ENOUGH_DATA
    assert roles.reason == "Only 2 held meetings in this window; at least 3 are needed."
    # Attendance was taken at one meeting: principal and teacher on time, coach late, the
    # assistant principal excused.
    punctuality = health.result(Code.PUNCTUALITY, WindowKey.RECENT)
    assert [item.note for item in punctuality.evidence] == [
        "2 of 3 on time; 1 excused",
        "attendance not taken",
    ]
    # The school's plan has goals, so goal monitoring is counted, over too few meetings yet.
    assert health.result(Code.GOAL_MONITORING).status == Status.NOT_ENOUGH_DATA


@pytest.mark.django_db
def test_team_health_for_uses_the_districts_standard(world: Any) -> None:
    IndicatorStandard.objects.create(
        district=world.district,
        team_kind=TeamKind.ILT,
        indicator=Code.ROLES,
        expectation=1,
        strong=1,
        developing=0.9,
        min_data=2,
    )
    health = team_health_for(world.objects["ilt"])
    roles = health.result(Code.ROLES, WindowKey.RECENT)
    # Two held meetings are now enough, and both named all three roles.
    assert roles.status == Status.MEASURED
    assert roles.value == 1
    assert health.standard[Code.ROLES].min_data == 2


@pytest.mark.django_db
def test_team_health_for_a_past_day(world: Any) -> None:
    as_of = timezone.localdate() - dt.timedelta(days=7)
    health = team_health_for(world.objects["ilt"], as_of=as_of)
    # A week ago only the meeting of 14 days ago had been held.
    length = health.result(Code.LENGTH, WindowKey.RECENT)
    assert length.status == Status.NOT_ENOUGH_DATA
    assert len(length.evidence) == 1
    assert health.windows[1].end == as_of
