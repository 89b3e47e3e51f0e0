"""The principal writes a goal with the SMARTe guidance following what is typed, saves it,
records a checkpoint and reads the goal's status and chart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots_goals")  # noqa: S108 (a copy to look at, outside the repository)


@pytest.fixture(autouse=True)
def _warm_server(page: Page) -> None:
    page.goto("/accounts/login/", timeout=60_000)


def test_the_principal_writes_a_goal_with_live_guidance_and_monitors_it(
    page: Page, world, sign_in, screenshot, check_a11y
) -> None:
    from leadhub.plans.models import Goal

    SHOTS.mkdir(parents=True, exist_ok=True)

    def shoot(step: str) -> None:
        screenshot(step)
        page.screenshot(path=SHOTS / f"{step}.png", full_page=True)

    plan = world.objects["plan"]
    baseline = world.objects["plan_goal"].baseline_date
    deadline = world.objects["plan_goal"].deadline
    sign_in("principal@world.test")
    page.goto(reverse("plans:goal_new", args=[plan.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a goal")
    # The plan is published: saving starts its next version.
    expect(
        page.get_by_text("Saving this starts version 2, which needs approval again.")
    ).to_be_visible()
    guidance = page.locator("#smarte-guidance")
    equitable = guidance.locator(".smarte-item", has_text="Equitable")
    measurable = guidance.locator(".smarte-item", has_text="Measurable")
    expect(equitable).to_contain_text("Missing")
    expect(measurable).to_contain_text(
        "Add a measure, a baseline value, the baseline date and a target."
    )
    shoot("1-empty-goal")
    check_a11y("a new goal")

    page.get_by_label("Outcome").fill("More students in grade 4 read on grade level")
    page.get_by_label("Student group").select_option(label="English learners")
    expect(equitable).to_contain_text("Met")
    expect(equitable).to_contain_text("Closes the gap for English learners.")
    page.get_by_label("Measure", exact=True).select_option(str(world.objects["plan_measure"].pk))
    expect(measurable).to_contain_text("Add a baseline value, the baseline date and a target.")
    page.get_by_label("Baseline value").fill("28")
    page.get_by_label("Baseline date").fill(baseline.isoformat())
    expect(measurable).to_contain_text("Add a target.")
    page.get_by_label("Target value").fill("40")
    expect(measurable).to_contain_text("Measured by Grade 3 reading proficiency: from 28%")
    expect(measurable).to_contain_text("Met")
    page.get_by_label("Deadline").fill(deadline.isoformat())
    page.get_by_label("The need it answers").select_option(index=1)
    page.get_by_label("District strategy it serves").select_option(
        label="Primary driver: Strong core reading"
    )
    expect(guidance.locator(".smarte-item", has_text="Relevant")).to_contain_text("Met")
    shoot("2-goal-typed")
    check_a11y("a goal being typed")

    page.get_by_role("button", name="Add the goal").click()
    expect(page.locator(".messages")).to_contain_text("The goal is added.")
    expect(page.locator(".messages")).to_contain_text("This started version 2 of the plan")
    goal = Goal.objects.get(outcome="More students in grade 4 read on grade level")
    expect(page.get_by_role("heading", level=1)).to_have_text(goal.outcome)
    expect(page.locator(".goal-words")).to_contain_text("From 28% on")
    expect(page.get_by_text("No checkpoints recorded yet.").first).to_be_visible()

    # A checkpoint well above the line: on track.
    page.get_by_role("link", name="Add a checkpoint").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a checkpoint")
    check_a11y("a checkpoint")
    page.get_by_label("Value").fill("39")
    page.get_by_label("Measured on").fill(world.objects["interim_target"].due_on.isoformat())
    page.get_by_label("Note (optional)").fill("Winter benchmark window.")
    shoot("3-checkpoint")
    page.get_by_role("button", name="Record the checkpoint").click()
    expect(page.locator(".messages")).to_contain_text("The checkpoint is recorded.")
    expect(page.locator(".goal-status")).to_contain_text("On track")
    chart = page.locator(".chart svg[role='img']")
    expect(chart).to_be_visible()
    page.get_by_text("Show the data as a table").click()
    expect(page.locator("table.chart-data")).to_contain_text("Measured: 39% · On track")
    expect(page.locator("table.checkpoints")).to_contain_text("Winter benchmark window.")
    shoot("4-goal-page")
    check_a11y("the goal page")

    # A second checkpoint below the line: off track, and the latest status follows it.
    page.get_by_role("link", name="Add a checkpoint").first.click()
    page.get_by_label("Value").fill("29")
    page.get_by_label("Measured on").fill(deadline.isoformat())
    page.get_by_role("button", name="Record the checkpoint").click()
    expect(page.locator(".goal-status")).to_contain_text("Off track")
    expect(page.locator("table.checkpoints")).to_contain_text("Off track")
    shoot("5-off-track")

    # The world goal's page: its one checkpoint is on track.
    page.goto(reverse("plans:goal", args=[world.objects["plan_goal"].pk]))
    expect(page.locator(".goal-status")).to_contain_text("On track")
    shoot("6-world-goal")
    check_a11y("the world goal")

    # The ILT's next meeting: its goal-monitoring item brings in the goal's latest checkpoint.
    item = world.objects["goal_agenda_item"]
    page.goto(reverse("meetings:agenda_edit", args=[item.meeting_id]))
    slot = page.locator(f"#agenda-goal-{item.pk}")
    expect(slot).to_contain_text("Latest checkpoint: 34%")
    expect(slot).to_contain_text("On track")
    shoot("7-agenda")
    check_a11y("the agenda with a goal")
    slot.get_by_role("button", name=re.compile("^Unlink the goal")).click()
    expect(slot.get_by_label(re.compile("^Goal to monitor"))).to_be_visible()
    slot.get_by_label(re.compile("^Goal to monitor")).select_option(index=1)
    slot.get_by_role("button", name="Link").click()
    expect(page.locator(f"#agenda-goal-{item.pk}")).to_contain_text("On track")
