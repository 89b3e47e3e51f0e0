"""Who reads which measures and values, and who may change them (measures/access.py)."""

from __future__ import annotations

import pytest

from leadhub.core.access import AccessNotFound
from leadhub.measures.access import (
    Series,
    SeriesKind,
    hub_values_visible,
    measure_can_edit,
    measure_places_for,
    measure_value_get_for_user,
    measure_values_visible_to,
    measures_visible_to,
    recompute_can,
    series_access,
    series_default_for,
    series_fits,
    series_from_token,
    series_get_for_user,
)
from leadhub.measures.models import MeasureLevel, MeasureSource
from leadhub.measures.tests.factories import MeasureFactory, MeasureValueFactory

pytestmark = pytest.mark.django_db

LINCOLN_READERS = {
    "state_admin",
    "evaluator",
    "hub_director",
    "hub_coach",
    "district_leader",
    "principal",
    "assistant_principal",
    "teacher",
    "instructional_coach",
}


def lincoln(world) -> Series:
    return Series(SeriesKind.SCHOOL, world.district, school=world.school)


def test_lincolns_figures_are_read_by_its_staff_leaders_serving_hub_and_state(world) -> None:
    measure = world.objects["computed_measure"]
    readers = {
        name
        for name, person in world.people.items()
        if series_access(person, measure, lincoln(world)).read
    }
    assert readers == LINCOLN_READERS


def test_values_visible_match_the_series_gate(world) -> None:
    value_ids = set(
        world.objects["computed_measure"]
        .values.filter(school=world.school)
        .values_list("pk", flat=True)
    )
    for name, person in world.people.items():
        visible = set(measure_values_visible_to(person).values_list("pk", flat=True))
        assert (value_ids <= visible) == (name in LINCOLN_READERS), name
        assert not (value_ids & visible) or name in LINCOLN_READERS, name


def test_a_teams_values_follow_the_team_gate(world) -> None:
    team_values = set(world.objects["team_measure"].values.values_list("pk", flat=True))
    grade3_readers = {
        "principal",
        "assistant_principal",
        "teacher",
        "instructional_coach",
        "district_leader",
        "hub_director",
        "hub_coach",
    }
    for name, person in world.people.items():
        visible = set(measure_values_visible_to(person).values_list("pk", flat=True))
        assert (team_values <= visible) == (name in grade3_readers), name


def test_district_values_are_for_leaders_the_serving_hub_and_the_state(world) -> None:
    measure = MeasureFactory(district=world.district, level=MeasureLevel.DISTRICT)
    series = Series(SeriesKind.DISTRICT, world.district)
    readers = {
        name for name, person in world.people.items() if series_access(person, measure, series).read
    }
    assert readers == {"state_admin", "evaluator", "hub_director", "hub_coach", "district_leader"}


def test_measures_are_seen_across_their_district_and_the_state_wide_by_everyone(world) -> None:
    state_wide = MeasureFactory(district=None, name="Chronic absence")
    computed = world.objects["computed_measure"]
    outsider = world.people["outsider"]
    assert state_wide in measures_visible_to(outsider)
    assert computed not in measures_visible_to(outsider)
    assert computed in measures_visible_to(world.people["other_school_teacher"])
    # A team's own measure is for those who read the team.
    team_measure = world.objects["team_measure"]
    assert team_measure in measures_visible_to(world.people["teacher"])
    assert team_measure not in measures_visible_to(world.people["other_school_teacher"])


def test_out_of_reach_series_answer_not_found(world) -> None:
    measure = world.objects["computed_measure"]
    with pytest.raises(AccessNotFound):
        series_get_for_user(world.people["other_school_teacher"], measure, lincoln(world))
    other = Series(SeriesKind.SCHOOL, world.other_district, school=world.other_school)
    with pytest.raises(AccessNotFound):
        series_get_for_user(world.people["state_admin"], measure, other)  # not the measure's


def test_a_series_fits_its_measures_kind_and_place(world) -> None:
    team_measure = world.objects["team_measure"]
    grade3 = series_from_token(f"team-{world.objects['grade3'].pk}")
    grade5 = series_from_token(f"team-{world.objects['grade5'].pk}")
    assert grade3 is not None and grade5 is not None
    assert series_fits(team_measure, grade3)
    assert not series_fits(team_measure, grade5)
    assert not series_fits(team_measure, lincoln(world))
    assert series_from_token("school-x") is None
    assert series_from_token(f"team-{world.objects['network'].pk}") is None  # no district


def test_the_default_series_is_the_readers_own_school_or_none(world) -> None:
    measure = world.objects["computed_measure"]
    assert series_default_for(world.people["teacher"], measure) == lincoln(world)
    douglass = series_default_for(world.people["other_school_teacher"], measure)
    assert douglass is not None and douglass.school == world.sibling_school
    assert series_default_for(world.people["hub_coach"], measure) is None


def test_who_changes_a_schools_series(world) -> None:
    attendance = world.objects["attendance_measure"]
    managers = {
        name
        for name, person in world.people.items()
        if series_access(person, attendance, lincoln(world)).enter
    }
    assert managers == {"state_admin", "district_leader", "principal", "assistant_principal"}


def test_computed_values_are_never_entered_but_leaders_recompute(world) -> None:
    computed = world.objects["computed_measure"]
    principal = series_access(world.people["principal"], computed, lincoln(world))
    assert principal.manage and not principal.enter and not principal.recompute
    leader = series_access(world.people["district_leader"], computed, lincoln(world))
    assert leader.recompute and not leader.enter
    assert recompute_can(world.people["district_leader"], world.district)
    assert not recompute_can(world.people["principal"], world.district)


def test_a_teams_series_is_changed_by_those_who_record_for_it(world) -> None:
    team_measure = world.objects["team_measure"]
    series = series_from_token(f"team-{world.objects['grade3'].pk}")
    assert series is not None
    enter = {
        name
        for name, person in world.people.items()
        if series_access(person, team_measure, series).enter
    }
    assert enter == {"teacher", "principal"}


def test_where_people_may_define_measures(world) -> None:
    principal = measure_places_for(world.people["principal"])
    assert [s.name for s in principal.schools] == ["Lincoln Elementary"]
    assert not principal.districts and not principal.state_wide and not principal.computed_allowed
    teacher = measure_places_for(world.people["teacher"])
    assert not teacher.schools
    assert {t.name for t in teacher.teams} == {"Lincoln ILT", "Grade 3 team"}
    leader = measure_places_for(world.people["district_leader"])
    assert leader.districts == (world.district,) and leader.computed_allowed
    assert measure_places_for(world.people["state_admin"]).state_wide
    assert not measure_places_for(world.people["hub_director"])


def test_who_edits_a_measure(world) -> None:
    attendance = world.objects["attendance_measure"]
    editors = {name for name, p in world.people.items() if measure_can_edit(p, attendance)}
    assert editors == {"state_admin", "district_leader"}
    school_measure = MeasureFactory(
        district=world.district, school=world.school, source=MeasureSource.ENTERED
    )
    editors = {name for name, p in world.people.items() if measure_can_edit(p, school_measure)}
    assert editors == {"state_admin", "district_leader", "principal", "assistant_principal"}


def test_a_hubs_comparison_is_for_its_director_coaches_and_the_state(world) -> None:
    readers = {name for name, p in world.people.items() if hub_values_visible(p, world.hub)}
    assert readers == {"state_admin", "evaluator", "hub_director", "hub_coach"}


def test_one_value_through_the_gate(world) -> None:
    value = MeasureValueFactory(measure=world.objects["attendance_measure"], school=world.school)
    assert measure_value_get_for_user(world.people["teacher"], value.pk) == value
    with pytest.raises(AccessNotFound):
        measure_value_get_for_user(world.people["other_school_teacher"], value.pk)
