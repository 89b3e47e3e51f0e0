"""The district's team-health view: a district leader ranks the district's teams by one
indicator, narrows them to a band with the keyboard alone, and opens a team."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

BANDS = ("strong", "developing", "attention")


@pytest.fixture(autouse=True)
def _warm_server(page: Page) -> None:
    """The live server's first page loads every URL module; on a busy machine that can
    take longer than a step's timeout, so it is loaded once beforehand."""
    page.goto("/accounts/login/", timeout=60_000)


def _snapshots(world: Any) -> None:
    """Every team of the district with all twelve indicators, in varied bands."""
    from leadhub.health.indicators import INDICATORS, Unit
    from leadhub.health.models import HealthSnapshot, Status
    from leadhub.teams.models import Team

    month = timezone.localdate().replace(day=1)
    rows = []
    teams = Team.objects.active().filter(district=world.district).order_by("pk")
    for team_index, team in enumerate(teams):
        for item_index, item in enumerate(INDICATORS):
            band = BANDS[(team_index + item_index) % 3]
            measured = (team_index * 7 + item_index) % 5 != 0
            share = {"strong": 0.92, "developing": 0.7, "attention": 0.4}[band]
            value = share * 90 if item.unit == Unit.MINUTES else share
            rows.append(
                HealthSnapshot(
                    team=team,
                    district_id=team.district_id,
                    school_id=team.school_id,
                    team_kind=team.kind,
                    month=month,
                    as_of=month + dt.timedelta(days=14),
                    indicator=item.code,
                    year_status=Status.MEASURED if measured else Status.NOT_ENOUGH_DATA,
                    year_value=value if measured else None,
                    year_band=band if measured else "",
                    year_detail="7 of 9 periods" if measured else "Only 2 held meetings.",
                    recent_status=Status.MEASURED,
                    recent_value=value,
                    recent_band=band,
                    recent_detail="3 of 4 periods",
                    computed_at=timezone.now(),
                )
            )
    HealthSnapshot.objects.bulk_create(rows)


def test_a_district_leader_ranks_and_filters_the_teams_with_the_keyboard(
    page: Page, world, sign_in, screenshot, check_a11y
) -> None:
    from leadhub.teams.models import TeamKind
    from leadhub.teams.tests.factories import TeamFactory

    for _ in range(4):  # enough teams that the school's matrix is wider than the window
        TeamFactory(kind=TeamKind.INSTRUCTIONAL, school=world.school)
    _snapshots(world)
    sign_in("district.leader@world.test")

    page.goto(f"/health/districts/{world.district.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Maple Grove CUSD 1: every team")
    expect(page.get_by_role("heading", name="Regular meetings: this school year")).to_be_visible()
    table = page.get_by_role("table", name=re.compile("^Teams by regular meetings"))
    expect(table).to_be_visible()
    # The first team is the one most in need: its band is named, not only coloured.
    expect(table.locator("tbody tr").first).to_contain_text("Needs attention")
    screenshot("1-district")
    check_a11y("district team health")

    indicator = page.get_by_role("combobox", name=re.compile("^Indicator"))
    indicator.focus()
    indicator.press("M")  # "Members arriving on time", the first indicator starting with M
    expect(indicator).to_have_value("punctuality")
    band = page.get_by_role("combobox", name=re.compile("^Band"))
    band.focus()
    band.press("N")  # "Needs attention"
    expect(band).to_have_value("attention")
    page.keyboard.press("Tab")
    expect(page.get_by_role("combobox", name=re.compile("^School"))).to_be_focused()
    page.keyboard.press("Tab")
    show = page.get_by_role("button", name="Show")
    expect(show).to_be_focused()
    page.keyboard.press("Enter")

    # The form sends the reader straight to the results, past the filters.
    expect(page).to_have_url(re.compile(r"indicator=punctuality.*band=attention.*#results$"))
    expect(
        page.get_by_role("heading", name="Members arriving on time: this school year")
    ).to_be_visible()
    rows = page.get_by_role("table", name=re.compile("^Teams by members arriving")).locator(
        "tbody tr"
    )
    expect(rows.first).to_be_visible()
    for index in range(rows.count()):
        expect(rows.nth(index).locator(".health-across-chosen")).to_contain_text("Needs attention")
    expect(band).to_have_value("attention")
    screenshot("2-filtered")
    check_a11y("district team health, filtered")

    export = page.get_by_role("link", name=re.compile("^Download these teams as CSV"))
    expect(export).to_have_attribute("href", re.compile(r"export\.csv\?.*band=attention"))

    # Each team link names its school: several schools' ILTs share a name.
    expect(rows.first.get_by_role("link", name=re.compile(r" at \w"))).to_have_count(1)
    rows.first.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/health/teams/\d+/$"))
    page.go_back()

    page.get_by_role("link", name="Lincoln Elementary", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lincoln Elementary: every team")
    matrix = page.get_by_role("table", name=re.compile("^Indicators of each team"))
    expect(matrix.get_by_role("link", name="Lincoln ILT")).to_be_visible()
    # The page fits the window; the matrix scrolls in its own region, by keyboard too,
    # and the indicator names stay in view while it does.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    region = page.get_by_role("region", name=re.compile("^Every team of Lincoln Elementary"))
    region.focus()
    indicator_cell = matrix.locator("tbody th").first
    left = indicator_cell.bounding_box()["x"]  # type: ignore[index]
    assert region.evaluate("element => element.scrollWidth > element.clientWidth")
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "element => element.scrollLeft > 0", arg=region.element_handle(), timeout=5_000
    )
    assert indicator_cell.bounding_box()["x"] == left  # type: ignore[index]
    screenshot("3-school")
    check_a11y("school team health")
