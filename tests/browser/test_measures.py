"""Measures as a principal and a district leader use them: the school's data page, one
measure's chart read another way and saved, a value typed in place, and schools
compared with a small group hidden."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _warm_server(page: Page) -> None:
    """The first page loads every URL module and the chart renderer: slow once."""
    page.goto("/accounts/login/", timeout=60_000)


def test_a_principal_reads_a_chart_saves_its_rules_and_adds_a_value(
    page: Page, world, sign_in, screenshot, check_a11y
) -> None:
    sign_in("principal@world.test")
    page.goto("/measures/", timeout=60_000)
    expect(page.get_by_role("heading", level=1)).to_have_text("Lincoln Elementary: data")
    expect(page.get_by_role("heading", name="Needs attention first")).to_be_visible()
    math = page.get_by_role("article", name="Math benchmark: at or above standard")
    math.get_by_text(re.compile("^By student group")).click()
    expect(math.locator("td[data-suppressed]")).to_have_count(3)
    screenshot("1-school-data")
    check_a11y("school data page")

    page.get_by_role("link", name="Average daily attendance", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Average daily attendance")
    chart = page.get_by_role("region", name=re.compile("^Run chart"))
    expect(chart.locator("svg[role=img]")).to_be_visible()
    expect(chart.get_by_role("heading", name="What the rules flag")).to_be_visible()
    screenshot("2-run-chart")
    check_a11y("measure page")

    # Read it as a control chart from a baseline: shown, not saved, until saved.
    page.get_by_label("Read the chart with").select_option(label="Control chart: XmR (individuals)")
    page.get_by_label("Baseline from").fill(f"{world.year - 2}-09-01")
    page.get_by_label("Baseline to").fill(f"{world.year - 1}-02-01")
    page.get_by_role("button", name="Show the chart").click()
    chart = page.get_by_role("region", name=re.compile("^Control chart: XmR"))
    expect(chart).to_contain_text("the saved chart is unchanged")
    expect(chart.locator("svg[role=img]")).to_be_visible()
    screenshot("3-xmr-preview")
    page.get_by_role("button", name="Save this chart for everyone").click()
    expect(page.locator(".messages")).to_contain_text("saved for everyone")
    chart = page.get_by_role("region", name=re.compile("^Control chart: XmR"))
    expect(chart).not_to_contain_text("the saved chart is unchanged")
    expect(chart).to_contain_text("Saved for everyone: the XmR control chart")
    screenshot("4-xmr-saved")
    check_a11y("measure page, control chart saved")

    # A value without its figure is corrected in place; then it is saved.
    add = page.locator("#value-add")
    add.get_by_label("Period starting").fill(f"{world.year - 1}-11-01")
    add.get_by_label("Period name").fill(f"November {world.year - 1}")
    add.get_by_role("button", name="Save the value").click()
    expect(page.locator("#id_value_error")).to_have_text("Enter the value.")
    expect(page.locator("#value-add").get_by_label("Period name")).to_have_value(
        f"November {world.year - 1}"
    )
    screenshot("5-value-error")
    check_a11y("value form with an error")
    page.locator("#value-add").get_by_label("Value (percent)").fill("96.4")
    page.locator("#value-add").get_by_role("button", name="Save the value").click()
    expect(page.locator(".messages")).to_contain_text(f"November {world.year - 1} is saved")
    values = page.get_by_role("region", name="Values")
    row = values.get_by_role("row", name=re.compile(f"November {world.year - 1}"))
    expect(row).to_contain_text("96.4%")
    expect(page.locator(".chart-data")).to_contain_text("96.4%")
    screenshot("6-value-added")

    # Changing it opens in the row.
    row.get_by_role("link", name=re.compile("^Change")).click()
    editing = page.locator("tr.measure-editing")
    expect(editing.get_by_label("Value (percent)")).to_have_value("96.4")
    editing.get_by_label("Value (percent)").fill("96.6")
    editing.get_by_role("button", name="Save the change").click()
    expect(
        values.get_by_role("row", name=re.compile(f"November {world.year - 1}"))
    ).to_contain_text("96.6%")
    check_a11y("measure page after a change")


def test_a_district_leader_compares_schools_with_a_small_group_hidden(
    page: Page, world, sign_in, screenshot, check_a11y
) -> None:
    sign_in("district.leader@world.test")
    page.goto("/measures/", timeout=60_000)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Maple Grove CUSD 1: schools compared"
    )
    table = page.get_by_role("table", name=re.compile("by school$"))
    expect(table.get_by_role("row", name=re.compile("Lincoln Elementary"))).to_contain_text("69%")
    expect(page.locator(".chart svg[role=img]")).to_be_visible()
    screenshot("1-all-students")
    check_a11y("schools compared")

    page.get_by_label("Students", exact=True).select_option(label="English learners")
    page.get_by_role("button", name="Compare").click()
    table = page.get_by_role("table", name=re.compile("English learners"))
    lincoln = table.get_by_role("row", name=re.compile("Lincoln Elementary"))
    expect(lincoln.locator("td[data-suppressed]")).to_have_text(re.compile("^Fewer than 10"))
    expect(page.get_by_text("1 school hidden")).to_be_visible()
    screenshot("2-english-learners")
    check_a11y("schools compared, a small group hidden")

    page.set_viewport_size({"width": 320, "height": 720})
    screenshot("3-english-learners-320px")
    check_a11y("schools compared at 320px")


def test_a_teacher_starts_a_team_measure_from_the_library(
    page: Page, world, sign_in, screenshot, check_a11y
) -> None:
    sign_in("teacher@world.test")
    page.goto("/measures/library/", timeout=60_000)
    expect(page.get_by_role("heading", level=1)).to_have_text("Measures")
    expect(page.get_by_role("link", name="Grade 3 team")).to_be_visible()
    screenshot("1-library")
    check_a11y("measures library")

    page.get_by_role("link", name="Grade 3 team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grade 3 team: data")
    expect(page.get_by_role("article", name="Grade 3 exit tickets: share correct")).to_contain_text(
        "66%"
    )
    screenshot("2-team-data")
    check_a11y("team data page")

    page.get_by_role("link", name="New team measure").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New measure")
    page.get_by_label("Name").fill("Fluency check: words correct per minute")
    page.get_by_label("Where it belongs").select_option(label="Grade 3 team (Lincoln Elementary)")
    page.get_by_label("Level").select_option(label="School")
    page.get_by_label("Unit").select_option(label="Score")
    page.get_by_role("button", name="Add the measure").click()
    expect(page.locator("#id_level_error")).to_contain_text("choose the team level")
    screenshot("3-create-error")
    check_a11y("new measure with an error")
    page.get_by_label("Level").select_option(label="Team")
    page.get_by_role("button", name="Add the measure").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Fluency check: words correct per minute"
    )
    expect(page.get_by_text("No values yet, so there is nothing to chart.")).to_be_visible()
    screenshot("4-new-measure")
    check_a11y("a new measure's page")


def test_a_hub_director_compares_the_hubs_schools(
    page: Page, world, sign_in, screenshot, check_a11y
) -> None:
    sign_in("hub.director@world.test")
    page.goto("/measures/", timeout=60_000)
    expect(page.get_by_role("heading", level=1)).to_have_text("North Test Hub: schools compared")
    table = page.get_by_role("table", name=re.compile("by school$"))
    expect(table.get_by_role("row", name=re.compile("Lincoln Elementary"))).to_contain_text(
        "Maple Grove CUSD 1"
    )
    screenshot("1-hub")
    check_a11y("hub comparison")
    page.goto(f"/measures/{world.objects['computed_measure'].pk}/")
    expect(page.get_by_role("heading", name="Choose where to look")).to_be_visible()
    page.get_by_role("link", name="Lincoln Elementary").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Math benchmark: at or above standard"
    )
    expect(page.locator("#groups td[data-suppressed]")).to_have_count(3)
    screenshot("2-measure")
    check_a11y("measure page for a hub director")
