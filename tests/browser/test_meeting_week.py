"""The ILT's working week end to end (issue 4, acceptance 1): the recorder, who also keeps
time, runs a whole meeting; drafting the next agenda carries the unfinished item and the
open action item forward; the Grade 3 representative finds the report-back in My work."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from leadhub.meetings.models import AgendaItem, Meeting, MeetingStatus, ReportBack
from tests.browser.test_meeting_live import meeting_today, patient, sign_in_on

pytestmark = pytest.mark.browser

DECISION = "Every class tries the new exit ticket for two weeks."
ACTION = "Collect exit tickets from every class"


def test_a_meeting_and_what_it_hands_to_the_next_one(
    page: Page, browser: Browser, live_server: Any, world, sign_in, screenshot, check_a11y
) -> None:
    patient(page)
    meeting = meeting_today(world)
    writing = meeting.agenda_items.get(title="Look at writing samples")
    fluency = meeting.agenda_items.get(title="Fluency check results")
    next_meeting = world.objects["next_meeting"]
    sign_in("instructional.coach@world.test")
    page.goto(f"/meetings/{meeting.pk}/")

    page.get_by_role("button", name="Start meeting").click()
    expect(page.get_by_text("In progress", exact=True)).to_be_visible()

    attendance = page.locator("#attendance")
    attendance.get_by_role("button", name="Mark everyone not yet marked as on time").click()
    expect(page.locator("#attendance-summary")).to_contain_text("4 of 4 present")

    item = page.locator(f"#item-{writing.pk}")
    item.get_by_role("button", name="Start timer for “Look at writing samples”").click()
    expect(item.locator("[data-state]")).to_have_text("running")
    expect(item.locator("[data-clock]")).to_have_text(re.compile(r"^0:0[1-9]$"))
    item.get_by_role("button", name="Pause timer for “Look at writing samples”").click()
    expect(item.locator("[data-state]")).to_have_text("paused")
    item.get_by_label("Notes on “Look at writing samples”").fill("Conclusions are rushed.")
    expect(item.locator(f"#notes-msg-{writing.pk}")).to_contain_text("Saved", timeout=15_000)
    item.get_by_role("button", name="Done").click()
    expect(item.locator(".item-status")).to_contain_text("Status: Done")

    unfinished = page.locator(f"#item-{fluency.pk}")
    unfinished.get_by_role("button", name="Unfinished: carry forward").click()
    expect(unfinished.locator(".item-status")).to_contain_text("Unfinished")

    decisions = page.locator("#decisions")
    decisions.get_by_label("What was decided").fill(DECISION)
    decisions.get_by_label("Grade 3 team").check()
    decisions.get_by_label("Must be communicated to those teams").check()
    decisions.get_by_role("button", name="Record the decision").click()
    expect(decisions).to_contain_text("Teacher carries it back to Grade 3 team")

    actions = page.locator("#actions")
    actions.get_by_label("What needs doing").fill(ACTION)
    actions.get_by_label("Owner").select_option(label="Teacher")
    day = meeting.scheduled_start.astimezone(meeting.zone).date()
    actions.get_by_label("Due").fill((day + dt.timedelta(days=7)).isoformat())
    actions.get_by_role("button", name="Add the action item").click()
    expect(actions.locator(".action-list")).to_contain_text(ACTION)

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#wrap-up").get_by_role("button", name="End meeting").click()
    expect(page.get_by_text("Held", exact=True)).to_be_visible()
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.HELD
    screenshot("1-held")

    # Drafting the next agenda from the meeting page.
    page.get_by_role("link", name="Draft the next agenda").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Draft the next agenda")
    check_a11y("draft the next agenda")
    page.get_by_role("button", name=re.compile(r"^Draft the agenda for ")).click()
    expect(page).to_have_url(re.compile(rf"/meetings/{next_meeting.pk}/agenda/"))
    expect(page.get_by_text("Fluency check results").first).to_be_visible()
    expect(page.get_by_text("Review open action items").first).to_be_visible()
    carried = AgendaItem.objects.get(meeting=next_meeting, title="Fluency check results")
    assert carried.carried_from_id == fluency.pk
    assert Meeting.objects.get(pk=next_meeting.pk).agenda_drafted_at is not None
    screenshot("2-next-agenda")

    # The next meeting opens with the open action item to review.
    page.goto(f"/meetings/{next_meeting.pk}/")
    expect(page.locator("#review")).to_contain_text(ACTION)
    screenshot("3-next-meeting")
    check_a11y("next meeting page")

    # The Grade 3 representative finds the report-back task in My work.
    report = ReportBack.objects.get(decision__meeting=meeting)
    assert report.assignee == world.people["teacher"] and report.via_representative
    other = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    teacher_page = other.new_page()
    patient(teacher_page)
    try:
        sign_in_on(teacher_page, "teacher@world.test")
        teacher_page.goto("/my-work/")
        task = teacher_page.get_by_role("link", name=re.compile("^Share with Grade 3 team"))
        expect(task.filter(has_text="new exit ticket")).to_be_visible()
        expect(teacher_page.get_by_role("link", name=ACTION)).to_be_visible()
        teacher_page.screenshot(path="var/screenshots/meeting_week-4-teacher-inbox.png")
    finally:
        other.close()
