"""A form sent with bad values: clear messages, tied to their fields, nothing lost."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from leadhub.orgs.models import SchoolProfile

pytestmark = pytest.mark.browser


def test_characteristics_form_explains_bad_values(
    page: Page, world, sign_in, screenshot, check_a11y
) -> None:
    before = SchoolProfile.objects.get(school=world.school, school_year_id=world.year)
    sign_in("principal@world.test")
    page.goto(f"/schools/{world.school.pk}/")
    page.get_by_role("link", name=re.compile(r"^Edit \d{4}–\d\d characteristics$")).click()
    expect(page).to_have_url(
        re.compile(rf"/schools/{world.school.pk}/characteristics/{world.year}/$")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^Lincoln Elementary: \d{4}–\d\d characteristics$")
    )
    screenshot("1-form")
    check_a11y("characteristics form")

    enrollment = page.get_by_label("Enrollment")
    low_income = page.get_by_label("Low-income students (%)")
    english = page.get_by_label("English learners (%)")
    iep = page.get_by_label("Students with IEPs (%)")
    locale = page.get_by_label("Locale")
    enrollment.fill("-5")
    low_income.fill("140")
    english.fill("12.5")
    iep.fill("9.5")
    locale.select_option("town")
    page.get_by_role("button", name=re.compile(r"^Save .* characteristics$")).click()

    # The page says something went wrong, and nothing was saved.
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Please correct the highlighted fields below.")
    expect(summary).to_contain_text("Nothing has been saved yet.")
    after = SchoolProfile.objects.get(pk=before.pk)
    assert (after.enrollment, after.pct_low_income) == (before.enrollment, before.pct_low_income)

    # Each bad field has its own message, next to it and tied to it.
    for field, message in (
        (enrollment, "greater than or equal to 0"),
        (low_income, "less than or equal to 100"),
    ):
        expect(field).to_have_attribute("aria-invalid", "true")
        error = field.locator("xpath=..").locator(".error")
        expect(error).to_be_visible()
        expect(error).to_contain_text(message)
        error_id = error.get_attribute("id")
        assert error_id, "the error message has no id to point at"
        described_by = (field.get_attribute("aria-describedby") or "").split()
        assert error_id in described_by, (
            f"{field} aria-describedby={described_by} does not point at its error #{error_id}"
        )
        expect(field).to_have_accessible_description(re.compile(re.escape(message)))

    # What was typed is still there, the good values and the bad.
    expect(enrollment).to_have_value("-5")
    expect(low_income).to_have_value("140")
    expect(english).to_have_value("12.5")
    expect(iep).to_have_value("9.5")
    expect(locale).to_have_value("town")
    # Fields without an error are not marked.
    expect(english).not_to_have_attribute("aria-invalid", "true")
    screenshot("2-errors")
    check_a11y("characteristics form with errors")
