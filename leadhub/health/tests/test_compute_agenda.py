"""Indicators read from agendas: built ahead, time on instruction, teacher voice and goal
monitoring. Reference dates as in :mod:`leadhub.health.tests.histories`."""

from __future__ import annotations

import datetime as dt

import pytest

from leadhub.health.indicators import Code
from leadhub.health.models import Status
from leadhub.health.results import EvidenceKind, WindowKey
from leadhub.health.standards import Band
from leadhub.health.tests.histories import HistoryBuilder, at, result
from leadhub.meetings.models import AgendaKind, IntakeStatus, MeetingStatus

D = dt.date


# Agenda built ahead --------------------------------------------------------------------


def test_an_agenda_counts_when_drafted_by_the_end_of_the_next_school_day() -> None:
    builder = HistoryBuilder()
    builder.meeting(D(2025, 9, 3))  # Wed: the team's first meeting
    builder.meeting(D(2025, 9, 17), drafted=at(D(2025, 9, 4), 17))  # Thu after: in time
    builder.meeting(D(2025, 10, 1), drafted=at(D(2025, 9, 19), 8))  # Fri: a day late
    builder.meeting(D(2025, 10, 15))  # never drafted
    builder.meeting(D(2025, 10, 29), drafted=at(D(2025, 10, 15), 16))  # in the meeting
    found = result(builder, Code.AGENDA_AHEAD)
    # The first meeting is left out; 2 of the other 4 in time: 0.5, developing.
    assert found.value == 0.5
    assert found.band == Band.DEVELOPING
    assert found.detail == "2 of 4 agendas drafted in time"
    assert [item.counted for item in found.evidence] == [None, True, False, False, True]
    assert found.evidence[0].note == "the team's first meeting"
    assert found.evidence[2].note == "drafted Fri 19 Sep, after Thu 18 Sep"
    assert found.evidence[3].note == "no agenda draft recorded"


def test_the_next_school_day_skips_weekends_and_breaks() -> None:
    builder = HistoryBuilder()
    builder.meeting(D(2025, 12, 5))  # Fri
    builder.meeting(D(2025, 12, 10), drafted=at(D(2025, 12, 8), 23, 59))  # Mon: in time
    builder.meeting(D(2025, 12, 19))  # Fri before the break
    builder.meeting(D(2026, 1, 7), drafted=at(D(2026, 1, 5), 20))  # Mon 5 Jan: in time
    builder.meeting(D(2026, 1, 14), drafted=at(D(2026, 1, 9), 0, 0))  # Fri after Wed: late
    found = result(builder, Code.AGENDA_AHEAD, as_of=D(2026, 1, 20))
    # The deadline after Fri 5 Dec is Mon 8 Dec (end of day); after Fri 19 Dec it is Mon
    # 5 Jan (the break in between); after Wed 7 Jan it is Thu 8 Jan. The 10 Dec and 7 Jan
    # drafts are in time, 14 Jan's (just past midnight on 9 Jan) is not. 19 Dec had no
    # draft. 2 of 4.
    assert [item.counted for item in found.evidence] == [None, True, False, True, False]
    assert found.value == 0.5


def test_a_meeting_before_the_window_is_the_previous_one() -> None:
    builder = HistoryBuilder()
    builder.meeting(D(2025, 8, 20))
    builder.meeting(D(2025, 9, 17), drafted=at(D(2025, 8, 21)))
    for day in (D(2025, 10, 1), D(2025, 10, 15)):
        builder.meeting(day, drafted=at(day - dt.timedelta(days=13)))
    found = result(builder, Code.AGENDA_AHEAD, as_of=D(2025, 12, 1), window=WindowKey.RECENT)
    # The 90 days to 1 Dec start on 3 Sep. 17 Sep follows 20 Aug (outside the window), so
    # it is not a first meeting: its draft on Thu 21 Aug was in time. 3 of 3.
    assert found.window.start == D(2025, 9, 3)
    assert found.value == 1
    assert [item.counted for item in found.evidence] == [True, True, True]


# Time on instruction ---------------------------------------------------------------------


def test_instructional_focus_is_the_share_of_agenda_minutes() -> None:
    builder = HistoryBuilder()
    first = builder.meeting(D(2025, 9, 3))
    builder.agenda(first, AgendaKind.DATA_REVIEW, 30)
    builder.agenda(first, AgendaKind.INFORMATION, 20)
    builder.agenda(first, AgendaKind.LOOKING_AT_STUDENT_WORK, 20)
    second = builder.meeting(D(2025, 9, 17))
    builder.agenda(second, AgendaKind.TEACHER_ISSUE, 30)
    builder.agenda(second, AgendaKind.PROFESSIONAL_LEARNING, 60)
    builder.meeting(D(2025, 10, 1))  # no agenda
    fourth = builder.meeting(D(2025, 10, 15))
    builder.agenda(fourth, AgendaKind.GOAL_MONITORING, 20)
    builder.agenda(fourth, AgendaKind.FOLLOW_UP, 20)
    cancelled = builder.meeting(D(2025, 10, 29), status=MeetingStatus.CANCELLED)
    builder.agenda(cancelled, AgendaKind.INFORMATION, 60)
    found = result(builder, Code.INSTRUCTIONAL_FOCUS)
    # (50 + 60 + 20) of (70 + 90 + 40) minutes = 130/200 = 0.65, strong (>= 0.6).
    assert found.value == pytest.approx(0.65)
    assert found.band == Band.STRONG
    assert found.detail == "130 of 200 agenda minutes on instruction"
    assert [item.note for item in found.evidence] == [
        "50 of 70 minutes",
        "60 of 90 minutes",
        "no agenda items",
        "20 of 40 minutes",
    ]
    # A meeting counts for the team when its own share reaches the strong edge.
    assert [item.counted for item in found.evidence] == [True, True, None, False]


def test_instructional_focus_needs_three_meetings_with_agendas() -> None:
    builder = HistoryBuilder()
    builder.agenda(builder.meeting(D(2025, 9, 3)), AgendaKind.DATA_REVIEW, 30)
    builder.meeting(D(2025, 9, 17))
    found = result(builder, Code.INSTRUCTIONAL_FOCUS)
    assert found.status == Status.NOT_ENOUGH_DATA
    assert found.reason == (
        "Only 1 held meeting with agenda items in this window; at least 3 are needed."
    )


# Teacher voice -------------------------------------------------------------------------


def _teacher_voice_history() -> HistoryBuilder:
    builder = HistoryBuilder()
    first = builder.meeting(D(2025, 9, 3))
    builder.agenda(first, AgendaKind.TEACHER_ISSUE, 15)
    second = builder.meeting(D(2025, 9, 17))
    builder.agenda(second, AgendaKind.DATA_REVIEW, 10, raised_by_teachers=True)
    third = builder.meeting(D(2025, 10, 1))
    builder.agenda(third, AgendaKind.INFORMATION, 30)
    builder.meeting(D(2025, 10, 15))
    later = builder.meeting(D(2025, 11, 12), status=MeetingStatus.SCHEDULED)
    builder.proposal(D(2025, 9, 1), answered=D(2025, 9, 5))  # 4 days
    builder.proposal(D(2025, 9, 2), taken_up=(second, D(2025, 9, 17), MeetingStatus.HELD))
    builder.proposal(D(2025, 9, 25), answered=D(2025, 10, 1))  # 6 days
    builder.proposal(D(2025, 10, 20))  # waiting
    builder.proposal(D(2025, 9, 1), taken_up=(later, D(2025, 11, 12), MeetingStatus.SCHEDULED))
    builder.proposal(D(2025, 9, 8), status=IntakeStatus.WITHDRAWN)
    return builder


def test_teacher_voice_counts_meetings_with_time_for_teachers_issues() -> None:
    found = result(_teacher_voice_history(), Code.TEACHER_VOICE)
    # An issue item on 3 Sep, a proposal taken up on 17 Sep; nothing on 1 and 15 Oct: 2/4.
    assert found.value == 0.5
    assert found.band == Band.DEVELOPING  # 0.3 <= 0.5 < 0.6
    # Answered in 4 days, taken up in 15, answered in 6: the median is 6.
    assert found.secondary == "median 6 days over 3 proposals"
    proposals = [item for item in found.evidence if item.kind == EvidenceKind.PROPOSAL]
    # By date: the one proposed on 1 Sep for a meeting not yet held is still waiting on
    # 31 Oct (60 days); the withdrawn one is not shown.
    assert [item.note for item in proposals] == [
        "waiting 60 days, in the median days once answered",
        "answered in 4 days, in the median days",
        "taken up in 15 days, in the median days",
        "answered in 6 days, in the median days",
        "waiting 11 days, in the median days once answered",
    ]
    assert all(item.counted is None for item in proposals)


def test_teacher_voice_as_of_an_earlier_day() -> None:
    found = result(_teacher_voice_history(), Code.TEACHER_VOICE, as_of=D(2025, 9, 10))
    # On 10 Sep only the first meeting was held, and only one proposal answered.
    assert found.status == Status.NOT_ENOUGH_DATA
    assert found.secondary == "median 4 days over 1 proposal"


def test_no_proposals_answered() -> None:
    builder = HistoryBuilder()
    for day in (3, 17, 24):
        builder.meeting(D(2025, 9, day))
    found = result(builder, Code.TEACHER_VOICE)
    assert found.value == 0
    assert found.band == Band.ATTENTION
    assert found.secondary == "no proposals answered in this window"


# Goal monitoring -----------------------------------------------------------------------


def test_goal_monitoring_waits_for_plan_goals() -> None:
    builder = HistoryBuilder()
    for day in (3, 17, 24):
        builder.agenda(builder.meeting(D(2025, 9, day)), AgendaKind.GOAL_MONITORING, 20)
    found = result(builder, Code.GOAL_MONITORING)
    assert found.status == Status.NO_DATA_YET
    assert found.value is None
    assert found.band is None
    assert found.reason == "Counts start once the school's improvement plan has goals to monitor."


def test_goal_monitoring_with_plan_goals() -> None:
    builder = HistoryBuilder(has_plan_goals=True)
    first, second, third = builder.held_on(D(2025, 9, 3), D(2025, 9, 17), D(2025, 10, 1))
    builder.agenda(first, AgendaKind.GOAL_MONITORING, 20)
    builder.agenda(second, AgendaKind.DATA_REVIEW, 20)
    builder.agenda(third, AgendaKind.GOAL_MONITORING, 10)
    found = result(builder, Code.GOAL_MONITORING)
    # 2 of 3 meetings: 0.667, strong (>= 0.5).
    assert found.value == pytest.approx(2 / 3)
    assert found.band == Band.STRONG
    assert found.detail == "2 of 3 meetings monitoring goals"
