from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from leadhub.orgs import access
from leadhub.orgs.models import HubServiceArea
from leadhub.orgs.scope import org_scope_for
from leadhub.orgs.tests.factories import HubServiceAreaFactory

pytestmark = pytest.mark.django_db


def test_hub_staff_reach_the_districts_their_hub_serves_today(world) -> None:
    scope = org_scope_for(world.people["hub_coach"])
    assert scope.served_district_ids == {world.district.pk}
    assert set(access.schools_visible_to(world.people["hub_coach"])) == {
        world.school,
        world.sibling_school,
    }


def test_a_service_area_that_ended_no_longer_gives_access(world) -> None:
    coach = world.people["hub_coach"]
    today = timezone.localdate()
    HubServiceArea.objects.filter(hub=world.hub).update(end_date=today - dt.timedelta(days=1))
    HubServiceAreaFactory(hub=world.hub, district=world.other_district, start_date=today)
    assert set(access.districts_visible_to(coach)) == {world.other_district}


def test_school_staff_read_their_district_but_only_their_own_staff_list(world) -> None:
    teacher = world.people["other_school_teacher"]
    assert access.school_get_for_user(teacher, world.school.pk) == world.school
    assert not access.school_staff_visible(teacher, world.school)
    assert access.school_staff_visible(teacher, world.sibling_school)


def test_only_the_principal_and_leaders_above_edit_a_school(world) -> None:
    editors = {
        name
        for name, person in world.people.items()
        if access.school_can_edit(person, world.school)
    }
    assert editors == {"state_admin", "district_leader", "principal"}


def test_an_evaluator_reads_organizations_statewide_but_no_staff_lists(world) -> None:
    evaluator = world.people["evaluator"]
    assert access.school_get_for_user(evaluator, world.other_school.pk)
    assert not access.school_staff_visible(evaluator, world.other_school)


def test_deactivated_people_have_no_scope(world) -> None:
    principal = world.people["principal"]
    principal.is_active = False
    assert not org_scope_for(principal).roles
