"""A district leader adjusts what the district's ILTs are held to, by keyboard alone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots_stddemo")  # noqa: S108 (a copy to look at, outside the repository)


@pytest.fixture(autouse=True)
def _warm_server(page: Page) -> None:
    """The live server's first page loads every URL module; on a busy machine that can
    take longer than a step's timeout, so it is loaded once beforehand."""
    page.goto("/accounts/login/", timeout=60_000)


def test_a_district_leader_raises_the_ilts_regular_meetings_edge_by_keyboard(
    page: Page, world, sign_in, screenshot, check_a11y
) -> None:
    from leadhub.health.models import IndicatorStandard

    SHOTS.mkdir(parents=True, exist_ok=True)

    def shoot(step: str) -> None:
        screenshot(step)
        page.screenshot(path=SHOTS / f"{step}.png", full_page=True)

    sign_in("district.leader@world.test")
    page.goto(reverse("health:standards", args=[world.district.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "What Instructional Leadership Teams are held to"
    )
    expect(page.get_by_role("heading", name="What the bands mean")).to_be_visible()
    regular = page.get_by_role("group", name="Regular meetings")
    expect(regular.get_by_text("Default", exact=True)).to_be_visible()
    strong = regular.get_by_label("Strong at or above (% of periods met)")
    expect(strong).to_have_value("90")
    shoot("1-standards")
    check_a11y("district standards")

    # Keyboard only: focus the field, raise it five points, then save with Enter.
    strong.focus()
    for _ in range(5):
        page.keyboard.press("ArrowUp")
    expect(strong).to_have_value("95")
    page.keyboard.press("Enter")

    expect(page.locator(".messages")).to_contain_text("Saved “Regular meetings”")
    regular = page.get_by_role("group", name="Regular meetings")
    expect(regular.get_by_label("Strong at or above (% of periods met)")).to_have_value("95")
    expect(regular.get_by_text("Adjusted by the district")).to_be_visible()
    expect(regular).to_contain_text("The default: expectation 14 days, strong 90%")
    saved = IndicatorStandard.objects.get(district=world.district, indicator="cadence")
    assert saved.strong == 0.95
    shoot("2-saved")
    check_a11y("district standards, adjusted")

    # A developing edge above the strong edge is explained at the field.
    developing = regular.get_by_label("Developing at or above (% of periods met)")
    developing.fill("99")
    page.get_by_role("button", name=re.compile("^Save the standard")).click()
    expect(page.get_by_role("alert").first).to_contain_text("Please correct the highlighted")
    field_error = page.get_by_role("group", name="Regular meetings").locator(".error")
    expect(field_error).to_contain_text("must be at or below the strong edge (95%)")
    shoot("3-invalid")
    check_a11y("district standards, a figure to correct")

    # Back to the default with the indicator's own reset button.
    page.goto(reverse("health:standards", args=[world.district.pk]))
    page.get_by_role("button", name="Reset to the default for Regular meetings").click()
    expect(page.locator(".messages")).to_contain_text("is back to the default")
    assert not IndicatorStandard.objects.filter(district=world.district).exists()

    # Another kind of team, chosen with the select and its button (no script needed).
    page.get_by_role("combobox", name="Kind of team").select_option(label="Instructional team")
    page.get_by_role("button", name="Show its standard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "What Instructional teams are held to"
    )
    expect(
        page.get_by_role("group", name="Regular meetings").get_by_label("Meeting period (days)")
    ).to_have_value("7")
    shoot("4-instructional")
