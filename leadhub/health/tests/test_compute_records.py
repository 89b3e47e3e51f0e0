"""Indicators read from what meetings produced: follow-through on action items and
closing the loop on decisions. As of Fri 31 Oct 2025 unless said otherwise."""

from __future__ import annotations

import datetime as dt

import pytest

from leadhub.health.indicators import Code
from leadhub.health.models import Status
from leadhub.health.results import EvidenceKind, WindowKey
from leadhub.health.standards import Band
from leadhub.health.tests.histories import HistoryBuilder, result
from leadhub.meetings.models import ActionStatus

D = dt.date
DONE = ActionStatus.DONE


def _actions() -> tuple[HistoryBuilder, dict[str, int]]:
    builder = HistoryBuilder()
    ids = {
        "early": builder.action(D(2025, 10, 1), status=DONE, completed_on=D(2025, 9, 30)),
        "on_the_day": builder.action(D(2025, 10, 1), status=DONE, completed_on=D(2025, 10, 1)),
        "late": builder.action(D(2025, 10, 8), status=DONE, completed_on=D(2025, 10, 10)),
        "open": builder.action(D(2025, 10, 15)),
        "dropped": builder.action(D(2025, 10, 15), status=ActionStatus.DROPPED),
        "due_today": builder.action(D(2025, 10, 31)),
        "done_after": builder.action(D(2025, 10, 20), status=DONE, completed_on=D(2025, 11, 3)),
        "last_year": builder.action(D(2025, 8, 1), status=DONE, completed_on=D(2025, 8, 1)),
    }
    return builder, ids


def test_follow_through_counts_items_done_by_their_date() -> None:
    builder, ids = _actions()
    found = result(builder, Code.FOLLOW_THROUGH)
    # Due in the year before today: early ✓, on the day ✓, 2 days late ✗, open ✗, dropped
    # (left out), completed 3 Nov (after 31 Oct) ✗. Due today: not yet counted. Due 1 Aug:
    # before the first school day. 2 of 5 = 0.4, needs attention (< 0.6).
    assert found.value == pytest.approx(0.4)
    assert found.band == Band.ATTENTION
    assert found.detail == "2 of 5 action items done by their date"
    by_record = {item.record_id: item for item in found.evidence}
    assert set(by_record) == {
        ids[key] for key in ("early", "on_the_day", "late", "open", "dropped", "done_after")
    }
    assert by_record[ids["late"]].note == "done 2 days late"
    assert by_record[ids["dropped"]].counted is None
    assert by_record[ids["done_after"]].note == "not done by its date"
    assert all(item.kind == EvidenceKind.ACTION for item in found.evidence)
    assert [item.day for item in found.evidence] == sorted(item.day for item in found.evidence)


def test_follow_through_as_of_an_earlier_day() -> None:
    builder, _ = _actions()
    found = result(builder, Code.FOLLOW_THROUGH, as_of=D(2025, 10, 16))
    # Due before 16 Oct: early ✓, on the day ✓, late ✗, open ✗ (the dropped one left out):
    # 2 of 4.
    assert found.value == 0.5


def test_follow_through_needs_three_items() -> None:
    builder = HistoryBuilder()
    builder.action(D(2025, 10, 1), status=DONE, completed_on=D(2025, 9, 30))
    builder.action(D(2025, 10, 2), status=ActionStatus.DROPPED)
    found = result(builder, Code.FOLLOW_THROUGH)
    assert found.status == Status.NOT_ENOUGH_DATA
    assert found.reason == "Only 1 action item due in this window; at least 3 are needed."


def _decisions() -> HistoryBuilder:
    builder = HistoryBuilder()
    meeting = builder.meeting(D(2025, 9, 17))
    builder.decision(
        meeting,
        (10, 11),
        ((10, D(2025, 10, 1), D(2025, 9, 30)), (11, D(2025, 10, 3), D(2025, 10, 2))),
    )
    builder.decision(
        meeting, (10, 11), ((10, D(2025, 10, 10), D(2025, 10, 9)), (11, D(2025, 10, 10), None))
    )
    builder.decision(meeting, (10,), ((10, D(2025, 10, 20), D(2025, 11, 2)),))
    builder.decision(meeting, (), ((10, D(2025, 10, 20), D(2025, 10, 20)),))  # no team
    builder.decision(meeting, (10,), ((10, D(2025, 10, 20), None),), meeting_held=False)
    builder.decision(meeting, (10,), ((10, D(2025, 11, 5), None),))  # due after today
    return builder


def test_closing_the_loop_needs_every_affected_team_reached() -> None:
    found = result(_decisions(), Code.CLOSING_THE_LOOP)
    # Both teams told ✓; one of two told ✗; told on 2 Nov, after 31 Oct ✗. The decision
    # with no affected team, the one from a meeting not held and the one due in November
    # are left out: 1 of 3.
    assert found.value == pytest.approx(1 / 3)
    assert found.band == Band.ATTENTION
    assert [item.note for item in found.evidence] == [
        "shared with every affected team",
        "shared with 1 of 2 teams",
        "shared with 0 of 1 team",
    ]
    # A decision's day is its last report-back's due date.
    assert [item.day for item in found.evidence] == [
        D(2025, 10, 3),
        D(2025, 10, 10),
        D(2025, 10, 20),
    ]


def test_closing_the_loop_later_counts_the_late_report_back() -> None:
    found = result(_decisions(), Code.CLOSING_THE_LOOP, as_of=D(2025, 11, 10))
    # By 10 Nov the 2 Nov report-back is shared; the 5 Nov decision is due and unshared.
    # ✓ ✗ ✓ ✗: 2 of 4.
    assert found.value == 0.5


def test_closing_the_loop_over_the_last_90_days() -> None:
    found = result(_decisions(), Code.CLOSING_THE_LOOP, window=WindowKey.RECENT)
    # The same three decisions fall in the 90 days from 3 Aug.
    assert found.detail == "1 of 3 decisions shared with every affected team"


def test_closing_the_loop_needs_two_decisions() -> None:
    builder = HistoryBuilder()
    meeting = builder.meeting(D(2025, 9, 17))
    builder.decision(meeting, (10,), ((10, D(2025, 10, 1), D(2025, 9, 30)),))
    found = result(builder, Code.CLOSING_THE_LOOP)
    assert found.status == Status.NOT_ENOUGH_DATA
    assert found.reason == (
        "Only 1 decision with report-backs due in this window; at least 2 are needed."
    )
