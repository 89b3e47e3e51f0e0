"""A principal sets up the ILT's regular meetings, watches the preview follow the form,
moves one meeting, changes the schedule, and makes a calendar link."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from leadhub.meetings.models import Meeting, MeetingSeries, MeetingStatus

pytestmark = pytest.mark.browser


def test_a_principal_sets_up_and_adjusts_the_ilt_schedule(
    page: Page, world, sign_in, screenshot, check_a11y
) -> None:
    ilt = world.objects["ilt"]
    # Start from a team without a regular schedule (its past meetings stay).
    MeetingSeries.objects.filter(team=ilt).delete()
    held_before = {
        m.pk: (m.scheduled_start, m.location)
        for m in Meeting.objects.filter(team=ilt, status=MeetingStatus.HELD)
    }
    sign_in("principal@world.test")

    page.goto(f"/meetings/teams/{ilt.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lincoln ILT meetings")
    page.get_by_role("link", name="Set up regular meetings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up regular meetings")
    preview = page.locator("#series-preview")
    expect(preview).to_contain_text(
        "Every 2 weeks on Wednesday, 3:30–5:00 pm, skipping non-instructional days"
    )
    screenshot("1-series-form")
    check_a11y("series form")

    # The preview follows the form as it changes (htmx, no page load).
    page.get_by_label("Day of the week").select_option("Thursday")
    expect(preview).to_contain_text("Every 2 weeks on Thursday")
    page.get_by_label("Certain weeks of each month").check()
    expect(page.get_by_label("Every how many weeks")).to_be_hidden()
    expect(preview).to_contain_text("Weeks of the month")  # the missing choice is named
    page.get_by_label("1st", exact=True).check()
    page.get_by_label("3rd", exact=True).check()
    expect(preview).to_contain_text("The 1st and 3rd Thursday of each month, 3:30–5:00 pm")
    screenshot("2-series-form-monthly")
    # Back to every other week, on Wednesdays, in the library.
    page.get_by_label("Every week, or every few weeks").check()
    page.get_by_label("Day of the week").select_option("Wednesday")
    page.get_by_label("Place").fill("Library")
    expect(preview).to_contain_text("Every 2 weeks on Wednesday")
    page.get_by_label("Length (minutes)").fill("0")
    page.get_by_label("Place").focus()
    expect(preview).to_contain_text("at least 5 minutes")
    page.get_by_label("Length (minutes)").fill("90")
    page.get_by_label("Place").focus()
    expect(preview).to_contain_text("meetings from today through")
    page.get_by_role("button", name="Set up these meetings").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Lincoln ILT meetings")
    expect(page.get_by_role("status")).to_contain_text("The schedule is set")
    expect(page.locator("main")).to_contain_text("Every 2 weeks on Wednesday, 3:30–5:00 pm")
    series = MeetingSeries.objects.get(team=ilt)
    first = series.meetings.order_by("scheduled_start").first()
    assert first is not None and first.local_start.weekday() == 2
    screenshot("3-team-meetings")
    check_a11y("team meetings")

    # Move the first meeting of the series by a day.
    page.get_by_role("link", name=re.compile(r"^Move the meeting of")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Move the meeting of")
    check_a11y("move a meeting")
    target = series.meetings.order_by("scheduled_start").first()
    assert target is not None
    new_day = target.date + dt.timedelta(days=1)
    page.get_by_label("Date").fill(new_day.isoformat())
    page.get_by_label("Starts at").fill("15:45")
    screenshot("4-move-meeting")
    page.get_by_role("button", name="Move the meeting").click()
    expect(page.get_by_role("status")).to_contain_text("Meeting moved to")
    target.refresh_from_db()
    assert target.detached and target.sequence == 1 and target.date == new_day
    expect(page.locator("tbody tr").filter(has_text="Moved").first).to_contain_text("3:45")

    # Changing the schedule says what changes and that held meetings stay as recorded.
    page.get_by_role("link", name="Change the schedule").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change the regular schedule")
    page.get_by_label("Starts at").fill("16:00")
    page.get_by_label("Place").focus()
    expect(preview).to_contain_text("What saving changes")
    expect(preview).to_contain_text("move to the new time, length or place")
    expect(preview).to_contain_text("on its own stays as you left it")
    screenshot("5-series-edit")
    check_a11y("series edit")
    page.get_by_role("button", name="Save the schedule").click()
    expect(page.get_by_role("status")).to_contain_text("The schedule is saved")
    target.refresh_from_db()
    assert target.local_start.time() == dt.time(15, 45)  # moved on its own: left alone
    for pk, (start, location) in held_before.items():
        held = Meeting.objects.get(pk=pk)
        assert (held.scheduled_start, held.location) == (start, location)
    upcoming = series.meetings.filter(
        scheduled_start__gt=timezone.now(), status=MeetingStatus.SCHEDULED, detached=False
    )
    assert {m.local_start.time() for m in upcoming} == {dt.time(16, 0)}

    # Cancel one meeting: it stays on the list, marked cancelled, with the reason.
    page.get_by_role("link", name=re.compile(r"^Cancel the meeting of")).nth(1).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cancel the meeting of")
    check_a11y("cancel a meeting")
    page.get_by_label("Reason (optional)").fill("Parent conferences")
    page.get_by_role("button", name="Cancel this meeting").click()
    expect(page.get_by_role("status")).to_contain_text("is cancelled")
    cancelled_row = page.locator("tbody tr").filter(has_text="Parent conferences")
    expect(cancelled_row).to_contain_text("Cancelled")
    screenshot("6-team-meetings-after-changes")

    page.goto("/meetings/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Meetings")
    expect(page.locator("main")).to_contain_text("Lincoln ILT")
    screenshot("7-my-meetings")
    check_a11y("my meetings")

    page.get_by_role("link", name="Add meetings to my calendar app").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Calendar links")
    page.get_by_label("Meetings of").select_option(label="Lincoln ILT · Lincoln Elementary")
    page.get_by_role("button", name="Make the link").click()
    address = page.get_by_label("Calendar address")
    expect(address).to_have_value(re.compile(r"^http://.+/meetings/calendar/[\w-]+\.ics$"))
    screenshot("8-calendar-link")
    check_a11y("calendar links")
    feed = page.request.get(address.input_value())
    assert feed.status == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "SUMMARY:Lincoln ILT meeting" in feed.text()

    # On a phone (320 CSS pixels) the meeting list and the form reflow without sideways
    # scrolling (WCAG 1.4.10).
    page.set_viewport_size({"width": 320, "height": 800})
    for path, step in (
        (f"/meetings/teams/{ilt.pk}/", "9-team-meetings-phone"),
        (f"/meetings/series/{series.pk}/edit/", "10-series-form-phone"),
    ):
        page.goto(path)
        width = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert width[0] <= width[1] + 1, f"{path} scrolls sideways at 320 px: {width}"
        screenshot(step)
