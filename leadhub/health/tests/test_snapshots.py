"""Writing monthly snapshots: what rows, for which months, replaced rather than added."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leadhub.health import snapshots
from leadhub.health.indicators import INDICATORS, Code
from leadhub.health.models import HealthSnapshot, IndicatorStandard, Status
from leadhub.health.snapshots import months_to_compute, snapshots_refresh
from leadhub.teams.models import TeamKind
from leadhub.teams.tests.factories import TeamFactory

INDICATOR_COUNT = len(INDICATORS)


def test_months_run_from_july_to_today_each_as_of_its_last_day() -> None:
    months = months_to_compute(dt.date(2026, 11, 22), "year")
    assert [item.month for item in months] == [
        dt.date(2026, 7, 1),
        dt.date(2026, 8, 1),
        dt.date(2026, 9, 1),
        dt.date(2026, 10, 1),
        dt.date(2026, 11, 1),
    ]
    assert [item.as_of for item in months] == [
        dt.date(2026, 7, 31),
        dt.date(2026, 8, 31),
        dt.date(2026, 9, 30),
        dt.date(2026, 10, 31),
        dt.date(2026, 11, 22),
    ]
    assert months_to_compute(dt.date(2027, 2, 28), "year")[-2].as_of == dt.date(2027, 1, 31)
    (current,) = months_to_compute(dt.date(2026, 11, 22), "current")
    assert (current.month, current.as_of) == (dt.date(2026, 11, 1), dt.date(2026, 11, 22))


def test_a_refresh_writes_one_row_per_team_month_and_indicator(world) -> None:
    ilt = world.objects["ilt"]
    today = timezone.localdate()
    months = months_to_compute(today, "year")

    written = snapshots_refresh([ilt.pk], today=today)

    rows = HealthSnapshot.objects.filter(team=ilt)
    assert written == rows.count() == len(months) * INDICATOR_COUNT
    assert set(rows.values_list("month", "as_of").distinct()) == {
        (item.month, item.as_of) for item in months
    }
    latest = rows.get(month=today.replace(day=1), indicator=Code.LENGTH)
    # The world's ILT held meetings of 86 minutes against a 90-minute standard.
    assert (latest.year_status, latest.year_value, latest.year_band) == (
        Status.MEASURED,
        86.0,
        "strong",
    )
    assert latest.year_detail == "median 86 minutes (standard 90)"
    assert (latest.district_id, latest.school_id, latest.hub_id) == (
        world.district.pk,
        world.school.pk,
        None,
    )
    assert latest.team_kind == TeamKind.ILT
    unmeasured = rows.get(month=today.replace(day=1), indicator=Code.GOAL_MONITORING)
    assert unmeasured.year_value is None and unmeasured.year_band == ""
    # The school's plan has goals, so the indicator counts, over too few meetings yet.
    assert unmeasured.year_detail.startswith("Only 2 held meetings")


def test_a_second_refresh_replaces_the_rows(world) -> None:
    ilt = world.objects["ilt"]
    first = snapshots_refresh([ilt.pk])
    first_computed = HealthSnapshot.objects.filter(team=ilt).values_list("computed_at", flat=True)[
        0
    ]

    second = snapshots_refresh([ilt.pk])

    rows = HealthSnapshot.objects.filter(team=ilt)
    assert first == second == rows.count()
    assert rows.values_list("computed_at", flat=True)[0] > first_computed


def test_the_current_month_alone_leaves_earlier_months_alone(world) -> None:
    ilt = world.objects["ilt"]
    today = timezone.localdate()
    snapshots_refresh([ilt.pk], today=today)
    earlier = set(
        HealthSnapshot.objects.filter(team=ilt, month__lt=today.replace(day=1)).values_list(
            "pk", flat=True
        )
    )

    written = snapshots_refresh([ilt.pk], today=today, months="current")

    assert written == INDICATOR_COUNT
    assert (
        set(
            HealthSnapshot.objects.filter(team=ilt, month__lt=today.replace(day=1)).values_list(
                "pk", flat=True
            )
        )
        == earlier
    )
    assert HealthSnapshot.objects.filter(team=ilt).count() == len(earlier) + INDICATOR_COUNT


def test_batches_carry_teams_of_different_districts_and_hub_teams(world, monkeypatch) -> None:
    monkeypatch.setattr(snapshots, "TEAMS_PER_BATCH", 2)
    far_team = TeamFactory(kind=TeamKind.SIT, school=world.other_school, name="Riverside SIT")
    teams = [world.objects["ilt"], world.objects["district_team"], world.objects["network"]]
    teams.append(far_team)

    written = snapshots_refresh([team.pk for team in teams], months="current")

    assert written == len(teams) * INDICATOR_COUNT
    places = set(
        HealthSnapshot.objects.filter(indicator=Code.CADENCE).values_list(
            "team_id", "district_id", "school_id", "hub_id", "team_kind"
        )
    )
    assert places == {
        (teams[0].pk, world.district.pk, world.school.pk, None, TeamKind.ILT),
        (teams[1].pk, world.district.pk, None, None, TeamKind.DISTRICT),
        (teams[2].pk, None, None, world.hub.pk, TeamKind.NETWORK),
        (far_team.pk, world.other_district.pk, world.other_school.pk, None, TeamKind.SIT),
    }


def test_a_district_adjustment_changes_the_band(world) -> None:
    ilt = world.objects["ilt"]
    IndicatorStandard.objects.create(
        district=world.district,
        team_kind=TeamKind.ILT,
        indicator=Code.LENGTH,
        expectation=120,
        strong=110,
        developing=100,
        min_data=2,
    )

    snapshots_refresh([ilt.pk], months="current")

    length = HealthSnapshot.objects.get(team=ilt, indicator=Code.LENGTH)
    assert (length.year_value, length.year_band) == (86.0, "attention")
    assert length.year_detail == "median 86 minutes (standard 120)"


def test_archived_teams_are_not_recomputed(world) -> None:
    archived = TeamFactory(
        kind=TeamKind.INSTRUCTIONAL, school=world.school, archived_on=timezone.localdate()
    )
    assert snapshots_refresh([archived.pk], months="current") == 0
    assert not HealthSnapshot.objects.filter(team=archived).exists()


def test_long_details_are_cut_to_the_column() -> None:
    result = snapshots.IndicatorResult(
        code=Code.ROLES,
        window=None,  # type: ignore[arg-type]
        status=Status.NOT_ENOUGH_DATA,
        reason="x" * 300,
    )
    detail = snapshots._detail(result)
    assert len(detail) == snapshots.DETAIL_LENGTH
    assert detail.endswith("…")


def test_the_number_of_queries_does_not_grow_with_teams(world) -> None:
    few = [world.objects["ilt"].pk, world.objects["grade3"].pk]
    many = [
        *few,
        *(TeamFactory(kind=TeamKind.INSTRUCTIONAL, school=world.school).pk for _ in range(6)),
    ]
    counts = []
    for team_ids in (few, many):
        with CaptureQueriesContext(connection) as queries:
            snapshots_refresh(team_ids, months="current")
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_command_reports_rows_and_time(world, capsys) -> None:
    call_command("health_refresh", "--team", str(world.objects["ilt"].pk), "--current-month")
    output = capsys.readouterr().out
    assert output.startswith(f"{INDICATOR_COUNT} snapshot rows written in ")
    assert output.rstrip().endswith(" s.")
