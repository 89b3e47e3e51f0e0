"""Meeting roles in the browser: the principal applies the suggested rotation for the
ILT's next meeting, then reads the team's role history."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_the_principal_applies_the_suggested_rotation(
    page: Page, world, sign_in, screenshot, check_a11y
) -> None:
    meeting = world.objects["next_meeting"]
    # The live server's first answer loads the whole project: give it time on a busy machine.
    page.goto("/accounts/login/", timeout=60_000)
    sign_in("principal@world.test")
    page.goto(f"/meetings/{meeting.pk}/roles/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Roles for the "))
    roles = page.get_by_role("region", name="Who takes each role")
    facilitator = roles.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name="Facilitator")
    )
    expect(facilitator).to_contain_text("Now: not set")
    expect(facilitator).to_contain_text("Suggested: Assistant Principal")
    expect(facilitator).to_contain_text("Has not yet facilitated.")
    expect(roles).to_contain_text("Ties go alphabetically by name.")
    screenshot("1-suggestions")
    check_a11y("meeting roles")

    page.get_by_role("button", name="Use the suggestions").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Roles saved. Assistant Principal facilitates, Principal records and "
        "Instructional Coach keeps time."
    )
    expect(facilitator).to_contain_text("Now: Assistant Principal")
    expect(page.get_by_label("Timekeeper")).to_have_value(
        str(world.people["instructional_coach"].pk)
    )
    expect(page.get_by_text("The roles match the suggestions")).to_be_visible()
    screenshot("2-saved")
    check_a11y("meeting roles saved")

    # Overriding one role by hand: the same person cannot take two roles.
    page.get_by_label("Recorder").select_option(label="Assistant Principal")
    page.get_by_role("button", name="Save the roles").click()
    expect(page.get_by_text("Assistant Principal is already the facilitator")).to_be_visible()
    expect(page.get_by_label("Recorder")).to_have_attribute("aria-invalid", "true")
    screenshot("3-one-role-each")
    check_a11y("meeting roles error")

    page.get_by_role("link", name="Who has held each role").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who has held each role")
    table = page.get_by_role("table")
    expect(table.get_by_role("row", name=re.compile("^Teacher"))).to_contain_text("2 times")
    screenshot("4-role-history")
    check_a11y("role history")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/meetings/{meeting.pk}/roles/")
    screenshot("5-phone")
    check_a11y("meeting roles on a phone")
