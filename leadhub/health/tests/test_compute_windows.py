"""The whole picture: windows, a team with no or one meeting, a past "as of" day, labels."""

from __future__ import annotations

import datetime as dt

from leadhub.health.compute import day_label, history_span, span_label, team_health
from leadhub.health.indicators import INDICATORS, Code
from leadhub.health.models import Status
from leadhub.health.results import WindowKey
from leadhub.health.tests.histories import OCT_31, HistoryBuilder, result, standard
from leadhub.meetings.recurrence import SkipDays

D = dt.date


def test_history_span_covers_both_windows() -> None:
    # Late October: the school year (from 1 Jul) reaches further back than 90 days.
    assert history_span(OCT_31) == (D(2025, 7, 1), OCT_31)
    # Early August: the 90 days reach back into the previous school year.
    assert history_span(D(2025, 8, 10)) == (D(2025, 5, 13), D(2025, 8, 10))


def test_the_year_starts_on_the_calendars_first_day() -> None:
    health = team_health(HistoryBuilder().build(), standard(), as_of=OCT_31)
    year, recent = health.windows
    assert (year.key, year.start, year.end) == (WindowKey.YEAR, D(2025, 8, 18), OCT_31)
    # 31 Oct less 89 days: 3 Aug (90 days counting both ends).
    assert (recent.key, recent.start, recent.end) == (WindowKey.RECENT, D(2025, 8, 3), OCT_31)


def test_without_a_calendar_the_year_starts_on_1_july() -> None:
    health = team_health(HistoryBuilder(skip=SkipDays()).build(), standard(), as_of=OCT_31)
    assert health.windows[0].start == D(2025, 7, 1)


def test_no_meetings_gives_not_enough_data_with_a_reason() -> None:
    health = team_health(HistoryBuilder().build(), standard(), as_of=OCT_31)
    assert len(health.results) == 2 * len(INDICATORS)
    for window in WindowKey:
        results = health.for_window(window)
        assert [item.code for item in results] == [item.code for item in INDICATORS]
        for item in results:
            if item.code in (Code.CADENCE, Code.GOAL_MONITORING):
                continue
            assert item.status == Status.NOT_ENOUGH_DATA
            assert item.value is None and item.band is None
            assert item.reason.startswith("No ")
    roles = health.result(Code.ROLES)
    assert roles.reason == "No held meetings in this window; at least 3 are needed."
    assert health.result(Code.GOAL_MONITORING).status == Status.NO_DATA_YET


def test_one_meeting_is_shown_but_not_enough() -> None:
    builder = HistoryBuilder()
    meeting = builder.meeting(D(2025, 10, 1), title="ILT")
    found = result(builder, Code.ROLES)
    assert found.status == Status.NOT_ENOUGH_DATA
    assert found.reason == "Only 1 held meeting in this window; at least 3 are needed."
    (evidence,) = found.evidence
    assert evidence.meeting_id == meeting
    assert (evidence.day, evidence.label) == (D(2025, 10, 1), "ILT")
    assert evidence.counted is True


def test_three_meetings_reach_the_minimum() -> None:
    builder = HistoryBuilder()
    builder.held_on(D(2025, 9, 3), D(2025, 9, 17), D(2025, 10, 1))
    assert result(builder, Code.ROLES).status == Status.MEASURED


def test_a_past_day_ignores_later_records() -> None:
    builder = HistoryBuilder()
    builder.held_on(D(2025, 9, 3), D(2025, 9, 17), D(2025, 10, 1), D(2025, 10, 15))
    builder.meeting(D(2025, 10, 29), roles=(None, None, None))
    # As of 20 Oct the 29 Oct meeting has not happened: 4 of 4 with all roles.
    earlier = result(builder, Code.ROLES, as_of=D(2025, 10, 20))
    assert earlier.value == 1
    assert result(builder, Code.ROLES).value == 0.8  # 4 of 5 by 31 Oct


def test_the_recent_window_leaves_out_older_meetings() -> None:
    builder = HistoryBuilder()
    builder.meeting(D(2025, 8, 20), roles=(None, None, None))
    builder.held_on(D(2025, 9, 3), D(2025, 9, 17), D(2025, 10, 1))
    # Year: 3 of 4. The 90 days to 1 Dec start on 3 Sep: 3 of 3.
    as_of = D(2025, 12, 1)
    assert result(builder, Code.ROLES, as_of=as_of).value == 0.75
    assert result(builder, Code.ROLES, as_of=as_of, window=WindowKey.RECENT).value == 1


def test_labels_read_as_people_write_dates() -> None:
    assert day_label(D(2025, 9, 9)) == "Tue 9 Sep"
    assert span_label(D(2025, 9, 2), D(2025, 9, 13)) == "2–13 Sep"
    assert span_label(D(2025, 9, 29), D(2025, 10, 12)) == "29 Sep–12 Oct"
