"""A principal reads the school's combined self-assessment beside the ILT's records, then
starts a new self-assessment for the ILT with the keyboard alone."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots_selfassess")  # noqa: S108 (a copy to look at, outside the repository)


@pytest.fixture(autouse=True)
def _warm_server(page: Page) -> None:
    """The live server's first page loads every URL module; on a busy machine that can
    take longer than a step's timeout, so it is loaded once beforehand."""
    page.goto("/accounts/login/", timeout=60_000)


def ilt_meetings(world) -> None:  # type: ignore[no-untyped-def]
    """Five held ILT meetings this term, the principal facilitating each, so the records
    side has figures."""
    from leadhub.meetings.models import AgendaKind, MeetingStatus
    from leadhub.meetings.tests.factories import AgendaItemFactory, MeetingFactory
    from leadhub.teams.models import Team

    ilt, people = world.objects["ilt"], world.people
    Team.objects.filter(pk=ilt.pk).update(created_at=timezone.now() - dt.timedelta(days=150))
    for weeks in (4, 6, 8, 10, 12):
        start = timezone.make_aware(
            dt.datetime.combine(timezone.localdate() - dt.timedelta(weeks=weeks), dt.time(15, 30))
        )
        meeting = MeetingFactory(
            team=ilt,
            scheduled_start=start,
            status=MeetingStatus.HELD,
            actual_start=start + dt.timedelta(minutes=weeks % 3),
            actual_end=start + dt.timedelta(minutes=80),
            facilitator=people["principal"],
            recorder=people["instructional_coach"],
            timekeeper=people["teacher"],
            agenda_drafted_at=start - dt.timedelta(days=12),
        )
        AgendaItemFactory(meeting=meeting, kind=AgendaKind.DATA_REVIEW, minutes_allotted=50)
        AgendaItemFactory(meeting=meeting, kind=AgendaKind.INFORMATION, minutes_allotted=25)


def closed_self_assessments(world) -> None:  # type: ignore[no-untyped-def]
    """The ILT (4 people) and a 3-person grade team answered, and both have closed."""
    from leadhub.accounts.tests.factories import UserFactory
    from leadhub.health.self_assessment import self_assessment_start
    from leadhub.surveys.models import Invitation
    from leadhub.surveys.selectors import survey_items
    from leadhub.surveys.services import response_submit
    from leadhub.surveys.tests.factories import close
    from leadhub.teams.models import MemberRole, TeamKind
    from leadhub.teams.tests.factories import TeamFactory, TeamMembershipFactory

    grade2 = TeamFactory(kind=TeamKind.INSTRUCTIONAL, school=world.school, name="Grade 2 team")
    TeamMembershipFactory(team=grade2, user=world.people["teacher"], role=MemberRole.LEAD)
    for n in range(2):
        TeamMembershipFactory(
            team=grade2, user=UserFactory(email=f"g2.{n}@sa.test", full_name=f"Grade Two {n}")
        )
    today = timezone.localdate()
    answers = {
        world.objects["ilt"].pk: [5, 4, 4, 2],
        grade2.pk: [4, 2, 3],
    }
    for team in (world.objects["ilt"], grade2):
        administration = self_assessment_start(
            team, world.people["principal"], today, today + dt.timedelta(days=6)
        )
        items = survey_items(administration)
        for invitation, value in zip(
            Invitation.objects.filter(administration=administration).order_by("pk"),
            answers[team.pk],
            strict=True,
        ):
            response_submit(
                invitation=invitation,
                values={item.pk: (6 - value if item.order % 3 == 0 else value) for item in items},
            )
        close(administration)


def test_a_principal_reads_the_combined_result_and_starts_a_self_assessment_by_keyboard(
    page: Page, world, sign_in, screenshot, check_a11y
) -> None:
    ilt_meetings(world)
    closed_self_assessments(world)
    SHOTS.mkdir(parents=True, exist_ok=True)
    ilt = world.objects["ilt"]

    sign_in("principal@world.test")
    page.goto(reverse("health:self_assessment", args=[ilt.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Lincoln ILT: members' own view")
    expect(page.get_by_role("heading", name=re.compile("combined result"))).to_be_visible()
    panel = page.locator(".health-perceived")
    expect(panel.locator(".health-perceived-name", has_text="Shared facilitation")).to_be_visible()
    expect(page.locator(".health-sa-combined")).to_contain_text("7 answers from 2 teams")
    expect(panel.locator(".health-gap-badge").first).to_be_visible()
    check_a11y("self-assessment, combined result")
    screenshot("1-combined")
    page.screenshot(path=SHOTS / "1-combined.png", full_page=True)

    start = page.get_by_role("link", name="Start a self-assessment")
    start.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Start a self-assessment for Lincoln ILT"
    )
    first_day = page.get_by_label("First day to answer")
    expect(first_day).to_have_value(timezone.localdate().isoformat())
    expect(page.get_by_label("Last day to answer")).to_have_value(
        (timezone.localdate() + dt.timedelta(days=13)).isoformat()
    )
    check_a11y("start a self-assessment")
    screenshot("2-start")
    page.screenshot(path=SHOTS / "2-start.png", full_page=True)

    # Date fields take several Tab presses (month, day, year): tab on until the button.
    first_day.focus()
    send = page.get_by_role("button", name="Send the self-assessment")
    for _ in range(10):
        if send.evaluate("button => button === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(send).to_be_focused()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"/health/teams/{ilt.pk}/self-assessment/$"))
    expect(page.locator(".messages")).to_contain_text("is on its way to the team's 4 members")
    table = page.get_by_role("table", name=re.compile("Self-assessments of Lincoln ILT"))
    expect(table.get_by_role("row")).to_have_count(3)
    expect(table).to_contain_text("Still open: counted in the school's combined result")
    expect(page.get_by_role("heading", name=re.compile("combined result"))).to_be_visible()
    # The new one is still open: the released combination of earlier ones stays as it was.
    expect(page.locator(".health-sa-combined")).to_contain_text("7 answers from 2 teams")
    check_a11y("self-assessment, after starting")
    screenshot("3-started")
    page.screenshot(path=SHOTS / "3-started.png", full_page=True)
