"""The culture pulse from start to finish: a principal sets it up and sends it, a teacher
answers on a phone through the emailed link, the principal closes it and reads results."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _warm_server(page: Page) -> None:
    """The live server's first page loads every URL module; on a busy machine that can
    take longer than a step's timeout, so it is loaded once beforehand."""
    page.goto("/accounts/login/", timeout=60_000)


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/|/$"))


def test_a_pulse_is_set_up_sent_answered_closed_and_read(
    page: Page, world, settings, sign_in, screenshot, check_a11y
) -> None:
    from leadhub.surveys.models import Administration, Invitation
    from leadhub.surveys.selectors import survey_items
    from leadhub.surveys.services import response_submit
    from leadhub.surveys.tests.factories import (
        AdministrationFactory,
        answer_all,
        everything,
        staff_at,
    )

    settings.TASKS = IMMEDIATE_TASKS
    staff_at(world.school, 2, prefix="colleague")

    sign_in("principal@world.test")
    page.goto("/surveys/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Surveys")
    expect(page.get_by_role("heading", name="No surveys yet")).to_be_visible()
    screenshot("1-list-empty")
    check_a11y("survey list, empty")

    page.get_by_role("link", name="New survey").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New staff survey")
    people = page.get_by_role("group", name=re.compile("^Who is asked"))
    expect(people.get_by_role("checkbox")).to_have_count(6)
    for box in people.get_by_role("checkbox").all():
        expect(box).to_be_checked()
    page.get_by_label("Title").fill("Spring pulse")
    # A statement of the school's own, then a second row added in place (htmx).
    first_statement = page.get_by_role("group", name="Your statement 1")
    first_statement.get_by_label("Statement").fill("Our new team schedule gives us enough time.")
    page.get_by_role("button", name="Add another statement").click()
    second = page.get_by_role("group", name="Your statement 2")
    expect(second.get_by_label("Statement")).to_be_focused()
    expect(page.locator("#own-items-status")).to_have_text(re.compile("Statement 2 added"))
    second.get_by_label("Statement").fill("I can ask our coach for help without being judged.")
    second.get_by_label("Theme").select_option(label="Relational trust")
    screenshot("2-new")
    check_a11y("new survey form")
    page.get_by_role("button", name="Save as a draft").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Spring pulse")
    expect(page.locator(".messages")).to_contain_text("is saved as a draft")
    expect(page.get_by_role("heading", name="The 18 statements")).to_be_visible()
    screenshot("3-draft")
    check_a11y("draft survey")
    page.get_by_role("button", name="Send to 6 people").click()
    expect(page).to_have_url(re.compile(r"/tasks/[0-9a-f-]{36}/$"))
    expect(page.locator("#task-progress")).to_contain_text("6 invitations sent")
    page.get_by_role("link", name="See the result").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Open")
    expect(page.get_by_role("region", name="Results")).to_contain_text(
        "Results appear once the survey closes"
    )
    sign_out(page)

    # The teacher opens their emailed link on a phone, without signing in.
    message = next(m for m in mail.outbox if m.to == ["teacher@world.test"])
    link = re.search(r"http://[^/\s]+(/surveys/r/[\w-]+/)", message.body)
    assert link is not None
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(link.group(1))
    administration = Administration.objects.get(title="Spring pulse")
    expect(page).to_have_url(re.compile(rf"/surveys/{administration.pk}/answer/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Spring pulse")
    questions = page.locator("fieldset.survey-item")
    expect(questions).to_have_count(18)
    first = questions.nth(0)
    first.get_by_role("radio", name="Agree", exact=True).check()
    # Arrow keys move through a question's answers, as in any radio group.
    second_question = questions.nth(1)
    second_question.get_by_role("radio", name="Strongly disagree").focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    expect(second_question.get_by_role("radio", name="Disagree", exact=True)).to_be_checked()
    for n in range(2, 18):
        questions.nth(n).get_by_role("radio", name="Strongly agree").check()
    screenshot("4-answer-phone")
    check_a11y("answer page on a phone")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: your answers are in")
    screenshot("5-thanks")
    check_a11y("thank-you page")

    # The link works once.
    page.goto(link.group(1))
    expect(page.get_by_role("heading", level=1)).to_have_text("You have already answered")
    screenshot("6-already")

    # An autumn pulse closed months ago, so the school has a trend to read.
    autumn = AdministrationFactory(
        school=world.school,
        title="Autumn pulse",
        opens_at=timezone.now() - dt.timedelta(days=200),
        closes_at=timezone.now() + dt.timedelta(days=1),
    )
    answer_all(autumn, [everything(3)] * 4 + [everything(2)] * 2)
    Administration.objects.filter(pk=autumn.pk).update(
        closes_at=timezone.now() - dt.timedelta(days=186)
    )

    # Four colleagues answer too (through the same service the page uses).
    others = Invitation.objects.filter(administration=administration, responded=False)[:4]
    items = survey_items(administration)
    for n, invitation in enumerate(others):
        response_submit(invitation=invitation, values={i.pk: 2 + n % 3 for i in items})

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in("principal@world.test")
    page.goto(f"/surveys/{administration.pk}/")
    rate = page.get_by_role("region", name="Answers so far")
    expect(rate).to_contain_text("83%")
    page.get_by_role("button", name="Close it now").click()
    expect(page.locator(".messages")).to_contain_text("is closed")
    results = page.get_by_role("region", name="Results")
    expect(results.get_by_role("table", name="Results by theme")).to_be_visible()
    expect(results).to_contain_text("5 people answered")
    expect(results).to_contain_text("I can ask our coach for help without being judged.")
    screenshot("7-results")
    check_a11y("results")

    page.get_by_role("link", name=re.compile("results over time")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lincoln Elementary over time")
    charts = page.locator(".chart")
    expect(charts).to_have_count(4)
    expect(charts.first).to_contain_text(
        "The average for shared responsibility for student success"
    )
    table = page.get_by_role("table", name=re.compile("^Favourable answers by theme"))
    expect(table.get_by_role("row")).to_have_count(3)
    screenshot("8-trends")
    check_a11y("trends")


def test_an_unknown_link_is_explained(page: Page, screenshot, check_a11y) -> None:
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto("/surveys/r/not-a-real-link/")
    expect(page).to_have_url(re.compile(r"/surveys/r/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")
    screenshot("1-not-valid")
    check_a11y("unknown survey link")
