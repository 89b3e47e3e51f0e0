"""The plan pages in a browser: a published plan warns that a content edit starts version
2, and a principal starts a new school's plan, rates its self-assessment by keyboard, adds
a need from a low rating and a strategy with an action step. Axe on every page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots_plans")  # noqa: S108 (a copy to look at, outside the repository)


@pytest.fixture(autouse=True)
def _warm_server(page: Page) -> None:
    page.goto("/accounts/login/", timeout=60_000)


def test_a_principal_works_on_plans_by_keyboard(
    page: Page, world, sign_in, screenshot, check_a11y
) -> None:
    from leadhub.orgs.tests.factories import MembershipFactory, SchoolFactory
    from leadhub.plans.models import ActionStep, Need, SchoolPlan, SelfAssessmentRating

    SHOTS.mkdir(parents=True, exist_ok=True)

    def shoot(step: str) -> None:
        screenshot(step)
        page.screenshot(path=SHOTS / f"{step}.png", full_page=True)

    school = SchoolFactory(district=world.district, name="Jefferson Elementary")
    MembershipFactory(
        user=world.persona("principal"), role="principal", school=school, district=world.district
    )
    plan = world.objects["plan"]
    sign_in("principal@world.test")

    # The published plan: its pages, and the warning that a content edit starts version 2.
    page.goto(reverse("plans:plan", args=[plan.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text(plan.title)
    expect(page.get_by_role("navigation", name="This plan")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("More English learners"))).to_be_visible()
    shoot("1-plan")
    check_a11y("plan page")
    page.goto(reverse("plans:self_assessment", args=[plan.pk]))
    expect(
        page.get_by_text("Saving this starts version 2, which needs approval again")
    ).to_be_visible()
    shoot("2-self-assessment-published")
    check_a11y("self-assessment of a published plan")
    for name, url in (
        ("needs", reverse("plans:needs", args=[plan.pk])),
        ("strategies", reverse("plans:strategies", args=[plan.pk])),
        ("step", reverse("plans:step", args=[world.objects["plan_step"].pk])),
    ):
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        shoot(f"3-{name}")
        check_a11y(name)

    # A new school's plan, started from the plans list.
    page.goto(reverse("plans:home"))
    shoot("4-home")
    check_a11y("plans list")
    page.get_by_role("link", name="Start this year's plan for Jefferson Elementary").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start this year's plan")
    expect(page.get_by_label("Title of the plan")).to_have_value(
        "Jefferson Elementary improvement plan"
    )
    check_a11y("start a plan")
    shoot("5-create")
    page.get_by_role("button", name="Start the plan").click()
    new_plan = SchoolPlan.objects.get(school=school)
    expect(page.get_by_role("heading", level=1)).to_have_text("Self-assessment")
    expect(page.get_by_text("Saving this starts version")).to_have_count(0)

    # Keyboard only: into the first indicator's levels, choose "Not yet in place".
    first = page.get_by_role("group").filter(has=page.get_by_role("radio")).first
    first.get_by_role("radio").first.focus()
    page.keyboard.press("Space")
    expect(first.get_by_role("radio", name="Not yet in place")).to_be_checked()
    page.keyboard.press("ArrowRight")
    expect(first.get_by_role("radio", name="Beginning")).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.type("Few walkthroughs show it.")
    check_a11y("self-assessment, new plan")
    page.get_by_role("button", name="Save the self-assessment").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Saved 1 rating")
    rating = SelfAssessmentRating.objects.get(plan=new_plan)
    assert rating.rating == 2 and rating.evidence == "Few walkthroughs show it."
    expect(page.get_by_role("table").first).to_contain_text("1")
    shoot("6-self-assessment-saved")

    # A need drawn from the low rating.
    page.get_by_role("navigation", name="This plan").get_by_role("link", name="Needs").click()
    page.get_by_label("The need").fill("Teachers rarely see each other teach")
    page.get_by_label("Root causes").fill("No time in the schedule\nNo shared look-fors")
    page.get_by_role("checkbox", name=rating.indicator.text).check()
    check_a11y("needs, new plan")
    page.get_by_role("button", name="Add the need").click()
    expect(page.locator(".messages")).to_contain_text("Need saved")
    need = Need.objects.get(plan=new_plan)
    assert list(need.indicators.all()) == [rating.indicator]
    expect(page.locator(f"#need-{need.pk}")).to_contain_text("No shared look-fors")
    shoot("7-needs")

    # A strategy, then an action step with a resource.
    page.get_by_role("link", name="Strategies and steps").click()
    page.get_by_role("textbox", name=re.compile(r"^Strategy")).fill("Peer observation cycles")
    page.get_by_label("Level of evidence").select_option(label="Tier 3 · promising evidence")
    page.get_by_role("button", name="Add the strategy").click()
    expect(page.locator(".messages")).to_contain_text("Strategy saved")
    page.get_by_role("link", name="Add an action step to “Peer observation cycles”").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an action step")
    check_a11y("add an action step")
    page.get_by_label("Action step").fill("Schedule the first round of visits")
    page.get_by_label("Who owns it").select_option(label="Principal")
    page.get_by_label("Resource").first.fill("Substitute cover")
    page.get_by_label("Cost ($)").first.fill("450")
    page.get_by_label("Funding source").first.fill("Title II")
    shoot("8-step-new")
    page.get_by_role("button", name="Add the step").click()
    expect(page.locator(".messages")).to_contain_text("Action step added")
    expect(page.get_by_role("link", name="Schedule the first round of visits")).to_be_visible()
    expect(page.get_by_role("table", name="Costs by funding source")).to_contain_text("$450.00")
    step = ActionStep.objects.get(plan=new_plan)
    assert step.owner == world.persona("principal")
    shoot("9-strategies")
    check_a11y("strategies, new plan")
    page.goto(reverse("plans:plan", args=[new_plan.pk]))
    expect(page.get_by_text("1 of")).to_be_visible()
    shoot("10-new-plan")
    check_a11y("new plan page")
