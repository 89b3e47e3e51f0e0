"""Lists read their related rows in a fixed number of queries, however long they are."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leadhub.orgs.tests.factories import (
    DistrictCalendarFactory,
    HubServiceAreaFactory,
    MembershipFactory,
    SchoolFactory,
    SchoolProfileFactory,
    SchoolYearFactory,
)

pytestmark = pytest.mark.django_db

LISTS = [
    ("api:v1:hub-list", {}),
    ("api:v1:district-list", {}),
    ("api:v1:school-list", {}),
    ("api:v1:person-list", {}),
    ("api:v1:school-year-list", {"district": "world"}),
]


def queries_for(client, name: str, query: dict, world) -> int:
    params = {k: world.district.pk if v == "world" else v for k, v in query.items()}
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(name), params)
    assert response.status_code == 200, response.content
    return len(captured)


def grow(world) -> None:
    """More of everything each list shows, each with its own related rows."""
    for n in range(6):
        school = SchoolFactory(district=world.district)
        SchoolProfileFactory(school=school, school_year=SchoolYearFactory(year=world.year))
        MembershipFactory(role="teacher", school=school, district=world.district)
        HubServiceAreaFactory(hub=world.hub)
        year = SchoolYearFactory(year=world.year - 2 - n)
        DistrictCalendarFactory(district=world.district, school_year=year)


@pytest.mark.parametrize(("name", "query"), LISTS, ids=[n for n, _ in LISTS])
def test_a_longer_list_costs_no_more_queries(world, token_client, name, query) -> None:
    client = token_client("state_admin")
    before = queries_for(client, name, query, world)
    grow(world)
    assert queries_for(client, name, query, world) == before
