"""Teams as a principal uses them: from the school page to the ILT, closing a gap."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _warm_server(page: Page) -> None:
    """The live server's first page loads every URL module; on a busy machine that can
    take longer than the 5-second step timeout, so it is loaded once beforehand."""
    page.goto("/accounts/login/", timeout=60_000)


def test_a_principal_closes_a_gap_in_the_ilt(
    page: Page, world, sign_in, screenshot, check_a11y
) -> None:
    from leadhub.accounts.tests.factories import UserFactory
    from leadhub.orgs.tests.factories import MembershipFactory

    newcomer = UserFactory(email="gina.fifth@world.test", full_name="Gina Fifth")
    MembershipFactory(user=newcomer, role="teacher", school=world.school, district=world.district)

    sign_in("principal@world.test")
    page.goto(f"/schools/{world.school.pk}/")
    page.locator(".page-head").get_by_role("link", name="Teams", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Teams at Lincoln Elementary")
    yours = page.get_by_role("region", name="Your teams")
    expect(yours.get_by_role("link", name="Lincoln ILT")).to_be_visible()
    expect(page.get_by_role("link", name="New team")).to_be_visible()
    screenshot("1-list")
    check_a11y("team list")

    yours.get_by_role("link", name="Lincoln ILT").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lincoln ILT")
    panel = page.get_by_role("region", name="Who is on the ILT")
    expect(panel).to_contain_text("4 members: smaller than the preferred 8 to 15")
    expect(panel).to_contain_text("Nobody on the team represents the Grade 5 team.")
    expect(panel).to_contain_text("2 gaps to close")
    screenshot("2-ilt")
    check_a11y("team detail")

    panel.get_by_role("link", name="Add a representative of the Grade 5 team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Add a representative of the Grade 5 team"
    )
    represents = page.get_by_label("Represents the instructional team")
    expect(represents.locator("option:checked")).to_have_text("Grade 5 team")
    check_a11y("add member")
    # Nothing chosen yet: the message is at the person field, and nothing is lost.
    page.get_by_role("button", name="Add to the team").click()
    expect(page.locator("#id_user_error")).to_have_text("Choose a person.")
    expect(represents.locator("option:checked")).to_have_text("Grade 5 team")
    screenshot("3-add-member-error")
    check_a11y("add member with an error")

    page.get_by_label("Person").select_option(label="Gina Fifth")
    page.get_by_role("button", name="Add to the team").click()
    expect(page).to_have_url(re.compile(rf"/teams/{world.objects['ilt'].pk}/#members$"))
    expect(page.get_by_role("status").or_(page.locator(".messages"))).to_contain_text(
        "Gina Fifth is on Lincoln ILT"
    )
    panel = page.get_by_role("region", name="Who is on the ILT")
    expect(panel).to_contain_text("5 members")
    expect(panel).to_contain_text("Grade 5 team: Gina Fifth")
    expect(panel).not_to_contain_text("Nobody on the team represents the Grade 5 team.")
    expect(panel).to_contain_text("1 gap to close")
    members = page.get_by_role("region", name=re.compile("^Members"))
    gina = members.get_by_role("row", name=re.compile("Gina Fifth"))
    expect(gina).to_contain_text("Grade 5 team")
    expect(gina).to_contain_text("Member")
    screenshot("4-ilt-after")


def test_a_principal_starts_a_team_on_a_phone(
    page: Page, world, sign_in, screenshot, check_a11y
) -> None:
    sign_in("principal@world.test")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/teams/new/?school={world.school.pk}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a team")
    # "Organized by" applies to instructional teams only.
    expect(page.get_by_label("Organized by")).to_be_hidden()
    page.get_by_label("Kind of team").select_option(label="Instructional team")
    expect(page.get_by_label("Organized by")).to_be_visible()
    page.get_by_label("Organized by").select_option(label="Subject area")
    page.get_by_label("Name").fill("Math department")
    screenshot("1-create")
    check_a11y("create team")
    page.get_by_role("button", name="Create the team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Math department")
    expect(page.get_by_role("region", name=re.compile("^Members"))).to_contain_text("Principal")
    screenshot("2-created")
    check_a11y("new team page")

    # A parent joins the School Improvement Team by name and email.
    page.goto(f"/teams/{world.objects['sit'].pk}/members/add/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Add a member to Lincoln School Improvement Team"
    )
    expect(page.get_by_label("Who they are")).to_be_hidden()
    page.get_by_label("Role on the team").select_option(label="Community member")
    expect(page.get_by_label("Who they are")).to_be_visible()
    page.get_by_label("Who they are").select_option(label="Student")
    page.get_by_label("Name", exact=True).fill("Sam Student")
    page.get_by_label("Email address").fill("sam.student@example.test")
    page.get_by_role("button", name="Add to the team").click()
    expect(page.locator("#id_community_kind_error")).to_contain_text(
        "only in schools with high-school grades"
    )
    expect(page.get_by_label("Name", exact=True)).to_have_value("Sam Student")
    screenshot("3-sit-student-refused")
    check_a11y("add a community member")
    page.get_by_label("Who they are").select_option(label="Parent or guardian")
    page.get_by_label("Name", exact=True).fill("Robin Guardian")
    page.get_by_label("Email address").fill("robin.guardian@example.test")
    page.get_by_role("button", name="Add to the team").click()
    members = page.get_by_role("region", name=re.compile("^Members"))
    expect(members.get_by_role("row", name=re.compile("Robin Guardian"))).to_contain_text(
        "Parent or guardian"
    )
    screenshot("4-sit")
