"""The API shows each person what the pages show them, and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from leadhub.orgs.models import HubServiceArea

pytestmark = pytest.mark.django_db


def url(name: str, *args: object) -> str:
    return reverse(f"api:v1:{name}", args=args)


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_a_hub_lists_the_districts_it_serves_today(world, token_client) -> None:
    response = token_client("district_leader").get(url("hub-detail", world.hub.slug))
    assert response.status_code == 200
    hub = response.json()
    assert hub["slug"] == world.hub.slug
    assert hub["districts"] == [{"id": world.district.pk, "name": world.district.name}]


def test_a_hub_that_ended_service_no_longer_lists_the_district(world, token_client) -> None:
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    HubServiceArea.objects.filter(hub=world.hub).update(end_date=yesterday)
    hubs = results(token_client("hub_director").get(url("hub-list")))
    assert [h["districts"] for h in hubs if h["slug"] == world.hub.slug] == [[]]


def test_hubs_outside_reach_are_not_listed_and_not_found(world, token_client) -> None:
    client = token_client("district_leader")
    slugs = {h["slug"] for h in results(client.get(url("hub-list")))}
    assert slugs == {world.hub.slug}
    response = client.get(url("hub-detail", world.other_hub.slug))
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found"}
    assert client.get(url("hub-detail", "no-such-hub")).json() == {"detail": "Not found"}


def test_districts_carry_the_hub_serving_them(world, token_client) -> None:
    client = token_client("teacher")
    assert results(client.get(url("district-list"))) == [
        {
            "id": world.district.pk,
            "name": world.district.name,
            "state_id": world.district.state_id,
            "nces_id": world.district.nces_id,
            "time_zone": world.district.time_zone,
            "hub": world.hub.slug,
        }
    ]
    assert client.get(url("district-detail", world.district.pk)).json()["hub"] == world.hub.slug
    assert client.get(url("district-detail", world.other_district.pk)).status_code == 404


def test_the_outsider_never_sees_the_worlds_school(world, token_client) -> None:
    client = token_client("outsider")
    ids = {s["id"] for s in results(client.get(url("school-list")))}
    assert ids == {world.other_school.pk}
    assert client.get(url("school-detail", world.school.pk)).status_code == 404


def test_a_school_comes_with_its_yearly_characteristics(world, token_client) -> None:
    response = token_client("other_school_teacher").get(url("school-detail", world.school.pk))
    assert response.status_code == 200
    school = response.json()
    assert school["district"] == world.district.pk
    years = [p["school_year"] for p in school["profiles"]]
    assert years == [world.year, world.year - 1]
    latest = world.school.profiles.get(school_year_id=world.year)
    assert school["profiles"][0]["enrollment"] == latest.enrollment
    assert school["profiles"][0]["pct_low_income"] == str(latest.pct_low_income)


def test_schools_narrow_to_a_visible_district_only(world, token_client) -> None:
    client = token_client("hub_director")
    names = {
        s["name"] for s in results(client.get(url("school-list"), {"district": world.district.pk}))
    }
    assert names == {"Lincoln Elementary", "Douglass Middle"}
    refused = client.get(url("school-list"), {"district": world.other_district.pk})
    assert refused.status_code == 400
    assert refused.json() == {"district": ["No district you can see has this id."]}
    assert client.get(url("school-list"), {"district": "twelve"}).status_code == 400


def test_the_other_school_teacher_sees_the_school_but_not_its_teacher(world, token_client) -> None:
    client = token_client("other_school_teacher")
    teacher = world.people["teacher"]
    assert client.get(url("school-detail", world.school.pk)).status_code == 200
    listed = {p["public_id"] for p in results(client.get(url("person-list")))}
    assert str(teacher.public_id) not in listed
    assert client.get(url("person-detail", teacher.public_id)).status_code == 404


def test_a_person_shows_current_roles_by_identifier_and_no_password(world, token_client) -> None:
    teacher = world.people["teacher"]
    response = token_client("principal").get(url("person-detail", teacher.public_id))
    assert response.status_code == 200
    person = response.json()
    assert set(person) == {"public_id", "full_name", "email", "roles"}
    assert person["public_id"] == str(teacher.public_id)
    assert person["roles"] == [
        {
            "role": "teacher",
            "level": "school",
            "title": teacher.memberships.get().title,
            "state": None,
            "hub": None,
            "district": world.district.pk,
            "school": world.school.pk,
        }
    ]
    assert "password" not in response.content.decode()


def test_hub_roles_name_the_hub_by_slug(world, token_client) -> None:
    response = token_client("district_leader").get(
        url("person-detail", world.people["hub_coach"].public_id)
    )
    assert response.json()["roles"][0]["hub"] == world.hub.slug


def test_people_search_and_filters_match_the_directory(world, token_client) -> None:
    client = token_client("principal")

    def names(**query: object) -> set[str]:
        return {p["full_name"] for p in results(client.get(url("person-list"), query))}

    assert "Teacher" in names(q="teacher")
    assert "Other School Teacher" not in names(q="teacher")
    assert "Former Teacher" not in names(q="teacher")
    assert names(role="instructional_coach") == {"Instructional Coach"}
    assert names(school=world.school.pk) == {
        "Principal",
        "Assistant Principal",
        "Teacher",
        "Instructional Coach",
    }
    # A school in reach whose staff are not: a valid filter with nobody in it.
    assert names(school=world.sibling_school.pk) == set()


def test_people_filters_refuse_what_they_do_not_know(world, token_client) -> None:
    client = token_client("principal")
    outside = client.get(url("person-list"), {"school": world.other_school.pk})
    assert outside.status_code == 400
    assert outside.json() == {"school": ["No school you can see has this id."]}
    bad_role = client.get(url("person-list"), {"role": "janitor"})
    assert bad_role.status_code == 400
    assert list(bad_role.json()) == ["role"]
    assert client.get(url("person-list"), {"q": "a\x00b"}).status_code == 400


def test_school_years_carry_a_visible_districts_calendar(world, token_client) -> None:
    client = token_client("teacher")
    plain = results(client.get(url("school-year-list")))
    assert world.year in {y["year"] for y in plain}
    assert all(y["calendar"] is None for y in plain)

    with_calendar = client.get(
        url("school-year-detail", world.year), {"district": world.district.pk}
    )
    assert with_calendar.status_code == 200
    calendar = with_calendar.json()["calendar"]
    assert calendar["district"] == world.district.pk
    assert calendar["first_day"] == world.calendar.first_day.isoformat()
    assert calendar["instructional_days"] == world.calendar.instructional_day_count()
    assert [c["label"] for c in calendar["closures"]] == [world.objects["closure"].label]


def test_a_district_out_of_reach_gives_no_calendar_but_a_clear_400(world, token_client) -> None:
    client = token_client("outsider")
    response = client.get(url("school-year-list"), {"district": world.district.pk})
    assert response.status_code == 400
    assert response.json() == {
        "district": [f"No district you can see has the id {world.district.pk}."]
    }
    malformed = client.get(url("school-year-list"), {"district": "twelve"})
    assert malformed.json() == {
        "district": ["A district is given by its number, for example ?district=12."]
    }


def test_unknown_records_are_404_json(world, token_client) -> None:
    client = token_client("state_admin")
    for missing in (
        url("district-detail", 999999),
        url("district-detail", "abc"),
        url("school-detail", -3),
        url("school-year-detail", 1800),
        url("person-detail", "not-a-uuid"),
    ):
        response = client.get(missing)
        assert response.status_code == 404, missing
        assert response["Content-Type"] == "application/json"


def test_lists_are_paginated(world, token_client) -> None:
    from leadhub.orgs.tests.factories import MembershipFactory

    for _ in range(55):
        MembershipFactory(role="teacher", school=world.school, district=world.district)
    client = token_client("principal")
    first = client.get(url("person-list")).json()
    assert len(first["results"]) == 50
    assert first["next"].endswith("?page=2")
    second = client.get(url("person-list"), {"page": 2}).json()
    assert len(second["results"]) == first["count"] - 50
    assert client.get(url("person-list"), {"page": 9}).status_code == 404


def test_me_is_the_caller_with_their_roles(world, token_client) -> None:
    me = token_client("district_leader").get(url("me")).json()
    assert me["public_id"] == str(world.people["district_leader"].public_id)
    assert [(r["role"], r["district"]) for r in me["roles"]] == [
        ("district_leader", world.district.pk)
    ]


def test_session_sign_in_works_too(world, client_for) -> None:
    response = client_for("teacher").get(url("me"))
    assert response.status_code == 200
    assert response.json()["email"] == world.people["teacher"].email


@pytest.mark.parametrize(
    "name,args",
    [("hub-list", []), ("school-detail", ["1"]), ("person-list", []), ("me", [])],
)
def test_anonymous_callers_get_401_json_not_a_redirect(name, args) -> None:
    response = Client().get(url(name, *args))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response["WWW-Authenticate"] == "Token"


def test_a_wrong_or_revoked_token_is_refused(world, token_client) -> None:
    from rest_framework.authtoken.models import Token

    client = token_client("teacher")
    Token.objects.filter(user=world.people["teacher"]).delete()
    assert client.get(url("me")).status_code == 401
    wrong = Client(headers={"Authorization": "Token not-a-key"}).get(url("me"))
    assert wrong.status_code == 401


def test_a_deactivated_persons_token_stops_working(world, token_client) -> None:
    client = token_client("teacher")
    world.people["teacher"].__class__.objects.filter(pk=world.people["teacher"].pk).update(
        is_active=False
    )
    assert client.get(url("me")).status_code == 401


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize(
    "name,args",
    [("hub-list", []), ("school-detail", None), ("person-list", []), ("me", [])],
)
def test_every_endpoint_is_read_only(world, token_client, method, name, args) -> None:
    target = url(name, *(args if args is not None else [world.school.pk]))
    response = getattr(token_client("district_leader"), method)(
        target, data={}, content_type="application/json"
    )
    assert response.status_code == 405


def test_token_requests_skip_csrf_but_session_requests_need_it(world) -> None:
    from rest_framework.authtoken.models import Token

    leader = world.people["district_leader"]
    token = Token.objects.create(user=leader)
    with_token = Client(enforce_csrf_checks=True, headers={"Authorization": f"Token {token.key}"})
    assert with_token.post(url("hub-list")).status_code == 405

    with_session = Client(enforce_csrf_checks=True)
    with_session.force_login(leader)
    refused = with_session.post(url("hub-list"))
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]


SIGNED_IN = [
    "state_admin",
    "hub_director",
    "hub_coach",
    "district_leader",
    "principal",
    "assistant_principal",
    "teacher",
    "instructional_coach",
    "network_facilitator",
    "evaluator",
    "other_school_teacher",
    "outsider",
]


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_every_list_holds_exactly_what_the_access_functions_allow(
    world, token_client, persona
) -> None:
    from leadhub.accounts.access import people_visible_to
    from leadhub.orgs.access import districts_visible_to, hubs_visible_to, schools_visible_to

    user = world.people[persona]
    client = token_client(persona)

    def listed(name: str, key: str) -> set:
        return {str(r[key]) for r in results(client.get(url(name)))}

    assert listed("hub-list", "slug") == set(hubs_visible_to(user).values_list("slug", flat=True))
    assert listed("district-list", "id") == {
        str(pk) for pk in districts_visible_to(user).values_list("pk", flat=True)
    }
    assert listed("school-list", "id") == {
        str(pk) for pk in schools_visible_to(user).values_list("pk", flat=True)
    }
    assert listed("person-list", "public_id") == {
        str(p)
        for p in people_visible_to(user).filter(is_active=True).values_list("public_id", flat=True)
    }


def test_staff_who_still_need_two_factor_get_the_documented_403(world) -> None:
    from leadhub.accounts.tests.factories import UserFactory
    from leadhub.orgs.tests.factories import MembershipFactory

    coach = UserFactory(email="new.coach@world.test")
    MembershipFactory(user=coach, role="hub_coach", hub=world.hub)
    client = Client()
    client.force_login(coach)
    response = client.get(url("hub-list"))
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert "Two-factor sign-in is required" in response.json()["detail"]
