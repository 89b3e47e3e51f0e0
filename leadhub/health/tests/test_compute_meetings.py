"""Indicators read from the meetings themselves: regular meetings, length, starting on
time, members arriving on time, roles and shared facilitation.

Dates are in the reference year of :mod:`leadhub.health.tests.histories` (first day Mon
18 Aug 2025; winter break 22 Dec – 2 Jan). Every expected value is worked out by hand in
the comment beside it.
"""

from __future__ import annotations

import datetime as dt

import pytest

from leadhub.health.history import Span
from leadhub.health.indicators import Code
from leadhub.health.models import Status
from leadhub.health.results import EvidenceKind, WindowKey
from leadhub.health.standards import Band
from leadhub.health.tests.histories import PRINCIPAL, HistoryBuilder, result
from leadhub.meetings.models import MeetingStatus
from leadhub.meetings.recurrence import SkipDays
from leadhub.teams.models import MemberRole, TeamKind

D = dt.date


# Regular meetings ----------------------------------------------------------------------


def test_cadence_with_no_meetings_is_zero_over_the_complete_periods() -> None:
    # As of 31 Oct: 18–31 Aug, 1–14 Sep, 15–28 Sep, 29 Sep–12 Oct, 13–26 Oct are complete;
    # 27 Oct–9 Nov is not. 0 of 5.
    found = result(HistoryBuilder(), Code.CADENCE)
    assert found.status == Status.MEASURED
    assert found.value == 0
    assert found.band == Band.ATTENTION
    assert found.detail == "0 of 5 two-week periods"
    assert [item.label for item in found.evidence] == [
        "18–31 Aug",
        "1–14 Sep",
        "15–28 Sep",
        "29 Sep–12 Oct",
        "13–26 Oct",
    ]


def test_a_cancelled_meeting_leaves_its_period_unmet() -> None:
    builder = HistoryBuilder()
    met = builder.held_on(D(2025, 8, 20), D(2025, 9, 3), D(2025, 9, 17), D(2025, 10, 15))
    builder.meeting(D(2025, 10, 1), status=MeetingStatus.CANCELLED)
    builder.meeting(D(2025, 10, 29), status=MeetingStatus.SCHEDULED)
    found = result(builder, Code.CADENCE)
    # Met in periods 1, 2, 3 and 5; 29 Sep–12 Oct had only the cancelled meeting: 4/5.
    assert found.value == pytest.approx(4 / 5)
    assert found.band == Band.DEVELOPING  # 0.7 <= 0.8 < 0.9
    assert [item.counted for item in found.evidence] == [True, True, True, False, True]
    assert found.evidence[0].meeting_id == met[0]
    assert found.evidence[3].meeting_id is None


def test_periods_closed_for_the_winter_break_are_left_out() -> None:
    builder = HistoryBuilder()
    builder.held_on(
        *[D(2025, 8, 20) + dt.timedelta(days=14 * n) for n in range(9)],  # 20 Aug … 10 Dec
        D(2026, 1, 7),
    )
    found = result(builder, Code.CADENCE, as_of=D(2026, 1, 20))
    # 11 complete periods to 18 Jan; 22 Dec–4 Jan had no school day (break, then a
    # weekend): 10 eligible, all met.
    assert found.value == 1
    assert found.detail == "10 of 10 two-week periods"
    (closed,) = [item for item in found.evidence if item.counted is None]
    assert closed.label == "22 Dec–4 Jan"
    assert closed.note == "school closed: Winter break"
    assert closed.kind == EvidenceKind.PERIOD


def test_without_the_break_that_period_counts_against_the_team() -> None:
    builder = HistoryBuilder()
    builder.skip = SkipDays()  # no calendar: the year starts on 1 July, nothing is skipped
    builder.held_on(D(2025, 7, 2), D(2025, 7, 16), D(2025, 7, 30))
    found = result(builder, Code.CADENCE, as_of=D(2025, 8, 26))
    # 1–14 Jul, 15–28 Jul, 29 Jul–11 Aug, 12–25 Aug: met 3 of 4.
    assert found.value == pytest.approx(3 / 4)


def test_the_strong_edge_is_inclusive() -> None:
    builder = HistoryBuilder()
    days = [D(2025, 8, 20) + dt.timedelta(days=14 * n) for n in range(9)]
    builder.held_on(*days[:-1], D(2026, 1, 7))  # 10 Dec missing
    found = result(builder, Code.CADENCE, as_of=D(2026, 1, 20))
    # 9 of the 10 eligible periods: 0.9 is exactly the strong edge.
    assert found.value == pytest.approx(0.9)
    assert found.band == Band.STRONG


def test_a_team_formed_mid_year_counts_from_its_first_day() -> None:
    builder = HistoryBuilder(created=D(2025, 10, 1))
    builder.held_on(D(2025, 10, 8), D(2025, 10, 22))
    too_early = result(builder, Code.CADENCE)
    # From 1 Oct: 1–14 Oct and 15–28 Oct are complete on 31 Oct: 2 < 3 needed.
    assert too_early.status == Status.NOT_ENOUGH_DATA
    assert too_early.value is None
    assert too_early.reason == (
        "Only 2 complete two-week periods in this window; at least 3 are needed."
    )
    found = result(builder, Code.CADENCE, as_of=D(2025, 11, 12))
    # Adding 29 Oct–11 Nov, not met: 2 of 3.
    assert found.value == pytest.approx(2 / 3)
    assert found.detail == "2 of 3 two-week periods"


def test_meetings_from_before_the_team_was_set_up_count() -> None:
    builder = HistoryBuilder(created=D(2025, 10, 1))
    builder.held_on(D(2025, 9, 3), D(2025, 9, 17), D(2025, 10, 15))
    found = result(builder, Code.CADENCE)
    # The meeting logged on 3 Sep shows the team existed then: periods run from 3 Sep.
    # 3–16 Sep met, 17–30 Sep met, 1–14 Oct not, 15–28 Oct met: 3 of 4.
    assert found.value == pytest.approx(3 / 4)
    assert found.evidence[0].label == "3–16 Sep"


def test_cadence_over_the_last_90_days_leaves_out_the_summer() -> None:
    builder = HistoryBuilder()
    builder.held_on(D(2025, 8, 20), D(2025, 9, 3), D(2025, 9, 17), D(2025, 10, 15))
    found = result(builder, Code.CADENCE, window=WindowKey.RECENT)
    # The 90 days to 31 Oct start on 3 Aug: 3–16 Aug is before the first school day (left
    # out); 17–30 Aug, 31 Aug–13 Sep, 14–27 Sep met; 28 Sep–11 Oct not; 12–25 Oct met: 4/5.
    assert found.window.start == D(2025, 8, 3)
    assert found.value == pytest.approx(4 / 5)
    assert found.evidence[0].note == "school closed: outside the instructional year"


def test_a_weekly_team_is_held_to_weekly_periods() -> None:
    builder = HistoryBuilder(kind=TeamKind.INSTRUCTIONAL)
    builder.held_on(D(2025, 8, 19), D(2025, 8, 26), D(2025, 9, 9))
    found = result(builder, Code.CADENCE, as_of=D(2025, 9, 14))
    # Weeks from 18 Aug: 18–24, 25–31 Aug, 1–7 Sep (missed), 8–14 Sep: 3 of 4.
    assert found.detail == "3 of 4 one-week periods"


def test_a_monthly_team_meeting_every_month_meets_every_period() -> None:
    # Formed 25 Aug, after August's first school day (18 Aug): its months begin with
    # September. It met 10 Sep, 8 Oct and 12 Nov: every calendar month, 3 of 3 = 100%.
    builder = HistoryBuilder(kind=TeamKind.SIT, created=D(2025, 8, 25))
    builder.held_on(D(2025, 9, 10), D(2025, 10, 8), D(2025, 11, 12))
    found = result(builder, Code.CADENCE, as_of=D(2025, 11, 30))
    assert found.value == 1.0
    assert found.band == Band.STRONG
    assert found.detail == "3 of 3 calendar months"
    assert [item.label for item in found.evidence] == [
        "September 2025",
        "October 2025",
        "November 2025",
    ]
    assert [item.note for item in found.evidence] == [
        "met Wed 10 Sep",
        "met Wed 8 Oct",
        "met Wed 12 Nov",
    ]


def test_a_monthly_team_missing_a_month_meets_two_of_three() -> None:
    builder = HistoryBuilder(kind=TeamKind.SIT, created=D(2025, 8, 25))
    builder.held_on(D(2025, 9, 10), D(2025, 11, 12))
    found = result(builder, Code.CADENCE, as_of=D(2025, 11, 30))
    # September and November met, October did not: 2 of 3.
    assert found.value == pytest.approx(2 / 3)
    assert [item.counted for item in found.evidence] == [True, False, True]


def test_a_monthly_team_counts_only_complete_months() -> None:
    builder = HistoryBuilder(kind=TeamKind.SIT)
    builder.held_on(D(2025, 8, 20), D(2025, 9, 10), D(2025, 10, 8))
    # Formed long before: August counts from the year's first day (18 Aug), the days before
    # it being no school days. As of 30 Nov November is complete and unmet: 3 of 4; as of
    # 29 Nov it is not complete yet: 3 of 3.
    assert result(builder, Code.CADENCE, as_of=D(2025, 11, 30)).detail == ("3 of 4 calendar months")
    assert result(builder, Code.CADENCE, as_of=D(2025, 11, 29)).detail == ("3 of 3 calendar months")


# Full-length meetings ------------------------------------------------------------------


def test_length_is_the_median_of_recorded_lengths() -> None:
    builder = HistoryBuilder()
    builder.meeting(D(2025, 9, 3), lasted=90)
    builder.meeting(D(2025, 9, 17), lasted=70)
    builder.meeting(D(2025, 10, 1), lasted=85)
    builder.meeting(D(2025, 10, 15), lasted=None)
    builder.meeting(D(2025, 10, 29), status=MeetingStatus.CANCELLED, lasted=10)
    found = result(builder, Code.LENGTH)
    # Median of 90, 70, 85 is 85 (the unrecorded and the cancelled are left out).
    assert found.value == 85
    assert found.band == Band.STRONG  # >= 80
    assert found.detail == "median 85 minutes (standard 90)"
    assert [item.counted for item in found.evidence] == [True, False, True, None]
    assert found.evidence[3].note == "start or end not recorded"


def test_an_even_number_of_lengths_takes_the_middle_two() -> None:
    builder = HistoryBuilder()
    builder.meeting(D(2025, 9, 3), lasted=70)
    builder.meeting(D(2025, 9, 17), lasted=75)
    found = result(builder, Code.LENGTH)
    # (70 + 75) / 2 = 72.5 minutes: developing (60–80).
    assert found.value == 72.5
    assert found.band == Band.DEVELOPING
    assert found.detail == "median 72.5 minutes (standard 90)"


def test_length_of_one_meeting_is_not_enough() -> None:
    builder = HistoryBuilder()
    builder.meeting(D(2025, 9, 3), lasted=90)
    found = result(builder, Code.LENGTH)
    assert found.status == Status.NOT_ENOUGH_DATA
    assert found.reason == (
        "Only 1 held meeting with a recorded length in this window; at least 2 are needed."
    )


# Starting on time ----------------------------------------------------------------------


def test_a_start_within_five_minutes_is_on_time() -> None:
    builder = HistoryBuilder()
    for day, late in ((3, 0), (10, 5), (17, 6), (24, 20), (25, None)):
        builder.meeting(D(2025, 9, day), late=late)
    found = result(builder, Code.STARTS_ON_TIME)
    # 0 and 5 minutes late are on time, 6 and 20 are not, one start unrecorded: 2/4.
    assert found.value == 0.5
    assert found.band == Band.ATTENTION  # < 0.6
    assert [item.counted for item in found.evidence] == [True, True, False, False, None]
    assert found.evidence[2].note == "started 6 minutes late"
    assert found.evidence[4].note == "start not recorded"


# Members arriving on time ----------------------------------------------------------------


def test_punctuality_counts_members_expected_that_day() -> None:
    builder = HistoryBuilder()
    for user in (1, 2, 3, 4, 5):
        builder.member(user)
    builder.member(6, start=D(2025, 10, 1))  # joined in October
    first = builder.meeting(D(2025, 9, 3))
    builder.attend(first, on_time=[1, 2, 3, None], late=[4], excused=[5])
    second = builder.meeting(D(2025, 9, 17))
    builder.attend(second, on_time=[1, 2, 3, 4, 5, 9])  # 9 is not a member
    builder.meeting(D(2025, 10, 1))  # attendance never taken
    fourth = builder.meeting(D(2025, 10, 15))
    builder.attend(fourth, on_time=[1, 2, 6], absent=[3])  # no rows for 4 and 5
    found = result(builder, Code.PUNCTUALITY)
    # 3 Sep: 5 members less 1 excused = 4 expected, 3 on time (the guest not counted).
    # 17 Sep: 5 of 5 (the non-member ignored). 1 Oct: not taken. 15 Oct: 6 members,
    # 3 on time. (3 + 5 + 3) / (4 + 5 + 6) = 11/15.
    assert found.value == pytest.approx(11 / 15)
    assert found.band == Band.DEVELOPING  # 0.65 <= 0.733 < 0.85
    assert found.detail == "11 of 15 expected arrivals on time"
    notes = [item.note for item in found.evidence]
    assert notes == [
        "3 of 4 on time; 1 excused",
        "5 of 5 on time",
        "attendance not taken",
        "3 of 6 on time",
    ]
    assert [item.counted for item in found.evidence] == [False, True, None, False]


def test_punctuality_needs_three_meetings_with_attendance() -> None:
    builder = HistoryBuilder()
    builder.member(1)
    for day in (3, 17):
        builder.attend(builder.meeting(D(2025, 9, day)), on_time=[1])
    builder.meeting(D(2025, 10, 1))
    found = result(builder, Code.PUNCTUALITY)
    assert found.status == Status.NOT_ENOUGH_DATA
    assert found.reason == (
        "Only 2 held meetings with attendance taken in this window; at least 3 are needed."
    )


# Meeting roles -------------------------------------------------------------------------


def test_roles_needs_all_three_named() -> None:
    builder = HistoryBuilder()
    builder.meeting(D(2025, 9, 3))
    builder.meeting(D(2025, 9, 17), roles=(2, None, 4))
    builder.meeting(D(2025, 10, 1))
    builder.meeting(D(2025, 10, 15), roles=(None, None, None))
    builder.meeting(D(2025, 10, 29), status=MeetingStatus.CANCELLED, roles=(None, None, None))
    found = result(builder, Code.ROLES)
    # 2 of the 4 held meetings (the cancelled one does not count): 0.5, developing.
    assert found.value == 0.5
    assert found.band == Band.DEVELOPING
    assert found.detail == "2 of 4 meetings with all roles"
    assert found.evidence[1].note == "no recorder"
    assert found.evidence[3].note == "no facilitator, recorder or timekeeper"


# Shared facilitation -------------------------------------------------------------------


def test_the_principals_share_of_facilitation() -> None:
    builder = HistoryBuilder()
    builder.member(PRINCIPAL)
    for day, facilitator in ((3, PRINCIPAL), (10, PRINCIPAL), (17, 2), (24, 3), (25, None)):
        builder.meeting(D(2025, 9, day), roles=(facilitator, 3, 4))
    found = result(builder, Code.SHARED_FACILITATION)
    # The principal facilitated 2 of the 4 meetings with a facilitator: 0.5, and lower is
    # better, so 0.5 is strong.
    assert found.value == 0.5
    assert found.band == Band.STRONG
    assert found.secondary == "3 different facilitators"
    assert found.detail == "2 of 4 meetings facilitated by the principal"
    assert [item.counted for item in found.evidence] == [False, False, True, True, None]


def test_facilitation_reads_who_was_principal_on_the_day() -> None:
    builder = HistoryBuilder()
    builder.principals = [Span(PRINCIPAL, "principal", D(2020, 7, 1), D(2025, 9, 30))]
    builder.member(PRINCIPAL)
    for day in (D(2025, 9, 3), D(2025, 9, 17), D(2025, 10, 1), D(2025, 10, 15)):
        builder.meeting(day, roles=(PRINCIPAL, 3, 4))
    found = result(builder, Code.SHARED_FACILITATION)
    # Principal until 30 Sep: 2 of 4 meetings were led by the principal of the day.
    assert found.value == 0.5
    assert found.secondary == "1 different facilitator"


def test_a_district_team_measures_its_leads_share() -> None:
    builder = HistoryBuilder(kind=TeamKind.DISTRICT)
    builder.member(20, role=MemberRole.LEAD)
    builder.member(21)
    for day, facilitator in ((3, 20), (17, 20), (24, 21), (30, PRINCIPAL)):
        builder.meeting(D(2025, 9, day), roles=(facilitator, 3, 4))
    found = result(builder, Code.SHARED_FACILITATION)
    # The lead facilitated 2 of 4; the school principal counts for nothing here: 0.5.
    assert found.value == 0.5
    assert found.detail == "2 of 4 meetings facilitated by the team lead"
    assert found.evidence[0].note == "facilitated by the team lead"


def test_facilitation_above_the_developing_edge_needs_attention() -> None:
    builder = HistoryBuilder()
    builder.member(PRINCIPAL)
    for day in (3, 10, 17, 24, 30):
        builder.meeting(D(2025, 9, day), roles=(PRINCIPAL, 3, 4))
    builder.meeting(D(2025, 10, 1), roles=(2, 3, 4))
    found = result(builder, Code.SHARED_FACILITATION)
    # 5 of 6 by the principal: 0.833 > 0.8.
    assert found.value == pytest.approx(5 / 6)
    assert found.band == Band.ATTENTION


def test_a_team_without_the_principal_measures_its_leads_share() -> None:
    builder = HistoryBuilder(kind=TeamKind.INSTRUCTIONAL)
    builder.member(20, role=MemberRole.LEAD)
    builder.member(21)
    builder.member(22)
    for day, facilitator in ((3, 20), (10, 20), (17, 20), (24, 21), (30, 22)):
        builder.meeting(D(2025, 9, day), roles=(facilitator, 3, 4))
    found = result(builder, Code.SHARED_FACILITATION)
    # The principal is not on this grade-level team, so its lead is the leader: 3 of 5.
    assert found.value == pytest.approx(3 / 5)
    assert found.detail == "3 of 5 meetings facilitated by the team lead"
    assert [item.note for item in found.evidence] == [
        "facilitated by the team lead",
        "facilitated by the team lead",
        "facilitated by the team lead",
        "facilitated by another member",
        "facilitated by another member",
    ]


def test_the_principal_leads_a_team_only_while_on_it() -> None:
    builder = HistoryBuilder()
    builder.member(PRINCIPAL, start=D(2025, 9, 15))
    builder.member(20, role=MemberRole.LEAD)
    for day, facilitator in ((3, 20), (10, PRINCIPAL), (17, 20), (24, PRINCIPAL)):
        builder.meeting(D(2025, 9, day), roles=(facilitator, 3, 4))
    found = result(builder, Code.SHARED_FACILITATION)
    # Before 15 Sep the principal was not a member: the lead led on 3 Sep (leader), the
    # principal on 10 Sep (another member). From 15 Sep the principal is the leader: 24 Sep
    # counts, 17 Sep (the lead) does not. 2 of 4.
    assert found.value == 0.5
    assert [item.note for item in found.evidence] == [
        "facilitated by the team lead",
        "facilitated by another member",
        "facilitated by another member",
        "facilitated by the principal",
    ]
    assert found.detail == "2 of 4 meetings facilitated by the team lead or the principal"
