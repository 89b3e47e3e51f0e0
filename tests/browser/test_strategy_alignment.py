"""A district leader follows the district's strategy down to a school goal, the ILT
agenda item on it and what needs attention (the line of sight)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from leadhub.strategy.tests.factories import DriverNodeFactory

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots_alignment")  # noqa: S108 (a copy to look at, outside the repository)


@pytest.fixture(autouse=True)
def _warm_server(page: Page) -> None:
    """The live server's first page loads every URL module; load it once beforehand."""
    page.goto("/accounts/login/", timeout=60_000)


def test_the_district_leader_follows_a_driver_to_the_ilt_work_on_a_goal(
    page: Page, world, sign_in, screenshot, check_a11y
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)

    def shoot(step: str) -> None:
        screenshot(step)
        page.screenshot(path=SHOTS / f"{step}.png", full_page=True)

    # A second primary driver no school goal serves yet.
    lonely = DriverNodeFactory(
        diagram=world.objects["primary_driver"].diagram,
        text="Every student in school, every day",
        position=5,
    )
    sign_in("district.leader@world.test")
    page.goto(reverse("strategy:line_of_sight", args=[world.district.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{world.district.name}: line of sight"
    )
    driver = world.objects["primary_driver"]
    expect(page.get_by_role("heading", name=driver.text)).to_be_visible()
    table = page.get_by_role("table", name=f"School goals serving: {driver.text}")
    goal = world.objects["plan_goal"]
    expect(table.get_by_role("rowheader")).to_contain_text(goal.outcome)
    expect(table).to_contain_text("Check the reading goal")
    # The flags: a strategy no goal serves, and a school whose plan has no goals yet.
    flags = page.get_by_role("region", name="What needs attention")
    expect(
        flags.get_by_role("heading", name="District strategies no school goal serves")
    ).to_be_visible()
    expect(flags).to_contain_text(lonely.text)
    # The secondary driver under the served primary driver is not flagged.
    expect(flags).not_to_contain_text(world.objects["secondary_driver"].text)
    expect(flags.get_by_role("row", name="Douglass Middle")).to_contain_text("No goals")
    shoot("1-line-of-sight")
    check_a11y("line of sight")

    # Narrow to one school with the keyboard-usable filter form.
    page.get_by_label("School", exact=True).select_option(label=world.sibling_school.name)
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text(goal.outcome)).to_have_count(0)
    expect(page.get_by_role("link", name="Show everything")).to_be_visible()
    shoot("2-one-school")
    check_a11y("line of sight, one school")
