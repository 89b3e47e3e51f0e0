"""The measures API shows what the pages show: aggregates only, suppressed the same way."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


@pytest.fixture
def token_client(world):
    def make(persona: str) -> Client:
        token, _ = Token.objects.get_or_create(user=world.people[persona])
        return Client(headers={"Authorization": f"Token {token.key}"})

    return make


def url(name: str, *args: object) -> str:
    return reverse(f"api:v1:{name}", args=args)


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def computed_values(world, client, **query) -> dict[tuple[str, str], dict]:
    rows = results(
        client.get(
            url("measure-value-list"), {"measure": world.objects["computed_measure"].pk, **query}
        )
    )
    return {(row["student_group"], row["window"]): row for row in rows}


def test_small_groups_come_back_suppressed_with_no_number_and_no_count(world, token_client) -> None:
    values = computed_values(world, token_client("principal"))
    for group in ("el", "black", "hispanic"):
        row = values[(group, "winter")]
        assert row["suppressed"] is True
        assert (
            row["value"] is row["numerator"] is row["denominator"] is row["student_count"] is None
        )
    everyone = values[("", "winter")]
    assert everyone["suppressed"] is False
    assert (everyone["value"], everyone["student_count"], everyone["numerator"]) == (69.2, 26, 18)
    assert everyone["shown_as"] == "69%" and everyone["place"] == "school"
    assert values[("white", "winter")]["student_count"] == 12


def test_one_value_is_suppressed_as_in_the_list(world, token_client) -> None:
    hispanic = world.objects["computed_measure"].values.get(group_code="hispanic", window="fall")
    row = token_client("district_leader").get(url("measure-value-detail", hispanic.pk)).json()
    assert row["suppressed"] is True and row["value"] is None


def test_values_follow_the_pages_gate(world, token_client) -> None:
    assert computed_values(world, token_client("hub_coach"))
    assert not computed_values(world, token_client("other_school_teacher"))
    value = world.objects["computed_measure"].values.first()
    response = token_client("outsider").get(url("measure-value-detail", value.pk))
    assert response.status_code == 404
    response = token_client("outsider").get(
        url("measure-value-list"), {"measure": world.objects["computed_measure"].pk}
    )
    assert response.status_code == 400  # a measure they cannot see is refused by name


def test_entered_values_are_shown_as_they_are(world, token_client) -> None:
    rows = results(
        token_client("teacher").get(
            url("measure-value-list"),
            {
                "measure": world.objects["attendance_measure"].pk,
                "period_from": f"{world.year - 1}-08-01",
            },
        )
    )
    assert [row["value"] for row in rows] == [95.2, 95.8, 96.1]
    assert rows[0]["student_count"] is None and rows[0]["suppressed"] is False


def test_filtering_by_group(world, token_client) -> None:
    rows = results(
        token_client("principal").get(url("measure-value-list"), {"student_group": "all"})
    )
    assert rows and {row["student_group"] for row in rows} == {""}


def test_measures_list_and_detail(world, token_client) -> None:
    client = token_client("teacher")
    names = {row["name"] for row in results(client.get(url("measure-list")))}
    assert {"Average daily attendance", "Grade 3 exit tickets: share correct"} <= names
    computed = client.get(url("measure-detail", world.objects["computed_measure"].pk)).json()
    assert computed["assessment"] == "math-benchmark" and computed["at_or_above_level"] == 3
    outsider = token_client("outsider")
    response = outsider.get(url("measure-detail", world.objects["computed_measure"].pk))
    assert response.status_code == 404


def test_a_page_of_values_costs_a_handful_of_queries(world, token_client) -> None:
    client = token_client("state_admin")
    client.get(url("measure-value-list"))  # warm the token and caches
    with CaptureQueriesContext(connection) as queries:
        results(client.get(url("measure-value-list")))
    assert len(queries) <= 15
