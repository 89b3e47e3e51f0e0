"""The monthly trend: snapshots of one team's indicator drawn for both windows."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from leadhub.health.indicators import Code, indicator
from leadhub.health.models import HealthSnapshot, Status
from leadhub.health.trend import MonthValues, team_trend, trend_from
from leadhub.teams.models import Team


def snapshot(
    team: Team,
    month: dt.date,
    code: str,
    *,
    year: float | None,
    recent: float | None,
) -> HealthSnapshot:
    def status(value: float | None) -> str:
        return Status.MEASURED if value is not None else Status.NOT_ENOUGH_DATA

    return HealthSnapshot.objects.create(
        team=team,
        district_id=team.district_id,
        school_id=team.school_id,
        hub_id=team.hub_id,
        team_kind=team.kind,
        month=month,
        as_of=month,
        indicator=code,
        year_status=status(year),
        year_value=year,
        recent_status=status(recent),
        recent_value=recent,
        computed_at=timezone.now(),
    )


def test_shares_are_drawn_as_percentages_on_a_whole_scale() -> None:
    months = [
        MonthValues(dt.date(2025, 9, 1), 0.5, 0.5),
        MonthValues(dt.date(2025, 10, 1), 0.75, 1.0),
    ]
    trend = trend_from(indicator(Code.CADENCE), months)
    assert trend.months == 2
    year, recent = trend.charts
    assert year.title == "Regular meetings: school year to date, at each month's end"
    assert recent.title == "Regular meetings: last 90 days, at each month's end"
    assert year.rows == [("Sep", "50%"), ("Oct", "75%")]
    assert recent.rows == [("Sep", "50%"), ("Oct", "100%")]
    assert year.description.startswith("Regular meetings (school year to date) rose from 50%")
    assert year.y_title == "Share"
    assert "<svg" in year.svg


def test_months_without_a_value_are_left_out_and_an_empty_window_has_no_chart() -> None:
    months = [
        MonthValues(dt.date(2025, 9, 1), None, None),
        MonthValues(dt.date(2025, 10, 1), 82.0, None),
        MonthValues(dt.date(2025, 11, 1), 88.4, None),
    ]
    trend = trend_from(indicator(Code.LENGTH), months)
    assert trend.months == 3
    (year,) = trend.charts
    assert year.rows == [("Oct", "82 min"), ("Nov", "88 min")]
    assert year.y_title == "Median minutes"


def test_a_rise_in_the_leaders_share_is_not_called_progress() -> None:
    months = [
        MonthValues(dt.date(2025, 9, 1), 0.4, 0.4),
        MonthValues(dt.date(2025, 10, 1), 0.6, 0.3),
    ]
    year, recent = trend_from(indicator(Code.SHARED_FACILITATION), months).charts
    assert year.description == (
        "Shared facilitation (school year to date) rose from 40% in Sep to 60% in Oct "
        "(a higher share for one leader is weaker)."
    )
    assert recent.description.endswith("(a lower share for one leader is stronger).")


def test_minutes_are_drawn_from_zero_to_the_standard_length() -> None:
    months = [
        MonthValues(dt.date(2025, 9, 1), 90.0, None),
        MonthValues(dt.date(2025, 10, 1), 90.0, None),
    ]
    (year,) = trend_from(indicator(Code.LENGTH), months, minutes_ceiling=90).charts
    ticks = re.findall(r">([^<>]+)</text>", str(year.svg))
    # A flat 90 minutes still gets a whole axis from 0, not a single tick.
    assert {"0", "40", "80"} <= set(ticks)


def test_no_snapshots_give_no_chart() -> None:
    trend = trend_from(indicator(Code.ROLES), [])
    assert (trend.months, trend.charts) == (0, ())


@pytest.mark.django_db
def test_team_trend_reads_one_indicator_of_one_team_from_the_start_month(world) -> None:
    ilt, grade3 = world.objects["ilt"], world.objects["grade3"]
    snapshot(ilt, dt.date(2025, 8, 1), Code.ROLES, year=0.1, recent=0.1)  # before the year
    snapshot(ilt, dt.date(2025, 10, 1), Code.ROLES, year=0.9, recent=0.8)
    snapshot(ilt, dt.date(2025, 9, 1), Code.ROLES, year=0.6, recent=None)
    snapshot(ilt, dt.date(2025, 9, 1), Code.CADENCE, year=0.2, recent=0.2)
    snapshot(grade3, dt.date(2025, 9, 1), Code.ROLES, year=0.3, recent=0.3)

    trend = team_trend(ilt.pk, Code.ROLES, since=dt.date(2025, 9, 2))

    assert trend.indicator.code == Code.ROLES
    assert trend.months == 2
    year, recent = trend.charts
    assert year.rows == [("Sep", "60%"), ("Oct", "90%")]
    assert recent.rows == [("Oct", "80%")]
