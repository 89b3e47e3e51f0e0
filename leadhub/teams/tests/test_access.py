"""Who reaches which team, and what of it: the team-level rules of teams.access."""

from __future__ import annotations

import pytest

from leadhub.teams.access import team_access, teams_visible_to

pytestmark = pytest.mark.django_db


def access(world, persona: str, team: str):
    return team_access(world.people.get(persona) or world.objects[persona], world.objects[team])


def test_school_staff_read_every_team_of_their_school_but_notes_only_of_their_own(world):
    grade5 = access(world, "teacher", "grade5")
    assert grade5.read and not grade5.read_notes and not grade5.record
    grade3 = access(world, "teacher", "grade3")
    assert grade3.read and grade3.read_notes and grade3.record and grade3.manage


def test_the_principal_reads_confidential_items_of_every_school_team(world):
    for team in ("ilt", "grade3", "grade5", "sit"):
        seen = access(world, "principal", team)
        assert seen.read_confidential and seen.manage


def test_a_teacher_at_a_sibling_school_and_an_outsider_see_nothing_of_the_school(world):
    for persona in ("other_school_teacher", "outsider", "state_admin", "evaluator"):
        assert not access(world, persona, "ilt").read


def test_a_community_member_reads_their_team_but_not_confidential_items(world):
    seen = access(world, "parent", "sit")
    assert seen.read and seen.read_notes
    assert not seen.read_confidential and not seen.record and not seen.manage
    assert not access(world, "parent", "ilt").read


def test_a_network_is_read_by_its_members_across_districts_and_by_its_hub(world):
    assert access(world, "outsider", "network").read
    assert access(world, "network_facilitator", "network").manage
    assert not access(world, "teacher", "network").read
    network = world.objects["network"]
    assert network in teams_visible_to(world.people["outsider"])
    assert network not in teams_visible_to(world.people["teacher"])


def test_hub_coaches_read_served_school_teams_without_their_working_notes(world):
    seen = access(world, "hub_coach", "ilt")
    assert seen.read and not seen.read_notes and not seen.record


def test_only_people_on_a_team_the_ilt_serves_may_propose_to_it(world):
    assert access(world, "teacher", "ilt").propose
    assert not access(world, "hub_coach", "ilt").propose
    assert not access(world, "district_leader", "ilt").propose


def test_the_list_matches_the_single_record_rule(world):
    for persona, user in world.people.items():
        listed = set(teams_visible_to(user).values_list("pk", flat=True))
        for key in ("ilt", "grade3", "grade5", "sit", "district_team", "network"):
            team = world.objects[key]
            assert (team.pk in listed) == team_access(user, team).read, (persona, key)
