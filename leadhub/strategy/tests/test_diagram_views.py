"""The driver-diagram page: reading it, editing the outline and the aim."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from leadhub.measures.tests.factories import MeasureFactory
from leadhub.strategy.models import DriverDiagram, DriverNode, NodeKind
from leadhub.strategy.tests.factories import StrategicPlanFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def page_url(world: Any) -> str:
    return reverse("strategy:diagram", args=[world.objects["strategic_plan"].pk])


def test_readers_see_the_outline_and_the_drawing_without_controls(world, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("teacher").get(page_url(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Strong core reading" in html and "Daily fluency practice in grade 3" in html
    assert 'role="img"' in html and "<svg" in html
    assert "Move up" not in html and "Edit the aim" not in html
    assert "Add a secondary driver" not in html
    assert not re.search(r"\sstyle=", html.split("<main", 1)[1])


def test_editors_get_the_actions_the_rules_allow(world, client_for) -> None:  # type: ignore[no-untyped-def]
    html = client_for("district_leader").get(page_url(world)).content.decode()
    primary = world.objects["primary_driver"].pk
    secondary = world.objects["secondary_driver"].pk
    idea = world.objects["change_idea"].pk
    assert f'id="add-below-{primary}"' in html and f'id="add-below-{idea}"' not in html
    # Each is alone at its level: nothing to move up, down or in; only lower ones move out.
    assert f'id="move-up-{primary}"' not in html and f'id="move-in-{secondary}"' not in html
    assert f'id="move-out-{primary}"' not in html and f'id="move-out-{secondary}"' in html
    assert "Edit the aim" in html and "Is it a SMARTe aim?" in html


def test_adding_below_a_node_then_back_at_the_new_node(world, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("district_leader")
    plan = world.objects["strategic_plan"]
    primary = world.objects["primary_driver"]
    url = reverse("strategy:node_add", args=[plan.pk])
    form = client.get(url, {"parent": primary.pk})
    assert form.status_code == 200
    assert "New secondary driver under “Strong core reading”" in form.content.decode()
    response = client.post(
        url, {"parent": primary.pk, "add-text": "Coaching", "add-approach": "adaptive"}
    )
    node = DriverNode.objects.get(text="Coaching")
    assert (node.kind, node.parent_id, node.approach) == (
        NodeKind.SECONDARY,
        primary.pk,
        "adaptive",
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#node-{node.pk}")


def test_adding_with_htmx_swaps_the_outline_and_the_drawing(world, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("district_leader")
    url = reverse("strategy:node_add", args=[world.objects["strategic_plan"].pk])
    response = client.post(url, {"add-text": "Family partnership"}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    node = DriverNode.objects.get(text="Family partnership")
    assert node.kind == NodeKind.PRIMARY and node.parent_id is None
    assert f'data-focus="node-{node.pk}"' in html
    assert 'id="diagram-picture"' in html and 'hx-swap-oob="true"' in html
    assert "Added the primary driver “Family partnership”." in html
    empty = client.post(url, {"add-text": ""}, headers=HTMX)
    assert empty.status_code == 400
    assert "Write what the driver or change idea is." in empty.content.decode()


def test_nothing_is_added_below_a_change_idea(world, client_for) -> None:  # type: ignore[no-untyped-def]
    url = reverse("strategy:node_add", args=[world.objects["strategic_plan"].pk])
    response = client_for("district_leader").post(
        url, {"parent": world.objects["change_idea"].pk, "add-text": "Too deep"}
    )
    assert response.status_code == 404
    assert not DriverNode.objects.filter(text="Too deep").exists()


def test_editing_a_node_with_its_measures(world, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("district_leader")
    node = DriverNode.objects.get(pk=world.objects["secondary_driver"].pk)
    visible = MeasureFactory(
        district=world.district, level="district", name="Literacy block fidelity"
    )
    url = reverse("strategy:node_edit", args=[node.pk])
    form = client.get(url).content.decode()
    assert "Literacy block fidelity" in form and 'id="id_edit-text"' in form
    response = client.post(
        url,
        {
            "edit-text": "Shared literacy blocks daily",
            "edit-approach": "technical",
            "edit-measures": [visible.pk],
        },
    )
    assert response.status_code == 302
    node.refresh_from_db()
    assert node.text == "Shared literacy blocks daily" and list(node.measures.all()) == [visible]
    page = client.get(page_url(world)).content.decode()
    assert "Measured by: <a" in page and "Literacy block fidelity" in page


def test_moving_keeps_focus_on_the_node(world, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("district_leader")
    secondary = DriverNode.objects.get(pk=world.objects["secondary_driver"].pk)
    url = reverse("strategy:node_move", args=[secondary.pk])
    response = client.post(url, {"direction": "out"}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-keep-focus="move-out-{secondary.pk}"' in html
    assert f'data-focus="node-{secondary.pk}"' in html
    assert "now a primary driver" in html
    secondary.refresh_from_db()
    assert secondary.kind == NodeKind.PRIMARY and secondary.parent_id is None
    # Without htmx: back to the page at the node, with the message.
    again = client.post(url, {"direction": "in"})
    assert again.status_code == 302 and again["Location"].endswith(f"#node-{secondary.pk}")
    secondary.refresh_from_db()
    assert secondary.kind == NodeKind.SECONDARY
    refused = client.post(url, {"direction": "sideways"})
    assert refused.status_code == 302


def test_removing_a_node_removes_what_is_under_it(world, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("district_leader")
    secondary = world.objects["secondary_driver"]
    response = client.post(reverse("strategy:node_delete", args=[secondary.pk]))
    assert response.status_code == 302
    assert response["Location"].endswith(f"#node-{world.objects['primary_driver'].pk}")
    assert not DriverNode.objects.filter(pk=world.objects["change_idea"].pk).exists()


def test_readers_may_not_change_anything(world, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("principal")
    node = world.objects["primary_driver"]
    assert (
        client.post(
            reverse("strategy:node_move", args=[node.pk]), {"direction": "down"}
        ).status_code
        == 403
    )
    assert client.post(reverse("strategy:node_delete", args=[node.pk])).status_code == 403
    assert client_for("outsider").get(page_url(world)).status_code == 404
    assert DriverNode.objects.filter(pk=node.pk).exists()


def test_editing_the_aim_and_a_conflict(world, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("district_leader")
    diagram = DriverDiagram.objects.get(pk=world.objects["diagram"].pk)
    url = reverse("strategy:aim_edit", args=[world.objects["strategic_plan"].pk])
    version = diagram.version
    data = {
        "outcome": "Every grade 3 student reads on level",
        "target_value": "85",
        "deadline": "2029-06-01",
        "version": str(version),
    }
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"].endswith("#aim")
    diagram.refresh_from_db()
    assert diagram.outcome == "Every grade 3 student reads on level" and diagram.target_value == 85
    stale = client.post(url, {**data, "outcome": "Someone else's aim"})
    assert stale.status_code == 409
    assert "someone else changed the aim" in stale.content.decode()
    diagram.refresh_from_db()
    assert diagram.outcome == "Every grade 3 student reads on level"


def test_a_plan_without_a_diagram_is_started_from_its_aim(world, client_for) -> None:  # type: ignore[no-untyped-def]
    plan = StrategicPlanFactory(district=world.district)
    leader = client_for("district_leader")
    page = leader.get(reverse("strategy:diagram", args=[plan.pk])).content.decode()
    assert "Start the diagram" in page
    assert not DriverDiagram.objects.filter(plan=plan).exists()  # reading creates nothing
    response = leader.post(
        reverse("strategy:aim_edit", args=[plan.pk]), {"outcome": "Our aim", "version": "0"}
    )
    assert response.status_code == 302
    assert DriverDiagram.objects.get(plan=plan).outcome == "Our aim"
    # Adding before the aim exists sends the leader to write it.
    other = StrategicPlanFactory(district=world.district)
    sent = leader.get(reverse("strategy:node_add", args=[other.pk]))
    assert sent.status_code == 302 and sent["Location"].endswith(
        reverse("strategy:aim_edit", args=[other.pk])
    )


def test_the_page_links_its_stylesheet_and_script(world, client_for) -> None:  # type: ignore[no-untyped-def]
    html = client_for("district_leader").get(page_url(world)).content.decode()
    assert re.search(r'href="[^"]*strategy-diagram\.css"', html)
    assert re.search(r'src="[^"]*strategy-diagram\.js"', html)
