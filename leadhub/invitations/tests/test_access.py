from __future__ import annotations

import pytest

from leadhub.invitations import access
from leadhub.invitations.models import INVITABLE_ROLES
from leadhub.orgs.models import School

pytestmark = pytest.mark.django_db


def invitable(world, persona: str, place) -> set[str]:
    person = world.people[persona]
    school = place if isinstance(place, School) else None
    district = school.district if school is not None else place
    return {
        role
        for role in INVITABLE_ROLES
        if access.invitation_can_invite(person, role=role, district=district, school=school)
    }


def test_who_may_invite_whom_where(world) -> None:
    everyone = set(INVITABLE_ROLES)
    school_staff = {"assistant_principal", "teacher", "instructional_coach"}
    assert invitable(world, "state_admin", world.other_school) == everyone
    assert invitable(world, "district_leader", world.sibling_school) == everyone
    assert invitable(world, "district_leader", world.district) == everyone
    assert invitable(world, "district_leader", world.other_school) == set()
    assert invitable(world, "principal", world.school) == school_staff
    assert invitable(world, "principal", world.sibling_school) == set()
    assert invitable(world, "principal", world.district) == set()
    for persona in ("assistant_principal", "teacher", "hub_director", "evaluator"):
        assert invitable(world, persona, world.school) == set(), persona


def test_only_principals_district_leaders_and_state_administrators_invite(world) -> None:
    inviters = {name for name, person in world.people.items() if access.can_invite_anyone(person)}
    assert inviters == {"state_admin", "district_leader", "principal", "outsider"}


def test_the_places_offered_are_the_ones_one_may_invite_to(world) -> None:
    principal = world.people["principal"]
    assert list(access.invite_schools_for(principal)) == [world.school]
    assert not access.invite_districts_for(principal).exists()
    leader = world.people["district_leader"]
    assert set(access.invite_schools_for(leader)) == {world.school, world.sibling_school}
    assert list(access.invite_districts_for(leader)) == [world.district]


def test_a_person_cannot_end_their_own_role(world) -> None:
    principal = world.people["principal"]
    own = principal.memberships.get()
    assert not access.membership_can_end(principal, own)
    teachers = world.people["teacher"].memberships.get()
    assert access.membership_can_end(principal, teachers)
