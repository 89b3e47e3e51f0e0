"""A hub director browses from their hub down to one person, by links only."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_hub_director_browses_hub_to_person(
    page: Page, world, sign_in, screenshot, check_a11y
) -> None:
    # A signed-out visit to the home page lands on the sign-in form.
    sign_in("hub.director@world.test", start="/", on_form=lambda: check_a11y("sign-in page"))
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Hub")
    expect(page.get_by_role("heading", name="Where you work")).to_be_visible()
    expect(page.get_by_role("link", name="North Test Hub")).to_be_visible()
    check_a11y("home page")

    main_nav = page.get_by_role("navigation", name="Main")
    main_nav.get_by_role("link", name="My hub").click()
    expect(page).to_have_url(re.compile(rf"/hubs/{world.hub.slug}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("North Test Hub")
    expect(main_nav.get_by_role("link", name="My hub")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("heading", name="Districts in the service area")).to_be_visible()
    expect(page.get_by_role("heading", name="Hub staff")).to_be_visible()
    screenshot("2-hub")
    check_a11y("hub page")

    page.get_by_role("link", name="Maple Grove CUSD 1").click()
    expect(page).to_have_url(re.compile(rf"/districts/{world.district.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Maple Grove CUSD 1")
    expect(page.get_by_text("Served by North Test Hub.")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"^Schools \("))).to_be_visible()
    screenshot("3-district")
    check_a11y("district page")

    page.get_by_role("link", name="Lincoln Elementary").click()
    expect(page).to_have_url(re.compile(rf"/schools/{world.school.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Lincoln Elementary")
    breadcrumb = page.get_by_role("navigation", name="Breadcrumb")
    expect(breadcrumb.get_by_role("link", name="Maple Grove CUSD 1")).to_be_visible()
    expect(page.get_by_role("heading", name="Characteristics by school year")).to_be_visible()
    screenshot("4-school")
    check_a11y("school page")

    page.get_by_role("link", name="Staff", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/schools/{world.school.pk}/staff/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff of Lincoln Elementary")
    staff_table = page.get_by_role("table", name="Current staff")
    expect(staff_table.get_by_role("link", name="Principal", exact=True)).to_be_visible()
    # A former teacher is not current staff.
    expect(staff_table.get_by_text("Former Teacher")).to_have_count(0)
    screenshot("5-staff")
    check_a11y("staff page")

    staff_table.get_by_role("link", name="Principal", exact=True).click()
    principal = world.people["principal"]
    expect(page).to_have_url(re.compile(rf"/people/{principal.public_id}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Principal")
    expect(page.get_by_role("heading", name="Roles", exact=True)).to_be_visible()
    roles = page.get_by_role("table", name="Roles held, current and past")
    expect(roles.get_by_role("link", name="Lincoln Elementary")).to_be_visible()
    expect(page.get_by_role("link", name=principal.email)).to_be_visible()
    screenshot("6-person")
    check_a11y("person page")
