"""A district leader builds the driver diagram with the keyboard alone (issue 7,
acceptance 3): adds below a driver, adds a primary driver, edits, moves, reloads and sees
the same outline and drawing, and reads the same tree from the API."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots_h5")  # noqa: S108 (a copy to look at, outside the repository)


@pytest.fixture(autouse=True)
def _warm_server(page: Page) -> None:
    page.goto("/accounts/login/", timeout=60_000)


def tab_to(page: Page, target: Locator, limit: int = 120) -> None:
    """Press Tab until ``target`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target}")


def outline_texts(page: Page) -> list[str]:
    return [t.strip() for t in page.locator("#diagram-outline .dd-text").all_inner_texts()]


def api_texts(nodes: list[dict[str, Any]]) -> list[str]:
    found: list[str] = []
    for node in nodes:
        found.append(node["text"])
        found += api_texts(node["children"])
    return found


def test_a_district_leader_builds_the_driver_diagram_by_keyboard(
    page: Page, world, sign_in, screenshot, check_a11y
) -> None:
    from leadhub.strategy.models import DriverNode

    SHOTS.mkdir(parents=True, exist_ok=True)

    def shoot(step: str) -> None:
        screenshot(step)
        page.screenshot(path=SHOTS / f"{step}.png", full_page=True)

    plan = world.objects["strategic_plan"]
    diagram = world.objects["diagram"]
    primary = DriverNode.objects.get(diagram=diagram, text="Strong core reading")
    idea = DriverNode.objects.get(diagram=diagram, text="Daily fluency practice in grade 3")

    sign_in("district.leader@world.test")
    page.goto(reverse("strategy:diagram", args=[plan.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Driver diagram")
    expect(page.get_by_role("img", name=re.compile("Driver diagram of"))).to_be_visible()
    shoot("1-diagram")
    check_a11y("driver diagram")

    # Add a secondary driver below the primary one: Tab to its button, Enter, type.
    tab_to(page, page.locator(f"#add-below-{primary.pk}"))
    page.keyboard.press("Enter")
    text_box = page.get_by_label("What it is")
    expect(text_box).to_be_focused()
    page.keyboard.type("Coaching cycles for every K-3 teacher")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Technical or adaptive")).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Technical or adaptive")).to_have_value("adaptive")
    shoot("2-adding")
    check_a11y("driver diagram, adding a secondary driver")
    tab_to(page, page.get_by_role("button", name="Add the secondary driver"))
    page.keyboard.press("Enter")
    coaching = page.locator("li.dd-secondary", has_text="Coaching cycles for every K-3 teacher")
    expect(coaching).to_be_focused()
    expect(page.locator("#outline-status")).to_contain_text("Added the secondary driver")

    # From the new node, the next Tab is its own "Add a change idea".
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_label("What it is")).to_be_focused()
    page.keyboard.type("Weekly coaching cycle with video")
    page.keyboard.press("Enter")
    expect(
        page.locator("li.dd-change_idea", has_text="Weekly coaching cycle with video")
    ).to_be_focused()

    # A second primary driver, from the button under the outline.
    tab_to(page, page.get_by_role("link", name="Add a primary driver"))
    page.keyboard.press("Enter")
    expect(page.get_by_label("What it is")).to_be_focused()
    page.keyboard.type("Family partnership in reading")
    page.keyboard.press("Enter")
    family = page.locator("li.dd-primary", has_text="Family partnership in reading")
    expect(family).to_be_focused()

    # Edit the world's change idea.
    tab_to(page, page.locator(f"#edit-{idea.pk}"))
    page.keyboard.press("Enter")
    expect(page.get_by_label("What it is")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("Daily fluency practice in grades 2 and 3")
    page.keyboard.press("Enter")
    expect(page.locator(f"#node-{idea.pk}")).to_contain_text("grades 2 and 3")

    # Move the family driver up, above the reading driver: Enter on "Move up".
    family_node = DriverNode.objects.get(text="Family partnership in reading")
    tab_to(page, page.locator(f"#move-up-{family_node.pk}"))
    page.keyboard.press("Enter")
    expect(page.locator("#outline-status")).to_contain_text(
        "Moved “Family partnership in reading” up"
    )
    expect(page.locator(f"#node-{family_node.pk}")).to_be_focused()  # first now: no Move up
    expect(page.locator("#diagram-outline > ul > li").first).to_have_id(f"node-{family_node.pk}")
    shoot("3-built")
    check_a11y("driver diagram, built")

    before = outline_texts(page)
    svg_before = page.locator("#diagram-picture svg").inner_html()
    assert before == [
        "Family partnership in reading",
        "Strong core reading",
        "Shared literacy blocks",
        "Daily fluency practice in grades 2 and 3",
        "Coaching cycles for every K-3 teacher",
        "Weekly coaching cycle with video",
    ]
    assert svg_before.count("<rect") == 7
    assert "Family partnership in" in svg_before and "Adaptive" in svg_before

    page.reload()
    assert outline_texts(page) == before
    assert page.locator("#diagram-picture svg").inner_html() == svg_before
    expect(page.locator("li.dd-secondary", has_text="Coaching cycles")).to_contain_text("Adaptive")
    shoot("4-reloaded")

    # The same tree from the API.
    response = page.request.get(f"/api/v1/driver-diagrams/{diagram.pk}/")
    assert response.status == 200
    data = response.json()
    assert data["aim"]["outcome"] == diagram.outcome
    assert api_texts(data["nodes"]) == before
    assert [n["kind"] for n in data["nodes"]] == ["primary", "primary"]
    reading = data["nodes"][1]
    assert [c["text"] for c in reading["children"]] == [
        "Shared literacy blocks",
        "Coaching cycles for every K-3 teacher",
    ]
    coaching_json = reading["children"][1]
    assert coaching_json["approach"] == "adaptive"
    assert coaching_json["children"][0]["kind"] == "change_idea"

    # The aim is a SMARTe goal: give it a target and a date, by keyboard.
    tab_to(page, page.get_by_role("link", name="Edit the aim"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit the aim")
    shoot("5-aim-form")
    check_a11y("driver diagram, the aim")
    tab_to(page, page.get_by_label("Target"))
    page.keyboard.type("80")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Saved the aim.")
    expect(page.locator("#aim")).to_contain_text("80")
    shoot("6-aim-saved")
    check_a11y("driver diagram, aim saved")

    # A plan without a diagram yet offers to start one from its aim.
    from leadhub.strategy.tests.factories import StrategicPlanFactory

    fresh = StrategicPlanFactory(district=world.district, title="Next strategic plan")
    page.goto(reverse("strategy:diagram", args=[fresh.pk]))
    expect(page.get_by_role("heading", name="No driver diagram yet")).to_be_visible()
    tab_to(page, page.get_by_role("link", name="Start the diagram"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Start the driver diagram: its aim")
    tab_to(page, page.get_by_label("The aim: the result for students"))
    page.keyboard.type("Every student in grades 6 to 8 passes algebra readiness")
    tab_to(page, page.get_by_role("button", name="Start the diagram"))
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Started the driver diagram.")
    expect(page.get_by_text("No drivers yet.")).to_be_visible()
    shoot("7-started")
    check_a11y("driver diagram, just started")
