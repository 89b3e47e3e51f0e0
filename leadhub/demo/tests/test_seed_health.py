"""Acceptance: on the demo state, healthy and unhealthy demo teams land in the bands their
generated patterns imply.

The tiny scale's four schools have fixed health profiles (improving, struggling, healthy,
mixed; ``leadhub.demo.teams``). ``leadhub.demo.meetings`` turns a profile's quality
(0 to 1) into the records: at the healthy school's quality (about 0.9) meetings are
almost never skipped or cancelled and start on time, run their full 90 minutes, have all
three roles named, are facilitated by the principal only one time in twenty, have their
agenda drafted at the end of the meeting before, spend most minutes on instruction, and
action items are done by their date. At the struggling school's (about 0.15) a quarter of
meetings never happen, the rest run an hour at most, the principal facilitates every one,
roles go unnamed and agendas are written on the day.

The comparison is made over the whole of last school year, as of its last day, so it
holds on any day the test runs: this year may have only a few meetings so far.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from leadhub.demo.teams import HEALTHY, IMPROVING, STRUGGLING, health_profile
from leadhub.health.indicators import BY_CODE, Code
from leadhub.health.models import HealthSnapshot, Status
from leadhub.health.results import IndicatorResult, TeamHealth, WindowKey
from leadhub.health.selectors import team_health_for
from leadhub.health.standards import Band
from leadhub.orgs.models import DistrictCalendar, School
from leadhub.orgs.schoolyears import school_year_of
from leadhub.surveys.builtin import TEAM_HEALTH
from leadhub.surveys.models import Administration, Phase
from leadhub.surveys.results import MINIMUM_ANSWERS
from leadhub.teams.models import Team, TeamKind

pytestmark = pytest.mark.django_db

# What the generator guarantees for a healthy team, and against which a struggling one fails.
GUARANTEED = (
    Code.CADENCE,
    Code.LENGTH,
    Code.STARTS_ON_TIME,
    Code.PUNCTUALITY,
    Code.ROLES,
    Code.SHARED_FACILITATION,
    Code.AGENDA_AHEAD,
    Code.INSTRUCTIONAL_FOCUS,
    Code.FOLLOW_THROUGH,
)
# Driven by quality too, but through rarer events (teachers' issues, report-backs).
SEPARATED = (Code.TEACHER_VOICE, Code.CLOSING_THE_LOOP)
# Where a struggling team's pattern leaves no doubt: the principal runs every meeting,
# which is at most an hour against the ILT's 90 minutes, roles unnamed, agendas late.
STRUGGLING_ATTENTION = (Code.LENGTH, Code.ROLES, Code.SHARED_FACILITATION, Code.AGENDA_AHEAD)
BAND_RANK = {Band.STRONG: 2, Band.DEVELOPING: 1, Band.ATTENTION: 0}


@pytest.fixture(scope="module", autouse=True)
def seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Seed once for the module, inside a transaction rolled back at its end; each test
    runs in a savepoint of it, as usual."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", "--scale", "tiny", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def school_with(profile_name: str) -> School:
    schools = School.objects.filter(district__parent_state__code="IL").order_by("pk")
    return next(s for s in schools if health_profile(s.state_id).name == profile_name)


def ilt_of(school: School) -> Team:
    return Team.objects.active().get(school=school, kind=TeamKind.ILT)


def last_year_end(school: School) -> dt.date:
    year = school_year_of(timezone.localdate()) - 1
    calendar = DistrictCalendar.objects.get(district_id=school.district_id, school_year_id=year)
    return calendar.last_day


def health_last_year(profile_name: str) -> TeamHealth:
    school = school_with(profile_name)
    return team_health_for(ilt_of(school), as_of=last_year_end(school))


def describe(result: IndicatorResult) -> str:
    return (
        f"{BY_CODE[result.code].name}: {result.status}, value {result.value}, band "
        f"{result.band}, {result.detail}"
    )


def better(code: str, ours: float, theirs: float) -> bool:
    return ours > theirs if BY_CODE[code].higher_is_better else ours < theirs


def test_the_healthy_ilt_is_strong_where_its_pattern_implies() -> None:
    health = health_last_year(HEALTHY.name)
    for code in GUARANTEED:
        result = health.result(code, WindowKey.YEAR)
        assert result.status == Status.MEASURED, describe(result)
        assert result.band == Band.STRONG, describe(result)
    for code in SEPARATED:
        result = health.result(code, WindowKey.YEAR)
        assert result.band in (Band.STRONG, Band.DEVELOPING), describe(result)


def test_the_struggling_ilt_is_never_strong_where_the_healthy_one_is() -> None:
    health = health_last_year(STRUGGLING.name)
    for code in GUARANTEED:
        result = health.result(code, WindowKey.YEAR)
        assert result.status == Status.MEASURED, describe(result)
        assert result.band in (Band.DEVELOPING, Band.ATTENTION), describe(result)
    for code in STRUGGLING_ATTENTION:
        result = health.result(code, WindowKey.YEAR)
        assert result.band == Band.ATTENTION, describe(result)


def test_every_measured_indicator_separates_the_healthy_from_the_struggling_ilt() -> None:
    healthy, struggling = health_last_year(HEALTHY.name), health_last_year(STRUGGLING.name)
    for code in (*GUARANTEED, *SEPARATED):
        ours, theirs = healthy.result(code, WindowKey.YEAR), struggling.result(code, WindowKey.YEAR)
        if ours.value is None or theirs.value is None:
            continue  # too few decisions or action items in a year to compare
        assert better(code, ours.value, theirs.value), f"{describe(ours)} | {describe(theirs)}"


def test_goal_monitoring_computes_now_that_schools_have_plans() -> None:
    """Acceptance 5: every demo school's plan has goals (leadhub.demo.plan_writer), so
    the ILTs' goal monitoring is measured; the healthy ILT brings goals to most meetings
    and is strong on it, the struggling one rarely does and is not."""
    healthy = health_last_year(HEALTHY.name).result(Code.GOAL_MONITORING, WindowKey.YEAR)
    struggling = health_last_year(STRUGGLING.name).result(Code.GOAL_MONITORING, WindowKey.YEAR)
    assert healthy.status == Status.MEASURED, describe(healthy)
    assert struggling.status == Status.MEASURED, describe(struggling)
    assert healthy.band == Band.STRONG, describe(healthy)
    assert struggling.band in (Band.DEVELOPING, Band.ATTENTION), describe(struggling)
    for name in (IMPROVING.name, HEALTHY.name, STRUGGLING.name):
        now = team_health_for(ilt_of(school_with(name)))
        result = now.result(Code.GOAL_MONITORING, WindowKey.YEAR)
        assert result.status != Status.NO_DATA_YET, describe(result)


def test_the_improving_ilt_is_better_in_the_last_90_days_than_over_last_year() -> None:
    school = school_with(IMPROVING.name)
    ilt = ilt_of(school)
    before = team_health_for(ilt, as_of=last_year_end(school)).for_window(WindowKey.YEAR)
    now = team_health_for(ilt).for_window(WindowKey.RECENT)
    then = {result.code: result for result in before}
    recent = {result.code: result for result in now}
    # The three the generator moves furthest as the school turns around.
    for code in (Code.ROLES, Code.LENGTH, Code.SHARED_FACILITATION):
        assert recent[code].value is not None and then[code].value is not None
        assert better(code, recent[code].value, then[code].value), (
            f"{describe(recent[code])} | last year {describe(then[code])}"
        )
    struggling = team_health_for(ilt_of(school_with(STRUGGLING.name)))
    recent_rank = sum(BAND_RANK.get(r.band, 0) for r in now if r.code in GUARANTEED)
    struggling_rank = sum(
        BAND_RANK.get(r.band, 0)
        for r in struggling.for_window(WindowKey.RECENT)
        if r.code in GUARANTEED
    )
    assert recent_rank > struggling_rank


def test_every_demo_team_has_its_snapshots_after_seeding() -> None:
    teams = Team.objects.active().filter(school__district__parent_state__code="IL")
    assert teams.exists()
    month = timezone.localdate().replace(day=1)
    with_current = set(
        HealthSnapshot.objects.filter(team__in=teams, month=month).values_list("team_id", flat=True)
    )
    assert with_current == set(teams.values_list("pk", flat=True))
    for team in teams:
        indicators = HealthSnapshot.objects.filter(team=team, month=month).values_list(
            "indicator", flat=True
        )
        assert sorted(indicators) == sorted(Code), team
    # The snapshot agrees with the live computation for the healthy ILT.
    ilt = ilt_of(school_with(HEALTHY.name))
    live = team_health_for(ilt)
    row = HealthSnapshot.objects.get(team=ilt, month=month, indicator=Code.ROLES)
    result = live.result(Code.ROLES, WindowKey.YEAR)
    assert (row.year_status, row.year_band or None) == (result.status, result.band)


def test_the_sign_in_schools_larger_teams_answered_the_self_assessment() -> None:
    school = school_with(IMPROVING.name)  # the sign-in school
    assessments = Administration.objects.filter(
        school=school, instrument__slug=TEAM_HEALTH, team__isnull=False
    )
    assert assessments.exists()
    now = timezone.now()
    for administration in assessments:
        assert administration.phase(now) == Phase.CLOSED
        assert administration.responses.count() >= MINIMUM_ANSWERS
        assert administration.invitations.filter(responded=True).count() == (
            administration.responses.count()
        )
    assert assessments.filter(team=ilt_of(school)).exists()
