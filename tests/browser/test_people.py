"""The people directory: search as you type, filter by role, count and pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from leadhub.accounts.tests.factories import UserFactory
from leadhub.orgs.tests.factories import MembershipFactory

pytestmark = pytest.mark.browser


def test_principal_searches_the_people_directory(
    page: Page, world, sign_in, screenshot, check_a11y
) -> None:
    # Enough colleagues for a second page (25 a page).
    for n in range(1, 27):
        MembershipFactory(
            user=UserFactory(email=f"colleague{n:02}@world.test", full_name=f"Colleague {n:02}"),
            role="teacher",
            school=world.school,
            district=world.district,
        )
    sign_in("principal@world.test")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    expect(page).to_have_url(re.compile(r"/people/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    results = page.locator("#people-results")
    table = results.get_by_role("table", name="People matching your search")
    count = page.locator("#people-count")
    # Lincoln's 4 current staff + 26 colleagues + the district leader; not the
    # former teacher, not the sibling school's teacher.
    expect(count).to_have_text("31 people")
    expect(table.locator("tbody tr")).to_have_count(25)
    pages = page.get_by_role("navigation", name="Pages")
    expect(pages).to_contain_text("Page 1 of 2")
    expect(table.get_by_text("Former Teacher")).to_have_count(0)
    expect(table.get_by_text("Other School Teacher")).to_have_count(0)
    screenshot("1-directory")
    check_a11y("people directory")

    # Type part of a name: htmx swaps the results in after a 300 ms pause, and
    # puts the search in the address bar.
    marker = page.evaluate("() => (window.__sameDocument = Math.random())")
    page.get_by_label("Search by name or email").press_sequentially("assis", delay=40)
    expect(count).to_have_text("1 person")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.get_by_role("link", name="Assistant Principal")).to_be_visible()
    expect(table).to_contain_text("Assistant principal · Lincoln Elementary")
    expect(pages).to_have_count(0)
    expect(page).to_have_url(re.compile(r"[?&]q=assis"))
    assert page.evaluate("() => window.__sameDocument") == marker, "the page reloaded"
    screenshot("2-search")
    check_a11y("people directory, searched")

    # A search nobody matches says so.
    page.get_by_label("Search by name or email").fill("zzzz-nobody")
    expect(count).to_have_text("0 people")
    expect(table).to_contain_text("Nobody matches.")
    screenshot("3-no-match")

    # Clear the search, then filter by role.
    page.get_by_label("Search by name or email").fill("")
    expect(count).to_have_text("31 people")
    page.get_by_label("Role").select_option(label="District leader")
    expect(count).to_have_text("1 person")
    expect(table.get_by_role("link", name="District Leader")).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]role=district_leader"))

    page.get_by_label("Role").select_option(label="Teacher")
    expect(count).to_have_text("27 people")
    expect(table.get_by_role("link", name="Principal", exact=True)).to_have_count(0)
    expect(pages).to_contain_text("Page 1 of 2")
    screenshot("4-role-filter")
    check_a11y("people directory, filtered by role")

    # The second page keeps the filter.
    pages.get_by_role("link", name="Next").click()
    expect(page).to_have_url(re.compile(r"role=teacher.*page=2|page=2.*role=teacher"))
    expect(pages).to_contain_text("Page 2 of 2")
    expect(count).to_have_text("27 people")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(page.get_by_label("Role")).to_have_value("teacher")
    screenshot("5-page-2")
    check_a11y("people directory, page 2")
