"""The strategic-plan and driver-diagram API: the same reach as the pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leadhub.measures.tests.factories import MeasureFactory
from leadhub.strategy.diagram_tree import tree_json
from leadhub.strategy.models import DriverDiagram

pytestmark = pytest.mark.django_db


def test_plan_list_and_detail_name_the_diagram(world, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("district_leader")
    plan = world.objects["strategic_plan"]
    listed = client.get(reverse("api:v1:strategic-plan-list")).json()
    by_id = {p["id"]: p for p in listed["results"]}
    assert by_id[plan.pk]["driver_diagram"] == world.objects["diagram"].pk
    assert by_id[plan.pk]["district"] == world.district.pk and by_id[plan.pk]["hub"] is None
    detail = client.get(reverse("api:v1:strategic-plan-detail", args=[plan.pk])).json()
    assert detail["title"] == plan.title and detail["status"] == "active"
    # The teacher reads the district's plan in use, not the hub's.
    teacher = client_for("teacher").get(reverse("api:v1:strategic-plan-list")).json()
    assert {p["id"] for p in teacher["results"]} == {plan.pk}


def test_diagram_detail_is_the_tree(world, client_for) -> None:  # type: ignore[no-untyped-def]
    diagram = DriverDiagram.objects.get(pk=world.objects["diagram"].pk)
    measure = MeasureFactory(district=world.district, level="district")
    world.objects["change_idea"].measures.add(measure)
    user = world.persona("principal")
    data = (
        client_for("principal")
        .get(reverse("api:v1:driver-diagram-detail", args=[diagram.pk]))
        .json()
    )
    assert data["id"] == diagram.pk and data["plan"] == diagram.plan_id
    expected = tree_json(diagram, user)
    assert data["aim"] == expected["aim"] and data["nodes"] == expected["nodes"]
    idea = data["nodes"][0]["children"][0]["children"][0]
    assert idea["measures"] == [{"id": measure.pk, "name": measure.name}]
    assert idea["approach"] == "technical"


def test_out_of_reach_is_404_and_anonymous_401(world, client_for) -> None:  # type: ignore[no-untyped-def]
    diagram = world.objects["diagram"]
    url = reverse("api:v1:driver-diagram-detail", args=[diagram.pk])
    assert client_for("outsider").get(url).status_code == 404
    assert client_for("outsider").get(reverse("api:v1:driver-diagram-list")).json()["count"] == 0
    assert client_for("anonymous").get(url).status_code == 401
    assert (
        client_for("district_leader")
        .get(reverse("api:v1:driver-diagram-detail", args=["nope"]))
        .status_code
        == 404
    )
    # The hub's plan (in use) reaches the district's leader, not its teacher.
    hub = world.objects["hub_diagram"]
    hub_url = reverse("api:v1:driver-diagram-detail", args=[hub.pk])
    assert client_for("district_leader").get(hub_url).status_code == 200
    assert client_for("teacher").get(hub_url).status_code == 404
