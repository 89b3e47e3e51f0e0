"""Reading snapshots across a school, a district and a hub: what is shown and in what order."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from leadhub.health import across
from leadhub.health.across import Filters
from leadhub.health.indicators import INDICATORS, Code
from leadhub.health.models import HealthSnapshot, Status
from leadhub.teams.models import Team, TeamKind
from leadhub.teams.tests.factories import TeamFactory

MONTH = timezone.localdate().replace(day=1)


def snapshot(
    team: Team,
    indicator: str = Code.CADENCE,
    value: float | None = 0.5,
    band: str = "developing",
    *,
    month: dt.date = MONTH,
    recent_value: float | None = None,
    recent_band: str = "",
) -> HealthSnapshot:
    """A snapshot row as the refresh would write it (a value and band only when measured)."""
    year_measured = value is not None
    recent_measured = recent_value is not None
    return HealthSnapshot.objects.create(
        team=team,
        district_id=team.district_id,
        school_id=team.school_id,
        hub_id=team.hub_id,
        team_kind=team.kind,
        month=month,
        as_of=month + dt.timedelta(days=20),
        indicator=indicator,
        year_status=Status.MEASURED if year_measured else Status.NOT_ENOUGH_DATA,
        year_value=value,
        year_band=band if year_measured else "",
        year_detail=f"{value} of the periods" if year_measured else "Only 1 held meeting.",
        recent_status=Status.MEASURED if recent_measured else Status.NOT_ENOUGH_DATA,
        recent_value=recent_value,
        recent_band=recent_band,
        computed_at=timezone.now(),
    )


def test_a_school_lists_its_active_teams_ilt_first_with_every_indicator(world) -> None:
    ilt, grade3 = world.objects["ilt"], world.objects["grade3"]
    snapshot(ilt, Code.LENGTH, 86, "strong", recent_value=70, recent_band="developing")
    snapshot(grade3, Code.LENGTH, 40, "attention")
    snapshot(ilt, Code.LENGTH, 10, "attention", month=MONTH - dt.timedelta(days=40))

    health = across.school_health(world.school)

    assert health.month == MONTH
    assert health.teams[0] == ilt
    assert {team.pk for team in health.teams} >= {ilt.pk, grade3.pk, world.objects["sit"].pk}
    assert [row.indicator.code for row in health.rows] == [item.code for item in INDICATORS]
    length = next(row for row in health.rows if row.indicator.code == Code.LENGTH)
    cell = length.cells[health.teams.index(ilt)]
    assert cell is not None
    assert (cell.year.value_text, cell.year.band_label) == ("86 of 90 min", "Strong")
    assert (cell.recent.value_text, cell.recent.band_label) == ("70 of 90 min", "Developing")
    cadence = next(row for row in health.rows if row.indicator.code == Code.CADENCE)
    assert cadence.cells[health.teams.index(ilt)] is None
    assert world.objects["sit"] in health.not_computed
    assert ilt not in health.not_computed


def test_a_school_without_snapshots_has_no_month(world) -> None:
    health = across.school_health(world.sibling_school)
    assert health.month is None and health.as_of is None


def test_worst_first_puts_needs_attention_first_and_unmeasured_last(world) -> None:
    teams = [TeamFactory(kind=TeamKind.INSTRUCTIONAL, school=world.school) for _ in range(4)]
    snapshot(teams[0], value=0.95, band="strong")
    snapshot(teams[1], value=0.5, band="attention")
    snapshot(teams[2], value=None)
    snapshot(teams[3], value=0.75, band="developing")
    place = across.district_place(world.district)

    worst = across.chosen_rows(place, MONTH, Filters())
    best = across.chosen_rows(place, MONTH, Filters(order="best"))

    assert [row.team_id for row in worst] == [teams[1].pk, teams[3].pk, teams[0].pk, teams[2].pk]
    assert [row.team_id for row in best] == [teams[0].pk, teams[3].pk, teams[1].pk, teams[2].pk]


def test_lower_is_better_sorts_the_highest_share_first_when_worst(world) -> None:
    one, two = (TeamFactory(kind=TeamKind.INSTRUCTIONAL, school=world.school) for _ in range(2))
    snapshot(one, Code.SHARED_FACILITATION, 0.9, "attention")
    snapshot(two, Code.SHARED_FACILITATION, 0.95, "attention")
    filters = Filters(indicator=Code.SHARED_FACILITATION)

    rows = across.chosen_rows(across.district_place(world.district), MONTH, filters)

    assert [row.team_id for row in rows] == [two.pk, one.pk]


def test_filters_narrow_by_kind_band_school_and_window(world) -> None:
    ilt, grade3 = world.objects["ilt"], world.objects["grade3"]
    sibling = TeamFactory(kind=TeamKind.INSTRUCTIONAL, school=world.sibling_school)
    snapshot(ilt, value=0.95, band="strong", recent_value=0.4, recent_band="attention")
    snapshot(grade3, value=0.5, band="attention")
    snapshot(sibling, value=0.5, band="attention")
    place = across.district_place(world.district)

    def team_ids(**chosen: object) -> set[int]:
        return {row.team_id for row in across.chosen_rows(place, MONTH, Filters(**chosen))}  # type: ignore[arg-type]

    assert team_ids() == {ilt.pk, grade3.pk, sibling.pk}
    assert team_ids(kind=TeamKind.ILT) == {ilt.pk}
    assert team_ids(band="attention") == {grade3.pk, sibling.pk}
    assert team_ids(band="attention", window="recent") == {ilt.pk}
    assert team_ids(band=across.NOT_MEASURED, window="recent") == {grade3.pk, sibling.pk}
    assert team_ids(school_id=world.sibling_school.pk) == {sibling.pk}


def test_band_counts_ignore_the_band_filter(world) -> None:
    snapshot(world.objects["ilt"], value=0.95, band="strong")
    snapshot(world.objects["grade3"], value=0.5, band="attention")
    snapshot(world.objects["grade5"], value=None)

    counts = across.band_counts(
        across.district_place(world.district), MONTH, Filters(band="strong")
    )

    assert [(count.band, count.count) for count in counts] == [
        ("strong", 1),
        ("developing", 0),
        ("attention", 1),
        (across.NOT_MEASURED, 1),
    ]


def test_a_hub_covers_its_served_districts_and_its_own_networks(world) -> None:
    network, far = world.objects["network"], TeamFactory(school=world.other_school)
    for team in (world.objects["ilt"], world.objects["district_team"], network, far):
        snapshot(team)

    place = across.hub_place(world.hub)

    assert place.districts == [world.district]
    found = {row.team_id for row in across.chosen_rows(place, MONTH, Filters())}
    assert found == {world.objects["ilt"].pk, world.objects["district_team"].pk, network.pk}
    narrowed = across.chosen_rows(place, MONTH, Filters(district_id=world.district.pk))
    assert network.pk not in {row.team_id for row in narrowed}


def test_archived_teams_are_left_out(world) -> None:
    gone = TeamFactory(kind=TeamKind.INSTRUCTIONAL, school=world.school)
    snapshot(gone)
    Team.objects.filter(pk=gone.pk).update(archived_on=timezone.localdate())

    place = across.district_place(world.district)

    assert across.latest_month(across.place_snapshots(place)) is None
    assert not across.chosen_rows(place, MONTH, Filters()).exists()


def test_strips_list_the_twelve_indicators_in_order(world) -> None:
    ilt = world.objects["ilt"]
    for item in reversed(INDICATORS):
        snapshot(ilt, item.code, 0.9, "strong")

    strip = across.strips([ilt.pk], MONTH, "year")[ilt.pk]

    assert [cell.indicator.code for cell in strip] == [item.code for item in INDICATORS]
    assert {cell.letter for cell in strip} == {"S"}


def test_export_rows_give_one_row_per_team_with_every_indicator(world) -> None:
    ilt, grade3 = world.objects["ilt"], world.objects["grade3"]
    snapshot(ilt, Code.CADENCE, 0.8123, "developing", recent_value=1.0, recent_band="strong")
    snapshot(ilt, Code.LENGTH, 86, "strong")
    snapshot(grade3, Code.CADENCE, None)
    place = across.district_place(world.district)

    rows = list(across.export_rows(place, MONTH, Filters()))
    by_team = {row.snapshot.team_id: row for row in rows}

    assert [row.snapshot.team_id for row in rows] == [ilt.pk, grade3.pk]  # the page's order
    assert by_team[ilt.pk].value(Code.CADENCE, "year") == "81%"
    assert by_team[ilt.pk].band(Code.CADENCE, "recent") == "Strong"
    assert by_team[ilt.pk].value(Code.LENGTH, "year") == "86 of 90 min"
    assert by_team[grade3.pk].value(Code.CADENCE, "year") == ""
    assert by_team[grade3.pk].band(Code.CADENCE, "year") == "Not enough data"
    assert by_team[grade3.pk].band(Code.LENGTH, "year") == ""
    only_developing = across.export_rows(place, MONTH, Filters(band="developing"))
    assert [row.snapshot.team_id for row in only_developing] == [ilt.pk]
