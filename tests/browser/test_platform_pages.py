"""Every page the platform added, as the people who use it: headings and axe-core checks."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def visit(
    page: Page, path: str, heading: re.Pattern[str] | str, check_a11y, screenshot, step: str
) -> None:
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    screenshot(step)
    check_a11y(f"{step} ({path})")


def test_a_principals_platform_pages(page: Page, world, sign_in, screenshot, check_a11y) -> None:
    sign_in("principal@world.test")
    school = world.school.pk
    visit(page, "/my-work/", re.compile("work", re.I), check_a11y, screenshot, "1-my-work")
    visit(page, "/invitations/", re.compile("nvitation"), check_a11y, screenshot, "2-invitations")
    visit(page, "/invitations/new/", re.compile("nvite"), check_a11y, screenshot, "3-invite-one")
    visit(
        page, "/invitations/new/list/", re.compile("nvite"), check_a11y, screenshot, "4-invite-many"
    )
    visit(
        page,
        f"/invitations/schools/{school}/staff/",
        re.compile("taff"),
        check_a11y,
        screenshot,
        "5-staff",
    )
    visit(page, f"/files/schools/{school}/", re.compile("iles"), check_a11y, screenshot, "6-files")
    visit(
        page,
        "/people/security/",
        re.compile("ecurity|ign-in", re.I),
        check_a11y,
        screenshot,
        "7-security",
    )
    visit(page, "/api/tokens/", re.compile("API"), check_a11y, screenshot, "8-api-keys")
    visit(page, "/api/docs/", re.compile("API"), check_a11y, screenshot, "9-api-docs")
    visit(
        page,
        f"/schools/{school}/",
        "Lincoln Elementary",
        check_a11y,
        screenshot,
        "10-school-charts",
    )


def test_a_district_leaders_platform_pages(
    page: Page, world, sign_in, screenshot, check_a11y
) -> None:
    sign_in("district.leader@world.test")
    district = world.district.pk
    visit(
        page,
        f"/sso/districts/{district}/",
        re.compile("sign-on", re.I),
        check_a11y,
        screenshot,
        "1-sso",
    )
    visit(
        page, f"/data/districts/{district}/", re.compile("data"), check_a11y, screenshot, "2-data"
    )
    page.get_by_role("button", name="Prepare a full export").click()
    expect(page).to_have_url(re.compile(r"/tasks/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Export")
    check_a11y("export progress")


def test_pages_for_people_not_signed_in(page: Page, world, screenshot, check_a11y) -> None:
    from leadhub.invitations.services import invitation_create, invitation_token_issue

    invitation = invitation_create(
        inviter=world.people["principal"],
        email="nia.newcomer@world.test",
        full_name="Nia Newcomer",
        role="teacher",
        district=world.district,
        school=world.school,
    )
    token = invitation_token_issue(invitation=invitation)
    visit(page, "/sso/", re.compile("district", re.I), check_a11y, screenshot, "1-choose-district")
    visit(
        page,
        f"/invitations/accept/{token}/",
        re.compile("account"),
        check_a11y,
        screenshot,
        "2-accept",
    )
    expect(page.get_by_text("Lincoln Elementary").first).to_be_visible()


def test_a_state_administrator_signs_in_with_a_code_and_reads_the_audit_log(
    page: Page, world, screenshot, check_a11y
) -> None:
    from leadhub.accounts.tests.factories import TEST_TOTP_SECRET, current_code

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("state.admin@world.test")
    page.get_by_label("Password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot("1-code")
    check_a11y("two-factor code")
    page.get_by_label(re.compile("code", re.I)).first.fill(current_code(TEST_TOTP_SECRET))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Welcome, "))
    visit(page, "/audit/", re.compile("udit"), check_a11y, screenshot, "2-audit")
    visit(
        page,
        f"/data/districts/{world.district.pk}/?preview=1",
        re.compile("data"),
        check_a11y,
        screenshot,
        "3-disposal-preview",
    )
    expect(page.get_by_text(re.compile(r"rows in \d+ tables"))).to_be_visible()
