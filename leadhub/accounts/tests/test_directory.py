from __future__ import annotations

import pytest
from django.urls import reverse

from leadhub.accounts.access import people_visible_to

pytestmark = pytest.mark.django_db


def names(people) -> set[str]:
    return {p.full_name for p in people}


def test_a_teacher_sees_their_school_and_district_leaders_only(world) -> None:
    seen = names(people_visible_to(world.people["teacher"]))
    assert {"Principal", "Teacher", "Instructional Coach", "District Leader"} <= seen
    assert "Other School Teacher" not in seen
    assert "Outsider" not in seen
    assert "Hub Director" not in seen


def test_a_district_leader_sees_the_district_and_the_hub_that_serves_it(world) -> None:
    seen = names(people_visible_to(world.people["district_leader"]))
    assert {"Teacher", "Other School Teacher", "Hub Coach", "Hub Director"} <= seen
    assert "Outsider" not in seen


def test_an_evaluator_sees_only_themselves(world) -> None:
    assert names(people_visible_to(world.people["evaluator"])) == {"Evaluator"}


def test_search_and_filters_stay_inside_scope(world, client_for) -> None:
    client = client_for("principal")
    url = reverse("accounts:people_directory")
    response = client.get(url, {"q": "teacher"})
    found = names(response.context["page"])
    assert "Teacher" in found
    assert "Other School Teacher" not in found
    assert "Former Teacher" not in found  # no current role
    response = client.get(url, {"role": "instructional_coach"})
    assert names(response.context["page"]) == {"Instructional Coach"}


def test_the_directory_answers_htmx_with_rows_only(world, client_for) -> None:
    response = client_for("principal").get(
        reverse("accounts:people_directory"), {"q": "coach"}, headers={"HX-Request": "true"}
    )
    assert response.templates[0].name == "accounts/_people_rows.html"
    assert "<html" not in response.content.decode()


def test_the_directory_paginates(world, client_for) -> None:
    from leadhub.orgs.tests.factories import MembershipFactory

    for _ in range(30):
        MembershipFactory(role="teacher", school=world.school, district=world.district)
    response = client_for("principal").get(reverse("accounts:people_directory"))
    page = response.context["page"]
    assert page.paginator.num_pages == 2
    assert len(page.object_list) == 25
    second = client_for("principal").get(reverse("accounts:people_directory"), {"page": 2})
    assert len(second.context["page"].object_list) == page.paginator.count - 25


def test_a_person_page_lists_past_and_current_roles(world, client_for) -> None:
    response = client_for("principal").get(
        reverse("accounts:person_detail", args=[world.people["teacher"].public_id])
    )
    assert response.status_code == 200
    assert world.school.name in response.content.decode()
