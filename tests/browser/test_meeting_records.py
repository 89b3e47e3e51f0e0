"""Follow-through in the browser: a teacher finds a report-back task in My work, records it
as shared with the team's response and sends that response to the ILT's intake queue; the
principal then reads the coverage, the minutes and the action items."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from leadhub.meetings.models import Decision, IntakeItem, ReportBack
from leadhub.meetings.services.reportbacks import report_backs_create

pytestmark = pytest.mark.browser

RESPONSE = "They will start on Friday and want a shorter passage for the first two weeks."


def test_a_teacher_reports_back_and_the_principal_sees_the_loop_closed(
    page: Page, world, sign_in, screenshot, check_a11y
) -> None:
    ilt, grade5 = world.objects["ilt"], world.objects["grade5"]
    report = world.objects["report_back"]
    # A second decision reaches Grade 5, which has no representative on the ILT.
    gap = Decision.objects.create(
        meeting=world.objects["held_meeting"],
        text="Grade 5 pilots the new writing rubric in December.",
        must_communicate=True,
    )
    gap.affected_teams.add(grade5)
    report_backs_create(gap)

    # The live server's first request imports every page module: give it time on a busy machine.
    page.goto("/accounts/login/", timeout=60_000)

    # The teacher finds the task in My work.
    sign_in("teacher@world.test")
    page.goto("/my-work/")
    task = page.get_by_role("link", name=re.compile(r"^Share with Grade 3 team"))
    expect(task).to_be_visible()
    screenshot("1-my-work")
    check_a11y("my work with a report-back")
    task.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report back to Grade 3 team")
    expect(page.get_by_text("Every grade 3 class uses the shared fluency check")).to_be_visible()
    screenshot("2-report-back")
    check_a11y("report-back form")

    # Asking to send an empty response is explained at the field; nothing is saved.
    page.get_by_label("Shared with the team on").fill(timezone.localdate().isoformat())
    page.get_by_label("How you shared it").select_option(label="At a team meeting")
    intake_box = page.get_by_label("Send what the team said to the Lincoln ILT intake queue")
    intake_box.check()
    page.get_by_role("button", name="Save").click()
    response_field = page.get_by_label("What the team said back")
    expect(response_field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_team_response_error")).to_contain_text("Write what the team said")
    expect(page.get_by_label("How you shared it")).to_have_value("team_meeting")
    screenshot("3-field-message")
    check_a11y("report-back with a field message")
    assert ReportBack.objects.get(pk=report.pk).shared_on is None

    response_field.fill(RESPONSE)
    page.get_by_label("Send what the team said to the Lincoln ILT intake queue").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text(
        "What the team said is in the Lincoln ILT intake queue."
    )
    expect(
        page.get_by_role("link", name=re.compile("What Grade 3 team said about"))
    ).to_be_visible()
    screenshot("4-shared")
    check_a11y("report-back recorded")
    intake = IntakeItem.objects.get(report_back=report)
    assert intake.team == ilt and intake.details == RESPONSE
    assert intake.from_team == world.objects["grade3"]

    # The task has left My work; the teacher's action item is there, and gets done.
    page.goto("/my-work/")
    expect(page.get_by_role("link", name=re.compile(r"^Share with Grade 3 team"))).to_have_count(0)
    page.get_by_role("link", name="Bring three student work samples to the next meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Bring three student work samples to the next meeting"
    )
    screenshot("4b-action-item")
    check_a11y("action item")
    page.get_by_role("button", name="Mark done").click()
    expect(page.get_by_role("status")).to_contain_text("Marked done.")
    expect(page.get_by_text("Done", exact=True).first).to_be_visible()
    action = world.objects["action_item"]
    assert type(action).objects.get(pk=action.pk).status == "done"
    page.get_by_role("button", name="Sign out").click()

    # The principal reads the coverage: Grade 3 heard it; Grade 5 has no representative.
    sign_in("principal@world.test")
    page.goto(f"/meetings/teams/{ilt.pk}/coverage/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Did our decisions reach the teams?")
    expect(page.get_by_text("1 of 2 report-backs done")).to_be_visible()
    fix = page.get_by_role("link", name="Add a representative of Grade 5 team").first
    expect(fix).to_have_attribute("href", re.compile(rf"represents_team={grade5.pk}$"))
    screenshot("5-coverage")
    check_a11y("coverage")

    # The approved minutes, with the decision's report-back now counted.
    page.goto(f"/meetings/{world.objects['held_meeting'].pk}/minutes/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Minutes of "))
    expect(page.get_by_text("shared with 1 of 1 team.")).to_be_visible()
    expect(page.get_by_role("button", name="Send the minutes")).to_be_visible()
    screenshot("6-minutes")
    check_a11y("approved minutes")

    # Working notes waiting for approval: the principal approves them.
    page.goto(f"/meetings/{world.objects['draft_meeting'].pk}/minutes/")
    expect(page.get_by_text("Not yet approved")).to_be_visible()
    page.get_by_role("button", name="Approve the minutes").click()
    expect(page.get_by_role("status")).to_contain_text("The minutes are approved.")
    screenshot("7-approved")
    check_a11y("minutes just approved")

    # The team's action items, overdue ones marked in words.
    page.goto(f"/meetings/teams/{ilt.pk}/actions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Action items")
    expect(page.get_by_role("cell", name="Overdue", exact=True)).to_be_visible()
    screenshot("8-actions")
    check_a11y("action items")
