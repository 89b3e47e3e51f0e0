"""Running a meeting in the browser, as the recorder who also keeps time: start, the open
action items, attendance, the timer, notes saved as you type, a decision to be
communicated, an action item, the end. Then two people on the same notes, and the page
on a phone."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from leadhub.meetings.models import (
    ActionItem,
    AgendaItem,
    AgendaItemStatus,
    Attendance,
    Decision,
    Meeting,
    MeetingStatus,
)
from leadhub.meetings.tests.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery-staple"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def patient(page: Page) -> None:
    """Timeouts for a busy machine: a live meeting page does real work on every click."""
    page.set_default_timeout(30_000)
    page.set_default_navigation_timeout(30_000)
    expect.set_options(timeout=15_000)


def meeting_today(world, *, recorder_key: str = "instructional_coach") -> Meeting:
    coach = world.people[recorder_key]
    meeting = MeetingFactory(
        team=world.objects["ilt"],
        scheduled_start=timezone.now() - dt.timedelta(minutes=3),
        location="Library",
        facilitator=world.people["teacher"],
        recorder=coach,
        timekeeper=coach,
    )
    AgendaItemFactory(
        meeting=meeting,
        title="Look at writing samples",
        minutes_allotted=20,
        presenter=world.people["teacher"],
        position=1,
    )
    AgendaItemFactory(
        meeting=meeting,
        title="Fluency check results",
        minutes_allotted=15,
        kind="goal_monitoring",
        position=2,
    )
    return meeting


def test_the_recorder_runs_a_whole_meeting(
    page: Page, world, sign_in, screenshot, check_a11y
) -> None:
    patient(page)
    meeting = meeting_today(world)
    writing = meeting.agenda_items.get(title="Look at writing samples")
    teacher = world.people["teacher"]
    sign_in("instructional.coach@world.test")
    page.goto(f"/meetings/{meeting.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        meeting.scheduled_start.astimezone(meeting.zone).strftime("%B")
    )
    expect(page.get_by_text("Today", exact=True)).to_be_visible()
    screenshot("1-upcoming")
    check_a11y("meeting page, upcoming")

    # Start.
    page.get_by_role("button", name="Start meeting").click()
    expect(page.get_by_text("In progress", exact=True)).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="The meeting started at")).to_be_visible()
    assert Meeting.objects.get(pk=meeting.pk).actual_start is not None

    # The open action items from earlier meetings come first; one is overdue, in words.
    review = page.locator("#review")
    expect(review.get_by_text(re.compile(r"Overdue by 2 days"))).to_be_visible()
    row = review.locator("li", has_text="Bring three student work samples")
    row.get_by_role("button", name="Still open").click()
    expect(review.locator("li", has_text="Bring three student work samples")).to_contain_text(
        "Reviewed at this meeting: Still open"
    )
    # The row was replaced, and keyboard focus stayed on the button just pressed.
    expect(page.locator(f"#review-{world.objects['action_item'].pk}-open")).to_be_focused()
    assert ActionItem.objects.get(pk=world.objects["action_item"].pk).last_reviewed_in_id == (
        meeting.pk
    )

    # Attendance: everyone on time, then the teacher was in fact late.
    attendance = page.locator("#attendance")
    attendance.get_by_role("button", name="Mark everyone not yet marked as on time").click()
    expect(page.locator("#attendance-summary")).to_contain_text("4 of 4 present")
    # htmx swaps the summary (out of band) before the rows: wait for the rows too.
    expect(attendance.get_by_label("Teacher", exact=True)).to_have_value("on_time")
    attendance.get_by_label("Teacher", exact=True).select_option("late")
    expect(page.locator("#attendance-summary")).to_contain_text("(1 late)")
    expect(attendance.get_by_label("Arrived (Teacher)")).to_be_visible()
    attendance.get_by_label("Guest's name").fill("Dana Reyes")
    attendance.get_by_role("button", name="Add guest").click()
    expect(page.locator("#attendance-summary")).to_contain_text("1 guest, not counted")
    late = Attendance.objects.get(meeting=meeting, user=teacher)
    assert late.status == "late" and late.arrived_at is not None

    # The timer runs in the browser; only the start and the stop reach the server.
    item = page.locator(f"#item-{writing.pk}")
    item.get_by_role("button", name="Start timer for “Look at writing samples”").click()
    expect(item.locator("[data-state]")).to_have_text("running")
    expect(page.locator("#live-status")).to_contain_text("Timer started")
    expect(item.locator("[data-clock]")).to_have_text(
        re.compile(r"^0:(0[2-9]|[1-5][0-9])$"), timeout=15_000
    )
    item.get_by_role("button", name="Pause timer for “Look at writing samples”").click()
    expect(item.locator("[data-state]")).to_have_text("paused")
    expect(page.locator("#live-status")).to_contain_text("Timer paused")
    expect(item.get_by_role("button", name=re.compile("^Resume timer"))).to_be_visible()
    saved_seconds = AgendaItem.objects.get(pk=writing.pk).timer_seconds
    assert saved_seconds >= 2
    assert AgendaItem.objects.get(pk=writing.pk).timer_started_at is None

    # Notes save as the recorder types, and say when.
    notes = item.get_by_label("Notes on “Look at writing samples”")
    notes.fill("Openings are strong; conclusions are rushed.")
    expect(item.locator(f"#notes-msg-{writing.pk}")).to_have_text(
        re.compile(r"^Saved \d{1,2}:\d\d [AP]M$"), timeout=15_000
    )
    assert AgendaItem.objects.get(pk=writing.pk).notes == (
        "Openings are strong; conclusions are rushed."
    )
    item.get_by_role("button", name="Done").click()
    expect(item.locator(".item-status")).to_contain_text("Status: Done")
    assert AgendaItem.objects.get(pk=writing.pk).status == AgendaItemStatus.DONE

    # After a reload the timer picks up from what the server kept.
    page.reload()
    expect(item.locator("[data-clock]")).to_have_text(f"0:{saved_seconds:02d}")
    expect(item.get_by_label("Notes on “Look at writing samples”")).to_have_value(
        "Openings are strong; conclusions are rushed."
    )
    screenshot("2-running")
    check_a11y("meeting page, running")

    # A decision that must be communicated: who carries it back, and the gap.
    decisions = page.locator("#decisions")
    decisions.get_by_label("What was decided").fill(
        "Every class tries the new exit ticket for two weeks."
    )
    decisions.get_by_label("Grade 3 team").check()
    decisions.get_by_label("Grade 5 team").check()
    decisions.get_by_label("Must be communicated to those teams").check()
    decisions.get_by_role("button", name="Record the decision").click()
    expect(decisions).to_contain_text("Teacher carries it back to Grade 3 team")
    expect(decisions).to_contain_text(
        "Grade 5 team has no representative on Lincoln ILT; its team lead, "
        "Instructional Coach, will carry it back."
    )
    decision = Decision.objects.get(meeting=meeting)
    assert decision.report_backs.count() == 2

    # An action item, with a due date before the meeting first.
    actions = page.locator("#actions")
    actions.get_by_label("What needs doing").fill("Collect exit tickets from every class")
    actions.get_by_label("Owner").select_option(label="Teacher")
    day = meeting.scheduled_start.astimezone(meeting.zone).date()
    actions.get_by_label("Due").fill((day - dt.timedelta(days=1)).isoformat())
    actions.get_by_role("button", name="Add the action item").click()
    expect(actions.get_by_label("Due")).to_have_attribute("aria-invalid", "true")
    expect(actions).to_contain_text("The due date cannot be before the meeting")
    expect(actions.get_by_label("What needs doing")).to_have_value(
        "Collect exit tickets from every class"
    )
    actions.get_by_label("Due").fill((day + dt.timedelta(days=7)).isoformat())
    actions.get_by_role("button", name="Add the action item").click()
    expect(actions.locator(".action-list")).to_contain_text("Collect exit tickets from every class")
    assert ActionItem.objects.get(meeting=meeting).owner == teacher
    screenshot("3-decision-and-action")
    check_a11y("meeting page, decision and action recorded")

    # The end.
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#wrap-up").get_by_role("button", name="End meeting").click()
    expect(page.get_by_text("Held", exact=True)).to_be_visible()
    ended = Meeting.objects.get(pk=meeting.pk)
    assert ended.status == MeetingStatus.HELD and ended.actual_end is not None
    screenshot("4-held")
    check_a11y("meeting page, held")


def sign_in_on(page: Page, email: str) -> None:
    from leadhub.accounts.tests.factories import TEST_TOTP_SECRET, current_code

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"^(Welcome, |Enter your sign-in code)"))
    if heading.inner_text().startswith("Enter"):
        page.get_by_label(re.compile("code", re.I)).first.fill(current_code(TEST_TOTP_SECRET))
        page.get_by_role("button", name="Sign in").click()
    expect(heading).to_have_text(re.compile(r"^Welcome, "))


def test_two_people_on_the_same_notes_lose_nothing(
    page: Page, browser: Browser, live_server: Any, world, sign_in, screenshot, check_a11y
) -> None:
    patient(page)
    meeting = meeting_today(world)
    writing = meeting.agenda_items.get(title="Look at writing samples")
    sign_in("instructional.coach@world.test")
    other = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    teacher_page = other.new_page()
    patient(teacher_page)
    try:
        sign_in_on(teacher_page, "teacher@world.test")
        page.goto(f"/meetings/{meeting.pk}/")
        teacher_page.goto(f"/meetings/{meeting.pk}/")
        label = "Notes on “Look at writing samples”"

        # The coach saves first.
        coach_box = page.get_by_label(label)
        coach_box.fill("Coach: openings strong.")
        page.locator(f"#item-{writing.pk}").get_by_role(
            "button", name=re.compile("^Save notes")
        ).click()
        expect(page.locator(f"#notes-msg-{writing.pk}")).to_contain_text("Saved")

        # The teacher, on a page loaded before that, saves too: refused, both shown.
        item = teacher_page.locator(f"#item-{writing.pk}")
        teacher_box = teacher_page.get_by_label(label)
        teacher_box.fill("Teacher: endings rushed.")
        item.get_by_role("button", name=re.compile("^Save notes")).click()
        expect(item.locator(f"#notes-msg-{writing.pk}")).to_contain_text(
            "Not saved: Instructional Coach saved these notes"
        )
        conflict = item.locator(".notes-conflict")
        expect(conflict.locator("[data-theirs]")).to_have_text("Coach: openings strong.")
        expect(conflict).to_contain_text("Teacher: endings rushed.")
        expect(teacher_box).to_have_value("Teacher: endings rushed.")
        assert AgendaItem.objects.get(pk=writing.pk).notes == "Coach: openings strong."
        teacher_page.screenshot(
            path=SCREENSHOTS / "two_people_conflict-teacher.png", full_page=True
        )

        # Typing more does not sneak past the other person's save.
        teacher_box.press("End")
        teacher_box.type(" More.")
        teacher_page.wait_for_timeout(2_500)
        assert AgendaItem.objects.get(pk=writing.pk).notes == "Coach: openings strong."

        # Keep both, then save.
        conflict.get_by_role("button", name="Put their text above mine in the box").click()
        expect(teacher_box).to_have_value(
            "Coach: openings strong.\n\nTeacher: endings rushed. More."
        )
        conflict.get_by_role("button", name=re.compile("^Save the text in the box")).click()
        expect(item.locator(f"#notes-msg-{writing.pk}")).to_have_text(re.compile("^Saved"))
        expect(item.locator(".notes-conflict")).to_have_count(0)
        assert AgendaItem.objects.get(pk=writing.pk).notes == (
            "Coach: openings strong.\n\nTeacher: endings rushed. More."
        )
    finally:
        other.close()
    screenshot("1-coach")


def test_the_meeting_page_on_a_phone(page: Page, world, sign_in, screenshot, check_a11y) -> None:
    patient(page)
    meeting = meeting_today(world)
    sign_in("instructional.coach@world.test")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_role("button", name="Start meeting").click()
    expect(page.get_by_text("In progress", exact=True)).to_be_visible()
    page.locator("#attendance").get_by_label("Teacher", exact=True).select_option("late")
    expect(page.locator("#attendance-summary")).to_contain_text("(1 late)")
    # Nothing is wider than the screen: no sideways scrolling on a phone.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px screen"
    screenshot("1-phone-running")
    check_a11y("meeting page on a phone")
    page.goto(f"/meetings/teams/{world.objects['ilt'].pk}/log/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a past meeting")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the log page is {width}px wide on a 390px screen"
    screenshot("2-phone-log")
    check_a11y("log page on a phone")


def test_logging_a_meeting_from_paper_notes(
    page: Page, world, sign_in, screenshot, check_a11y
) -> None:
    patient(page)
    ilt = world.objects["ilt"]
    day = timezone.localdate() - dt.timedelta(days=4)
    sign_in("principal@world.test")
    page.goto(f"/meetings/teams/{ilt.pk}/log/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a past meeting")
    check_a11y("log a past meeting")

    page.get_by_label("Date of the meeting").fill(day.isoformat())
    page.get_by_label("Started at").fill("15:30")
    page.get_by_label("Ended at").fill("15:00")
    page.get_by_role("button", name="Mark everyone not recorded as on time").click()
    page.get_by_label("Teacher", exact=True).select_option("late")
    page.get_by_label("What was decided").fill("Fluency checks move to Thursdays.")
    page.get_by_label("Grade 3 team").check()
    page.get_by_label("Must be communicated to those teams").check()
    first_action = page.locator("fieldset", has_text="Action item 1")
    first_action.get_by_label("What needs doing").fill("Tell families about the change")
    first_action.get_by_label("Owner").select_option(label="Teacher")
    first_action.get_by_label("Due").fill((day - dt.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Add another action item").click()
    third = page.locator("fieldset", has_text="Action item 3")
    expect(third.get_by_label("What needs doing")).to_be_focused()
    third.get_by_label("What needs doing").fill("Update the calendar")
    third.get_by_label("Owner").select_option(label="Principal")
    third.get_by_label("Due").fill((day + dt.timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Save the meeting record").click()

    # Each problem is at its field; everything typed is still there.
    expect(page.get_by_role("alert")).to_contain_text("Nothing has been saved yet")
    expect(page.get_by_label("Ended at")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Ended at")).to_have_accessible_description(
        re.compile("The end must be after the start")
    )
    first_action = page.locator("fieldset", has_text="Action item 1")
    expect(first_action).to_contain_text("The due date cannot be before the meeting")
    expect(page.get_by_label("What was decided")).to_have_value("Fluency checks move to Thursdays.")
    expect(
        page.locator("fieldset", has_text="Action item 3").get_by_label("What needs doing")
    ).to_have_value("Update the calendar")
    expect(page.get_by_label("Teacher", exact=True)).to_have_value("late")
    assert not Meeting.objects.filter(team=ilt, logged_after=True).exists()
    screenshot("1-errors")
    check_a11y("log with errors")

    page.get_by_label("Ended at").fill("17:00")
    first_action.get_by_label("Due").fill((day + dt.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Save the meeting record").click()
    expect(page.get_by_role("status").filter(has_text="logged")).to_contain_text(
        "4 present, 1 decision and 2 action items added."
    )
    logged = Meeting.objects.get(team=ilt, logged_after=True)
    assert logged.actual_minutes == 90
    assert logged.action_items.count() == 2
    expect(page.locator("#decisions")).to_contain_text("Teacher carries it back to Grade 3 team")
    screenshot("2-logged")
