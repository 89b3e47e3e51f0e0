"""The recurrence rules schools use, on fixed dates (no database, no clock)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from leadhub.meetings.recurrence import (
    MONTHLY,
    OUTSIDE_YEAR,
    Rule,
    SchoolCalendar,
    SkipDays,
    describe,
    expand,
    format_ordinals,
    format_time_range,
    local_start,
    parse_ordinals,
    rule_dates,
    skipped,
)

WED, FRI = 2, 4
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def dates(*texts: str) -> list[dt.date]:
    return [d(t) for t in texts]


def test_every_two_weeks_is_the_default_and_counts_from_the_first_date() -> None:
    rule = Rule(weekday=WED, first_date=d("2026-09-02"))
    assert rule.interval_weeks == 2
    assert expand(rule, d("2026-09-01"), d("2026-10-31")) == dates(
        "2026-09-02", "2026-09-16", "2026-09-30", "2026-10-14", "2026-10-28"
    )


def test_counting_starts_at_the_first_weekday_on_or_after_the_first_date() -> None:
    # The first date is a Thursday: the first Wednesday after it is 9 September.
    rule = Rule(weekday=WED, first_date=d("2026-09-03"))
    assert expand(rule, d("2026-09-01"), d("2026-09-30")) == dates("2026-09-09", "2026-09-23")


def test_a_window_that_starts_mid_series_keeps_the_same_weeks() -> None:
    rule = Rule(weekday=WED, first_date=d("2026-09-02"))
    # 20 September falls in an "off" week: the next meeting is 30 September, not 23.
    assert expand(rule, d("2026-09-20"), d("2026-10-20")) == dates("2026-09-30", "2026-10-14")


def test_weekly() -> None:
    rule = Rule(weekday=WED, first_date=d("2026-09-02"), interval_weeks=1)
    assert expand(rule, d("2026-09-01"), d("2026-09-30")) == dates(
        "2026-09-02", "2026-09-09", "2026-09-16", "2026-09-23", "2026-09-30"
    )


def test_every_three_weeks() -> None:
    rule = Rule(weekday=WED, first_date=d("2026-09-02"), interval_weeks=3)
    assert expand(rule, d("2026-09-01"), d("2026-10-31")) == dates(
        "2026-09-02", "2026-09-23", "2026-10-14"
    )


def test_first_and_third_wednesday_of_the_month() -> None:
    rule = Rule(weekday=WED, first_date=d("2026-09-01"), pattern=MONTHLY, week_ordinals=(1, 3))
    assert expand(rule, d("2026-09-01"), d("2026-11-30")) == dates(
        "2026-09-02", "2026-09-16", "2026-10-07", "2026-10-21", "2026-11-04", "2026-11-18"
    )


def test_last_friday_of_the_month() -> None:
    rule = Rule(weekday=FRI, first_date=d("2026-09-01"), pattern=MONTHLY, week_ordinals=(-1,))
    assert expand(rule, d("2026-09-01"), d("2027-02-28")) == dates(
        "2026-09-25", "2026-10-30", "2026-11-27", "2026-12-25", "2027-01-29", "2027-02-26"
    )


def test_monthly_dates_respect_the_first_date_and_until() -> None:
    rule = Rule(
        weekday=WED,
        first_date=d("2026-09-10"),
        pattern=MONTHLY,
        week_ordinals=(1, 3),
        until=d("2026-10-10"),
    )
    assert rule_dates(rule, d("2026-09-01"), d("2026-12-31")) == dates("2026-09-16", "2026-10-07")


CALENDAR = SchoolCalendar(
    year=2027,
    first_day=d("2026-08-20"),
    last_day=d("2027-06-04"),
    closed={d("2026-12-23"): "Winter break", d("2026-12-30"): "Winter break"},
)


def test_non_instructional_days_are_skipped_with_their_reason() -> None:
    rule = Rule(weekday=WED, first_date=d("2026-12-02"), interval_weeks=1)
    skip = SkipDays(calendars=(CALENDAR,))
    assert expand(rule, d("2026-12-01"), d("2027-01-10"), skip) == dates(
        "2026-12-02", "2026-12-09", "2026-12-16", "2027-01-06"
    )
    assert skipped(rule, d("2026-12-01"), d("2027-01-10"), skip) == [
        (d("2026-12-23"), "Winter break"),
        (d("2026-12-30"), "Winter break"),
    ]


def test_days_outside_the_instructional_year_are_skipped_when_the_calendar_is_known() -> None:
    rule = Rule(weekday=WED, first_date=d("2026-08-05"), interval_weeks=1)
    skip = SkipDays(calendars=(CALENDAR,))
    # Before the first day (20 August) and after the last (4 June): no meetings.
    assert expand(rule, d("2026-08-01"), d("2026-08-31"), skip) == dates("2026-08-26")
    assert skip.reason(d("2026-08-19")) == OUTSIDE_YEAR
    assert expand(rule, d("2027-06-01"), d("2027-06-20"), skip) == dates("2027-06-02")
    # The next school year has no calendar yet: LeadHub cannot know its days off.
    assert expand(rule, d("2027-07-01"), d("2027-07-15"), skip) == dates("2027-07-07", "2027-07-14")


def test_a_three_thirty_meeting_stays_at_three_thirty_across_the_fall_time_change() -> None:
    rule = Rule(weekday=WED, first_date=d("2026-10-21"), interval_weeks=1)
    days = expand(rule, d("2026-10-21"), d("2026-11-11"))
    starts = [local_start(day, dt.time(15, 30), "America/Chicago") for day in days]
    assert [s.astimezone(CHICAGO).time() for s in starts] == [dt.time(15, 30)] * 4
    # Daylight time ends on 1 November 2026: the UTC hour moves, the local hour does not.
    assert [s.astimezone(dt.UTC).hour for s in starts] == [20, 20, 21, 21]
    assert starts[1].utcoffset() == dt.timedelta(hours=-5)
    assert starts[2].utcoffset() == dt.timedelta(hours=-6)


def test_the_spring_time_change_keeps_local_time() -> None:
    before = local_start(d("2027-03-10"), dt.time(15, 30), CHICAGO)
    after = local_start(d("2027-03-17"), dt.time(15, 30), CHICAGO)
    assert before.astimezone(dt.UTC).time() == dt.time(21, 30)
    assert after.astimezone(dt.UTC).time() == dt.time(20, 30)
    # 2:30 am does not exist on 14 March 2027 in Chicago: it becomes 3:30 am daylight time.
    gap = local_start(d("2027-03-14"), dt.time(2, 30), CHICAGO)
    assert (gap.hour, gap.minute, gap.utcoffset()) == (3, 30, dt.timedelta(hours=-5))


def test_the_rule_in_plain_words() -> None:
    every_two = Rule(weekday=WED, first_date=d("2026-09-02"))
    assert (
        describe(every_two, dt.time(15, 30), 90)
        == "Every 2 weeks on Wednesday, 3:30–5:00 pm, skipping non-instructional days"
    )
    weekly = Rule(weekday=1, first_date=d("2026-09-01"), interval_weeks=1)
    assert (
        describe(weekly, dt.time(7, 45), 45, skip_non_instructional=False)
        == "Every Tuesday, 7:45–8:30 am"
    )
    first_third = Rule(
        weekday=WED, first_date=d("2026-09-01"), pattern=MONTHLY, week_ordinals=(3, 1)
    )
    assert describe(first_third, dt.time(11, 30), 90, skip_non_instructional=False) == (
        "The 1st and 3rd Wednesday of each month, 11:30 am–1:00 pm"
    )
    last = Rule(weekday=FRI, first_date=d("2026-09-01"), pattern=MONTHLY, week_ordinals=(-1, 2))
    assert describe(last, dt.time(12, 0), 60).startswith(
        "The 2nd and last Friday of each month, 12:00–1:00 pm"
    )


def test_time_ranges() -> None:
    assert format_time_range(dt.time(15, 30), 90) == "3:30–5:00 pm"
    assert format_time_range(dt.time(11, 30), 90) == "11:30 am–1:00 pm"
    assert format_time_range(dt.time(7, 0), 60) == "7:00–8:00 am"


def test_weeks_of_the_month_are_read_and_written_in_order() -> None:
    assert parse_ordinals("3,1") == (1, 3)
    assert parse_ordinals("-1,2") == (2, -1)
    assert format_ordinals([-1, 3, 1]) == "1,3,-1"
    with pytest.raises(ValueError):
        parse_ordinals("5")


def test_rules_refuse_nonsense() -> None:
    with pytest.raises(ValueError):
        Rule(weekday=7, first_date=d("2026-09-01"))
    with pytest.raises(ValueError):
        Rule(weekday=WED, first_date=d("2026-09-01"), interval_weeks=0)
    with pytest.raises(ValueError):
        Rule(weekday=WED, first_date=d("2026-09-01"), pattern=MONTHLY)
