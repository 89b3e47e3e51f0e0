"""A principal reads the ILT's health: from the navigation to the team's indicators, then by
keyboard to the meetings behind one number."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots_teampage")  # noqa: S108 (a copy to look at, outside the repository)


@pytest.fixture(autouse=True)
def _warm_server(page: Page) -> None:
    """The live server's first page loads every URL module; on a busy machine that can
    take longer than a step's timeout, so it is loaded once beforehand."""
    page.goto("/accounts/login/", timeout=60_000)


def a_term_of_ilt_meetings(world) -> None:  # type: ignore[no-untyped-def]
    """The ILT formed in the summer and met every other week since, once starting late,
    so the page has figures to show rather than only "not enough data"."""
    from leadhub.meetings.models import AgendaKind, MeetingStatus
    from leadhub.meetings.tests.factories import AgendaItemFactory, MeetingFactory
    from leadhub.teams.models import Team

    ilt = world.objects["ilt"]
    people = world.people
    today = timezone.localdate()
    Team.objects.filter(pk=ilt.pk).update(created_at=timezone.now() - dt.timedelta(days=150))
    for weeks, late in ((4, 2), (6, 12), (8, 0), (10, 3), (12, 0)):
        day = today - dt.timedelta(weeks=weeks)
        start = timezone.make_aware(dt.datetime.combine(day, dt.time(15, 30)))
        meeting = MeetingFactory(
            team=ilt,
            scheduled_start=start,
            status=MeetingStatus.HELD,
            actual_start=start + dt.timedelta(minutes=late),
            actual_end=start + dt.timedelta(minutes=75),
            facilitator=people["principal"],
            recorder=people["instructional_coach"],
            timekeeper=people["teacher"] if weeks % 4 else None,
            agenda_drafted_at=start - dt.timedelta(days=12),
        )
        AgendaItemFactory(meeting=meeting, kind=AgendaKind.DATA_REVIEW, minutes_allotted=40)
        AgendaItemFactory(meeting=meeting, kind=AgendaKind.INFORMATION, minutes_allotted=30)


def the_nightly_snapshots(world) -> None:  # type: ignore[no-untyped-def]
    from leadhub.health.snapshots import snapshots_refresh

    snapshots_refresh([world.objects["ilt"].pk])


def test_a_principal_reads_the_ilts_health_and_the_meetings_behind_a_number(
    page: Page, world, sign_in, screenshot, check_a11y
) -> None:
    a_term_of_ilt_meetings(world)
    the_nightly_snapshots(world)
    ilt, held = world.objects["ilt"], world.objects["held_meeting"]
    SHOTS.mkdir(parents=True, exist_ok=True)

    def shoot(step: str) -> None:
        screenshot(step)
        page.screenshot(path=SHOTS / f"{step}.png", full_page=True)

    sign_in("principal@world.test")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Team health").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Team health")
    expect(page.get_by_role("heading", name="Lincoln Elementary")).to_be_visible()
    ilt_row = page.get_by_role("row", name=re.compile("^Lincoln ILT"))
    expect(ilt_row.get_by_text("Needs attention")).to_be_visible()
    check_a11y("team health home")
    shoot("1-home")

    page.get_by_role("link", name="Lincoln ILT").click()
    expect(page).to_have_url(re.compile(rf"/health/teams/{ilt.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Lincoln ILT")
    expect(
        page.get_by_text("An ILT is expected to meet every two weeks for 90 minutes.")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Where to focus")).to_be_visible()
    indicators = page.get_by_role("table", name=re.compile("^Indicators of Lincoln ILT"))
    expect(indicators.get_by_role("row")).to_have_count(13)
    page.get_by_role("combobox", name="Indicator").select_option(label="Regular meetings")
    page.get_by_role("button", name="Show the trend").click()
    expect(page).to_have_url(re.compile(r"\?trend=cadence"))
    expect(
        page.get_by_role("img", name=re.compile("^Regular meetings: school year to date"))
    ).to_be_visible()
    check_a11y("team health page")
    shoot("2-team")

    show_me = page.get_by_role(
        "link", name="Show me the records behind starting on time, this school year"
    ).last
    show_me.focus()
    expect(show_me).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Starting on time: this school year")
    records = page.get_by_role("table", name=re.compile("^Records behind starting on time"))
    meeting_url = reverse("meetings:meeting_detail", args=[held.pk])
    expect(records.locator(f'a[href="{meeting_url}"]')).to_have_count(1)
    expect(records.get_by_role("row")).to_have_count(8)  # a header and seven held meetings
    check_a11y("show me page")
    shoot("3-evidence")

    records.locator(f'a[href="{meeting_url}"]').click()
    expect(page).to_have_url(re.compile(rf"{meeting_url}$"))
