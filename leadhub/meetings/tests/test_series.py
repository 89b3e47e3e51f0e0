"""Series and single-meeting changes, on a fixed school year (2030–31) with a fixed "now"."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from leadhub.accounts.tests.factories import UserFactory
from leadhub.lib.concurrency import EditConflict
from leadhub.meetings.models import Meeting, MeetingSeries, MeetingStatus
from leadhub.meetings.services.series import (
    REMOVED_NOTE,
    meeting_cancel,
    meeting_create,
    meeting_reschedule,
    plan_series,
    series_create,
    series_update,
)
from leadhub.meetings.tests.factories import AgendaItemFactory
from leadhub.orgs.tests.factories import (
    DistrictCalendarFactory,
    DistrictFactory,
    NonInstructionalDayFactory,
    SchoolFactory,
    SchoolYearFactory,
)
from leadhub.teams.models import TeamKind
from leadhub.teams.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
WED, THU = 2, 3


def at(text: str, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(text), dt.time(hour, minute), CHICAGO)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


NOW0 = at("2030-09-01")  # a Sunday, before the first meeting
NOW1 = at("2030-10-01")  # a month in


@pytest.fixture
def team() -> Any:
    district = DistrictFactory(time_zone="America/Chicago")
    calendar = DistrictCalendarFactory(
        district=district,
        school_year=SchoolYearFactory(year=2031),
        first_day=d("2030-08-19"),
        last_day=d("2031-06-04"),
    )
    NonInstructionalDayFactory(
        calendar=calendar,
        start_date=d("2030-11-27"),
        end_date=d("2030-11-29"),
        label="Thanksgiving break",
    )
    NonInstructionalDayFactory(
        calendar=calendar,
        start_date=d("2030-12-23"),
        end_date=d("2031-01-03"),
        label="Winter break",
    )
    return TeamFactory(kind=TeamKind.ILT, school=SchoolFactory(district=district))


@pytest.fixture
def actor() -> Any:
    return UserFactory()


def every_two_weeks(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "pattern": MeetingSeries.Pattern.EVERY_N_WEEKS,
        "interval_weeks": 2,
        "weekday": WED,
        "week_ordinals": "",
        "start_time": dt.time(15, 30),
        "duration_minutes": 90,
        "first_date": d("2030-09-04"),
        "until": None,
        "location": "Library",
        "skip_non_instructional": True,
    }
    data.update(overrides)
    return data


def local_dates(series: MeetingSeries, **filters: Any) -> list[dt.date]:
    return [m.date for m in series.meetings.filter(**filters).order_by("scheduled_start")]


def meeting_on(series: MeetingSeries, day: str) -> Meeting:
    return next(m for m in series.meetings.all() if m.date == d(day))


def snapshot(meeting: Meeting) -> dict[str, Any]:
    meeting.refresh_from_db()
    return {
        name: getattr(meeting, name)
        for name in (
            "scheduled_start",
            "scheduled_minutes",
            "location",
            "status",
            "sequence",
            "version",
            "detached",
            "updated_at",
        )
    }


def hold(meeting: Meeting) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(
        status=MeetingStatus.HELD,
        actual_start=meeting.scheduled_start,
        actual_end=meeting.scheduled_end,
    )
    AgendaItemFactory(meeting=meeting, notes="What the team recorded.")


def test_a_new_series_meets_through_the_school_year_skipping_days_off(team, actor) -> None:
    series, plan = series_create(team, every_two_weeks(), actor, now=NOW0)
    dates = local_dates(series)
    assert dates[:8] == [
        d("2030-09-04"),
        d("2030-09-18"),
        d("2030-10-02"),
        d("2030-10-16"),
        d("2030-10-30"),
        d("2030-11-13"),
        # 27 November is Thanksgiving break, 25 December winter break.
        d("2030-12-11"),
        d("2031-01-08"),
    ]
    assert dates[-1] <= d("2031-06-04")  # the district calendar's last instructional day
    assert plan.end == d("2031-06-04")
    assert (d("2030-11-27"), "Thanksgiving break") in plan.skipped
    assert len(plan.create) == len(dates)
    meetings = list(series.meetings.all())
    assert {m.location for m in meetings} == {"Library"}
    assert {m.scheduled_minutes for m in meetings} == {90}
    assert {m.district_id for m in meetings} == {team.district_id}
    assert {m.sequence for m in meetings} == {0}
    assert {m.status for m in meetings} == {MeetingStatus.SCHEDULED}
    # Every meeting starts at 3:30 pm local time, before and after daylight time ends.
    assert {m.local_start.time() for m in meetings} == {dt.time(15, 30)}
    assert meeting_on(series, "2030-10-30").scheduled_start.astimezone(dt.UTC).hour == 20
    assert meeting_on(series, "2030-11-13").scheduled_start.astimezone(dt.UTC).hour == 21
    # Their history says who made them.
    history = Meeting.history.filter(id=meetings[0].pk).get()  # type: ignore[attr-defined]
    assert history.history_user == actor


def test_only_meetings_still_ahead_are_created(team, actor) -> None:
    series, _ = series_create(team, every_two_weeks(), actor, now=NOW1)
    assert local_dates(series)[0] == d("2030-10-02")


def test_until_ends_the_series_and_without_a_calendar_it_runs_to_30_june(actor) -> None:
    team = TeamFactory(kind=TeamKind.ILT)  # a district with no calendar for 2030–31
    series, plan = series_create(team, every_two_weeks(), actor, now=NOW0)
    dates = local_dates(series)
    assert plan.end == d("2031-06-30")
    assert dates[-1] == d("2031-06-25")
    assert d("2030-11-27") in dates  # no calendar: nothing known to skip
    short, _ = series_create(team, every_two_weeks(until=d("2030-10-16")), actor, now=NOW0)
    assert local_dates(short) == [
        d("2030-09-04"),
        d("2030-09-18"),
        d("2030-10-02"),
        d("2030-10-16"),
    ]


def test_first_and_third_wednesdays(team, actor) -> None:
    data = every_two_weeks(pattern=MeetingSeries.Pattern.MONTHLY, week_ordinals="1,3")
    series, _ = series_create(team, data, actor, now=NOW0)
    assert local_dates(series)[:6] == [
        d("2030-09-04"),
        d("2030-09-18"),
        d("2030-10-02"),
        d("2030-10-16"),
        d("2030-11-06"),
        d("2030-11-20"),
    ]


def test_editing_a_series_leaves_held_meetings_exactly_as_recorded(team, actor) -> None:
    """Acceptance: a series edit changes only future meetings that were not held."""
    series, _ = series_create(team, every_two_weeks(), actor, now=NOW0)
    held = meeting_on(series, "2030-09-04")
    hold(held)
    unrecorded_past = meeting_on(series, "2030-09-18")  # past, never marked held
    before = {m.pk: snapshot(m) for m in (held, unrecorded_past)}
    history_before = Meeting.history.filter(id=held.pk).count()  # type: ignore[attr-defined]

    plan = series_update(
        series,
        series.version,
        every_two_weeks(start_time=dt.time(16, 0), location="Room 104", duration_minutes=60),
        actor,
        now=NOW1,
    )

    assert {m.pk: snapshot(m) for m in (held, unrecorded_past)} == before
    assert Meeting.history.filter(id=held.pk).count() == history_before  # type: ignore[attr-defined]
    held.refresh_from_db()
    assert held.local_start.time() == dt.time(15, 30)
    assert held.location == "Library"
    assert held.agenda_items.get().notes == "What the team recorded."
    assert plan.held_kept == 1

    upcoming = list(series.meetings.filter(scheduled_start__gt=NOW1))
    assert upcoming and len(upcoming) == len(plan.update)
    assert {m.local_start.time() for m in upcoming} == {dt.time(16, 0)}
    assert {m.location for m in upcoming} == {"Room 104"}
    assert {m.scheduled_minutes for m in upcoming} == {60}
    assert {m.sequence for m in upcoming} == {1}
    series.refresh_from_db()
    assert series.location == "Room 104"
    assert series.version == 2


def test_a_moved_or_cancelled_meeting_is_left_alone_and_not_doubled(team, actor) -> None:
    series, _ = series_create(team, every_two_weeks(), actor, now=NOW0)
    moved = meeting_on(series, "2030-10-16")
    meeting_reschedule(
        moved,
        expected_version=moved.version,
        day=d("2030-10-17"),
        start_time=dt.time(15, 30),
        minutes=90,
        location="Library",
        actor=actor,
    )
    cancelled = meeting_on(series, "2030-10-30")
    meeting_cancel(cancelled, note="Parent conferences", actor=actor)
    moved_before, cancelled_before = snapshot(moved), snapshot(cancelled)

    series_update(series, series.version, every_two_weeks(location="Room 104"), actor, now=NOW1)

    assert snapshot(moved) == moved_before
    assert snapshot(cancelled) == cancelled_before
    dates = local_dates(series)
    # No new meeting on the date the moved meeting came from, none on the cancelled date.
    assert dates.count(d("2030-10-16")) == 0
    assert dates.count(d("2030-10-17")) == 1
    assert dates.count(d("2030-10-30")) == 1
    assert meeting_on(series, "2030-11-13").location == "Room 104"


def test_a_new_weekday_removes_empty_meetings_and_cancels_those_with_records(team, actor) -> None:
    series, _ = series_create(team, every_two_weeks(), actor, now=NOW0)
    with_agenda = meeting_on(series, "2030-11-13")
    AgendaItemFactory(meeting=with_agenda, title="Look at writing samples")
    empty = meeting_on(series, "2030-10-02")
    moved = meeting_on(series, "2030-10-16")
    meeting_reschedule(
        moved,
        expected_version=moved.version,
        day=d("2030-10-17"),
        start_time=dt.time(15, 30),
        minutes=90,
        location="Library",
        actor=actor,
    )

    plan = series_update(series, series.version, every_two_weeks(weekday=THU), actor, now=NOW1)

    assert not Meeting.objects.filter(pk=empty.pk).exists()
    with_agenda.refresh_from_db()
    assert with_agenda.status == MeetingStatus.CANCELLED
    assert with_agenda.sequence == 1
    assert with_agenda.cancellation_note == REMOVED_NOTE
    assert with_agenda.agenda_items.count() == 1  # nothing recorded is lost
    assert [m.pk for m in plan.cancel] == [with_agenda.pk]
    upcoming = series.meetings.filter(scheduled_start__gt=NOW1, status=MeetingStatus.SCHEDULED)
    thursdays = sorted(m.date for m in upcoming)
    assert {day.weekday() for day in thursdays} == {THU}
    # 17 October is already taken by the meeting moved there from the 16th.
    assert thursdays[:4] == [d("2030-10-03"), d("2030-10-17"), d("2030-10-31"), d("2030-11-14")]
    assert thursdays.count(d("2030-10-17")) == 1
    assert d("2030-11-28") not in thursdays  # Thanksgiving break


def test_a_meeting_cancelled_by_the_series_comes_back_when_its_date_returns(team, actor) -> None:
    series, _ = series_create(team, every_two_weeks(), actor, now=NOW0)
    kept = meeting_on(series, "2030-11-13")
    AgendaItemFactory(meeting=kept)
    series_update(series, series.version, every_two_weeks(weekday=THU), actor, now=NOW1)
    series.refresh_from_db()
    series_update(series, series.version, every_two_weeks(), actor, now=NOW1)
    kept.refresh_from_db()
    assert kept.status == MeetingStatus.SCHEDULED
    assert kept.sequence == 2
    assert local_dates(series).count(d("2030-11-13")) == 1
    assert (
        not series.meetings.filter(scheduled_start__gt=NOW1, status="scheduled")
        .exclude(
            scheduled_start__week_day=4  # Django: 4 is Wednesday
        )
        .exists()
    )


def test_a_shorter_series_removes_its_later_meetings(team, actor) -> None:
    series, _ = series_create(team, every_two_weeks(), actor, now=NOW0)
    plan = series_update(
        series, series.version, every_two_weeks(until=d("2030-12-31")), actor, now=NOW1
    )
    assert local_dates(series)[-1] == d("2030-12-11")
    assert plan.remove and not plan.cancel


def test_the_plan_previews_without_changing_anything(team, actor) -> None:
    series, _ = series_create(team, every_two_weeks(), actor, now=NOW0)
    count = series.meetings.count()
    series.start_time = dt.time(16, 0)
    plan = plan_series(series, now=NOW1)
    assert plan.changed_count == len(plan.update) > 0
    assert series.meetings.count() == count
    assert {m.sequence for m in series.meetings.all()} == {0}


def test_a_stale_series_edit_is_refused_and_changes_nothing(team, actor) -> None:
    series, _ = series_create(team, every_two_weeks(), actor, now=NOW0)
    stale = series.version
    series_update(series, stale, every_two_weeks(location="Room 104"), actor, now=NOW1)
    other = MeetingSeries.objects.get(pk=series.pk)
    with pytest.raises(EditConflict) as conflict:
        series_update(other, stale, every_two_weeks(location="Gym"), actor, now=NOW1)
    assert conflict.value.current.location == "Room 104"  # type: ignore[union-attr]
    assert set(
        series.meetings.filter(scheduled_start__gt=NOW1).values_list("location", flat=True)
    ) == {"Room 104"}


def test_moving_one_meeting(team, actor) -> None:
    series, _ = series_create(team, every_two_weeks(), actor, now=NOW0)
    meeting = meeting_on(series, "2030-11-13")
    uid = meeting.uid
    changed = meeting_reschedule(
        meeting,
        expected_version=meeting.version,
        day=d("2030-11-14"),
        start_time=dt.time(8, 0),
        minutes=60,
        location="Room 12",
        actor=actor,
    )
    assert changed
    meeting.refresh_from_db()
    assert meeting.uid == uid
    assert meeting.sequence == 1
    assert meeting.detached
    assert meeting.local_start == at("2030-11-14", 8, 0)
    assert (meeting.scheduled_minutes, meeting.location) == (60, "Room 12")
    # Moving it nowhere changes nothing.
    assert not meeting_reschedule(
        meeting,
        expected_version=meeting.version,
        day=d("2030-11-14"),
        start_time=dt.time(8, 0),
        minutes=60,
        location="Room 12",
        actor=actor,
    )


def test_a_held_meeting_cannot_be_moved_or_cancelled(team, actor) -> None:
    series, _ = series_create(team, every_two_weeks(), actor, now=NOW0)
    meeting = meeting_on(series, "2030-09-04")
    hold(meeting)
    meeting.refresh_from_db()
    before = snapshot(meeting)
    with pytest.raises(ValidationError, match="cannot be moved"):
        meeting_reschedule(
            meeting,
            expected_version=meeting.version,
            day=d("2030-09-05"),
            start_time=dt.time(15, 30),
            minutes=90,
            location="",
        )
    with pytest.raises(ValidationError, match="cannot be cancelled"):
        meeting_cancel(meeting, note="")
    assert snapshot(meeting) == before


def test_a_stale_move_is_refused(team, actor) -> None:
    series, _ = series_create(team, every_two_weeks(), actor, now=NOW0)
    meeting = meeting_on(series, "2030-11-13")
    stale = meeting.version
    meeting_cancel(Meeting.objects.get(pk=meeting.pk), note="Snow day", actor=actor)
    with pytest.raises(EditConflict):
        meeting_reschedule(
            meeting,
            expected_version=stale,
            day=d("2030-11-14"),
            start_time=dt.time(15, 30),
            minutes=90,
            location="Library",
        )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED


def test_cancelling_one_meeting(team, actor) -> None:
    series, _ = series_create(team, every_two_weeks(), actor, now=NOW0)
    meeting = meeting_on(series, "2030-11-13")
    meeting_cancel(meeting, note="Parent conferences", actor=actor)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.sequence == 1
    assert meeting.cancellation_note == "Parent conferences"
    with pytest.raises(ValidationError, match="already cancelled"):
        meeting_cancel(meeting)
    # Moving a cancelled meeting puts it back on.
    meeting_reschedule(
        meeting,
        expected_version=meeting.version,
        day=d("2030-11-13"),
        start_time=dt.time(15, 30),
        minutes=90,
        location="Library",
    )
    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence, meeting.cancellation_note) == ("scheduled", 2, "")


def test_a_one_off_meeting_is_held_in_the_teams_zone(actor) -> None:
    team = TeamFactory(
        kind=TeamKind.ILT,
        school=SchoolFactory(district=DistrictFactory(time_zone="America/Denver")),
    )
    meeting = meeting_create(
        team,
        day=d("2030-11-20"),
        start_time=dt.time(7, 30),
        minutes=45,
        location="Office",
        title="Data retreat",
        actor=actor,
    )
    assert meeting.series is None
    assert meeting.district_id == team.district_id
    assert meeting.scheduled_start.astimezone(dt.UTC) == dt.datetime(
        2030, 11, 20, 14, 30, tzinfo=dt.UTC
    )
    assert (meeting.title, meeting.scheduled_minutes, meeting.location) == (
        "Data retreat",
        45,
        "Office",
    )
