"""Acceptance: a School Improvement Plan from draft through a return with comments, a
resubmission and approval; the approved content frozen while a checkpoint is still added;
changing a target starts version 2; the goal's agenda item still resolves; the comparison
shows the target change."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots_plans_approval")  # noqa: S108 (a copy to look at, outside the repository)


@pytest.fixture(autouse=True)
def _warm_server(page: Page) -> None:
    page.goto("/accounts/login/", timeout=60_000)


def _hawthorne(world: Any) -> dict[str, Any]:
    from leadhub.accounts.tests.factories import UserFactory
    from leadhub.meetings.models import AgendaKind
    from leadhub.meetings.tests.factories import AgendaItemFactory, MeetingFactory
    from leadhub.orgs.models import SchoolYear
    from leadhub.orgs.schoolyears import school_year_bounds
    from leadhub.orgs.tests.factories import MembershipFactory, SchoolFactory
    from leadhub.plans.models import GoalAgendaLink
    from leadhub.plans.tests.factories import GoalFactory, NeedFactory, SchoolPlanFactory
    from leadhub.teams.models import MemberRole, TeamKind
    from leadhub.teams.tests.factories import TeamFactory, TeamMembershipFactory

    school = SchoolFactory(district=world.district, name="Hawthorne Elementary")
    principal = UserFactory(email="hawthorne.principal@world.test", full_name="Rosa Alvarez")
    member = UserFactory(email="hawthorne.teacher@world.test", full_name="Sam Okafor")
    MembershipFactory(user=principal, role="principal", school=school)
    MembershipFactory(user=member, role="teacher", school=school)
    ilt = TeamFactory(school=school, kind=TeamKind.ILT, name="Hawthorne ILT")
    sit = TeamFactory(school=school, kind=TeamKind.SIT, name="Hawthorne School Improvement Team")
    TeamMembershipFactory(team=ilt, user=principal, role=MemberRole.LEAD)
    TeamMembershipFactory(team=sit, user=principal, role=MemberRole.LEAD)
    TeamMembershipFactory(team=sit, user=member)
    first_day, last_day = school_year_bounds(world.year)
    plan = SchoolPlanFactory(
        school=school,
        school_year=SchoolYear.objects.get(year=world.year),
        title="Hawthorne Elementary improvement plan",
    )
    source = world.objects["plan_goal"]
    need = NeedFactory(plan=plan, statement="English learners in grade 3 read below level")
    goal = GoalFactory(
        plan=plan,
        outcome="More English learners in grade 3 read on grade level",
        measure=source.measure,
        student_group=source.student_group,
        baseline_value=31.0,
        baseline_date=first_day + dt.timedelta(days=45),
        target_value=38.0,
        deadline=last_day - dt.timedelta(days=20),
        need=need,
        serves_node=world.objects["primary_driver"],
    )
    meeting = MeetingFactory(team=ilt, scheduled_start=timezone.now() + dt.timedelta(days=7))
    item = AgendaItemFactory(
        meeting=meeting, title="Check the reading goal", kind=AgendaKind.GOAL_MONITORING
    )
    GoalAgendaLink.objects.create(agenda_item=item, goal=goal, district=plan.district)
    return {"plan": plan, "goal": goal, "item": item, "principal": principal, "member": member}


def test_a_plan_goes_from_draft_to_a_second_version(
    page: Page, world: Any, sign_in: Any, screenshot: Any, check_a11y: Any
) -> None:
    from leadhub.plans.models import PlanStatus

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.on("dialog", lambda dialog: dialog.accept())

    def shoot(step: str) -> None:
        screenshot(step)
        page.screenshot(path=SHOTS / f"{step}.png", full_page=True)

    def switch_to(email: str) -> None:
        page.context.clear_cookies()
        sign_in(email)

    made = _hawthorne(world)
    plan, goal = made["plan"], made["goal"]
    plan_url = reverse("plans:plan", args=[plan.pk])
    panel = page.locator(".plan-workflow")

    # The principal submits the draft.
    switch_to("hawthorne.principal@world.test")
    page.goto(plan_url)
    expect(page.locator(".plan-state")).to_contain_text("Draft")
    shoot("1-draft")
    check_a11y("plan page, draft")
    panel.get_by_role("button", name="Submit for approval").click()
    expect(page.locator(".messages")).to_contain_text("went to the School Improvement Team")
    expect(panel).to_contain_text("Waiting for the School Improvement Team")

    # A member of the School Improvement Team returns it, with a comment.
    switch_to("hawthorne.teacher@world.test")
    page.goto(plan_url)
    panel.get_by_role("link", name="Return with comments").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Return the plan with comments")
    page.get_by_role("button", name="Return the plan").click()
    expect(page.locator(".field-invalid")).to_contain_text("Say what needs to change")
    shoot("2-return-error")
    check_a11y("return form with an error")
    page.get_by_label("What needs to change").fill("Set the target a little higher: 40%.")
    page.get_by_role("button", name="Return the plan").click()
    expect(page.locator(".messages")).to_contain_text("You returned version 1")

    # The principal reads the comment, edits the target and submits again.
    switch_to("hawthorne.principal@world.test")
    page.goto(plan_url)
    expect(panel).to_contain_text("Set the target a little higher: 40%.")
    shoot("3-returned")
    page.goto(reverse("plans:goal_edit", args=[goal.pk]))
    page.get_by_label("Target value").fill("40")
    page.get_by_role("button", name="Save the goal").click()
    page.goto(plan_url)
    panel.get_by_role("button", name="Submit for approval").click()
    expect(panel).to_contain_text("Waiting for the School Improvement Team")
    expect(panel).not_to_contain_text("Set the target a little higher")

    # The member approves: version 1 is published.
    switch_to("hawthorne.teacher@world.test")
    page.goto(plan_url)
    panel.get_by_role("button", name="Approve version 1").click()
    expect(page.locator(".messages")).to_contain_text("It is published")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED and plan.published_version.number == 1
    assert plan.published_version.content["goals"][0]["target_value"] == 40.0
    shoot("4-published")

    # The frozen content: the goal form warns; a checkpoint goes on without a version.
    switch_to("hawthorne.principal@world.test")
    page.goto(reverse("plans:checkpoint_new", args=[goal.pk]))
    page.get_by_label("Value").fill("35")
    page.get_by_label("Measured on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Record the checkpoint").click()
    plan.refresh_from_db()
    assert goal.checkpoints.count() == 1
    assert plan.current_number == 1 and plan.status == PlanStatus.PUBLISHED
    page.goto(reverse("plans:goal_edit", args=[goal.pk]))
    expect(
        page.get_by_text("Saving this starts version 2, which needs approval again.")
    ).to_be_visible()
    page.get_by_label("Target value").fill("42")
    page.get_by_role("button", name="Save the goal").click()
    plan.refresh_from_db()
    assert plan.current_number == 2 and plan.status == PlanStatus.DRAFT
    page.goto(plan_url)
    expect(page.locator(".plan-state")).to_contain_text(
        "Version 2 is a draft. Staff see version 1 until version 2 is approved."
    )
    shoot("5-version-2")
    check_a11y("plan page, version 2 draft")

    # The goal-monitoring agenda item still resolves to the goal.
    page.goto(reverse("plans:agenda_goal", args=[made["item"].pk]))
    expect(page.locator("body")).to_contain_text(goal.outcome)

    # The versions page and the comparison show the target change.
    page.goto(reverse("plans:versions", args=[plan.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Versions and history")
    expect(page.locator(".plan-history")).to_contain_text("Set the target a little higher: 40%.")
    shoot("6-versions")
    check_a11y("versions and history")
    page.get_by_role("button", name="Show the changes").click()
    expect(page).to_have_url(re.compile(r"a=1&b=draft"))
    goals = page.locator(".plan-changes", has=page.get_by_role("heading", name="Goals"))
    row = goals.get_by_role("row", name=re.compile("Target"))
    expect(row).to_contain_text("40")
    expect(row).to_contain_text("42")
    shoot("7-compare")
    check_a11y("compare versions")
    page.goto(reverse("plans:print", args=[plan.pk]))
    expect(page.locator(".plan-doc-draft")).to_be_visible()
    shoot("8-print")
    check_a11y("print page")
