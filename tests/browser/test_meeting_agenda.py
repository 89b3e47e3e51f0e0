"""The ILT's agenda as its people use it: the recorder builds the next agenda (and sees it
run over), a teacher raises an issue, the principal puts it on the agenda."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def press_and_settle(page: Page, key: str) -> None:
    """Press a key and wait until htmx has swapped and set up the new content."""
    page.evaluate(
        "() => { window.agendaSettled = false; document.addEventListener("
        "'htmx:afterSettle', () => { window.agendaSettled = true; }, {once: true}); }"
    )
    page.keyboard.press(key)
    for _ in range(150):
        if page.evaluate("() => window.agendaSettled === true"):
            return
        page.wait_for_timeout(100)
    raise AssertionError("htmx did not finish swapping the agenda")


def add_item(page: Page, title: str, kind: str, minutes: str, presenter: str = "") -> None:
    form = page.locator("#add-item")
    form.get_by_role("textbox", name=re.compile("^Item")).fill(title)
    form.get_by_role("combobox", name=re.compile("^Kind")).select_option(label=kind)
    if presenter:
        form.get_by_role("combobox", name=re.compile("^Presenter")).select_option(label=presenter)
    form.get_by_role("spinbutton", name=re.compile("^Minutes")).fill(minutes)
    form.get_by_role("button", name="Add to the agenda").click()
    expect(page.get_by_role("status").first).to_contain_text(f"Added “{title}”")


def test_recorder_builds_teacher_proposes_principal_accepts(
    page: Page, world, sign_in, screenshot, check_a11y
) -> None:
    ilt = world.objects["ilt"]
    next_meeting = world.objects["next_meeting"]
    agenda = f"/meetings/{next_meeting.pk}/agenda/"
    # The plans world's goal-monitoring item is on this meeting too; the walk counts minutes
    # from the items it adds.
    world.objects["goal_agenda_item"].delete()
    # A long walk through three people's work: allow a busy machine more time per step.
    page.set_default_timeout(15_000)
    expect.set_options(timeout=15_000)

    # 1. The instructional coach, the ILT's recorder, builds the next agenda.
    sign_in("instructional.coach@world.test")
    page.goto(agenda)
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Agenda for "))
    add_item(page, "Grade 3 benchmark data", "Data review", "45", presenter="Teacher")
    add_item(page, "Writing samples across grades", "Looking at student work", "50")
    # Wrong input is answered at the field, and nothing typed is lost.
    form = page.locator("#add-item")
    form.get_by_role("textbox", name=re.compile("^Item")).fill("A quick announcement")
    form.get_by_role("combobox", name=re.compile("^Kind")).select_option(label="Information")
    form.get_by_role("spinbutton", name=re.compile("^Minutes")).fill("0")
    form.get_by_role("button", name="Add to the agenda").click()
    expect(page.locator("#id_minutes_allotted_error")).to_have_text(
        "Give this item at least 1 minute."
    )
    expect(page.get_by_role("textbox", name=re.compile("^Item"))).to_have_value(
        "A quick announcement"
    )
    screenshot("1-field-error")
    check_a11y("agenda with a field error")

    page.goto(agenda)
    # 10 (already planned) + 45 + 50 = 105 minutes for a 90-minute meeting.
    expect(page.locator("#overtime-warning")).to_contain_text(
        "The agenda needs 105 minutes; the meeting is 90."
    )
    expect(page.locator("#teacher-time-nudge")).to_be_visible()

    # Reorder from the keyboard: the data review goes first; focus stays on the button.
    up = page.get_by_role("button", name=re.compile("Up: move “Grade 3 benchmark data”"))
    up.focus()
    press_and_settle(page, "Enter")
    expect(page.locator("#agenda-status")).to_contain_text(
        "Moved “Grade 3 benchmark data” up to number 1 of 3."
    )
    # Focus stayed on the button through the swap: a second press says it is first.
    press_and_settle(page, "Enter")
    expect(page.locator("#agenda-status")).to_contain_text("is already first.")
    expect(page.locator(".agenda-title").first).to_contain_text("Grade 3 benchmark data")
    expect(
        page.get_by_role("button", name=re.compile("Up: move “Grade 3 benchmark data”"))
    ).to_be_focused()
    screenshot("2-agenda-over-time")
    check_a11y("agenda over time")
    sign_out(page)

    # 2. A teacher raises an issue for the Grade 3 team.
    sign_in("teacher@world.test")
    page.goto(f"/meetings/teams/{ilt.pk}/intake/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Propose an issue")
    page.get_by_label("The issue").fill("Grade 3 wants a shared writing rubric")
    page.get_by_label("Details").fill("Teachers score the same essays differently.")
    page.get_by_label("Raised for").select_option(label="Grade 3 team")
    screenshot("3-propose")
    check_a11y("propose an issue")
    page.get_by_role("button", name=re.compile("^Send it to the")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Grade 3 wants a shared writing rubric"
    )
    expect(page.locator(".badge").first).to_have_text("Waiting for the team")
    screenshot("4-proposed")
    check_a11y("the proposal, waiting")
    sign_out(page)

    # 3. The principal puts it on the next agenda.
    sign_in("principal@world.test")
    page.goto(f"/meetings/teams/{ilt.pk}/intake/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Issues proposed to the team")
    screenshot("5-queue")
    check_a11y("intake queue")
    page.get_by_role("link", name="Grade 3 wants a shared writing rubric").click()
    page.get_by_role("radio", name=re.compile(r"at 3:30 PM")).check()
    expect(page.get_by_role("radio", name="The next agenda the team drafts")).not_to_be_checked()
    screenshot("6-accept")
    check_a11y("proposal, with triage")
    page.get_by_role("button", name="Put it on the agenda").click()
    expect(page).to_have_url(re.compile(rf"{agenda}#item-\d+$"))
    row = page.locator(".agenda-row", has_text="Grade 3 wants a shared writing rubric")
    expect(row).to_contain_text("Issue raised by teachers")
    expect(row).to_contain_text("Proposed by Teacher for the Grade 3 team")
    expect(page.locator("#teacher-time-nudge")).to_have_count(0)
    expect(page.locator("#overtime-warning")).to_contain_text("needs 120 minutes")
    screenshot("7-on-the-agenda")
    check_a11y("agenda with the teacher's issue")
    # On a phone the agenda reads top to bottom, nothing scrolls sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(agenda)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    screenshot("7b-agenda-on-a-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Drafting from the meeting held yesterday: the page that offers it passes too.
    page.goto(f"/meetings/{world.objects['draft_meeting'].pk}/next-agenda/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Draft the next agenda")
    screenshot("8-draft-next")
    check_a11y("draft the next agenda")
    sign_out(page)

    # 4. The teacher sees where the issue went.
    sign_in("teacher@world.test")
    page.goto("/meetings/intake/mine/")
    card = page.locator(".intake-cards li", has_text="shared writing rubric")
    expect(card).to_contain_text("On an agenda")
    expect(card.get_by_role("link", name=re.compile("Meeting of"))).to_be_visible()
    screenshot("9-my-proposals")
    check_a11y("my proposals")
