"""The friendly error pages a person meets when a link leads somewhere they may not go."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_staff_page_of_another_school_is_a_friendly_404(
    page: Page, world, sign_in, screenshot, check_a11y
) -> None:
    sign_in("other.school.teacher@world.test")
    response = page.goto(f"/schools/{world.school.pk}/staff/")
    assert response is not None and response.status == 404
    expect(page).to_have_title("Page not found · LeadHub")
    expect(page.get_by_role("heading", level=1)).to_have_text("We couldn't find that page")
    expect(page.get_by_text("It may have moved")).to_be_visible()
    # Still signed in, with the navigation and a way home.
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    home = page.get_by_role("link", name="Back to your home page")
    expect(home).to_be_visible()
    screenshot("1-404")
    check_a11y("404 page")

    home.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Other")
    screenshot("2-home")


def test_teacher_editing_characteristics_gets_a_friendly_403(
    page: Page, world, sign_in, screenshot, check_a11y
) -> None:
    sign_in("teacher@world.test")
    # The teacher can see the school, but is offered no edit button.
    page.goto(f"/schools/{world.school.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lincoln Elementary")
    expect(page.get_by_role("link", name="Edit", exact=False)).to_have_count(0)
    screenshot("1-school")

    response = page.goto(f"/schools/{world.school.pk}/characteristics/{world.year}/")
    assert response is not None and response.status == 403
    expect(page).to_have_title("Not allowed · LeadHub")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your role does not allow this")
    expect(page.get_by_text("ask the person who manages roles")).to_be_visible()
    expect(page.get_by_role("link", name="Back to your home page")).to_be_visible()
    # No form leaks through.
    expect(page.locator("form input[name=enrollment]")).to_have_count(0)
    screenshot("2-403")
    check_a11y("403 page")
