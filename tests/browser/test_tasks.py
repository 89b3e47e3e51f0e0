"""A district leader starts a background task and watches it finish without reloading."""

from __future__ import annotations

import re
import signal
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from leadhub.core.models import TaskProgress
from leadhub.orgs.models import SchoolProfile

pytestmark = pytest.mark.browser


def run_worker_once() -> None:
    """Runs the queued tasks in this thread, against the live server's database."""
    # The worker installs its own signal handlers; give pytest its own back.
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO())
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def test_district_leader_watches_carry_forward_finish(
    page: Page, world, sign_in, screenshot, check_a11y
) -> None:
    sign_in("district.leader@world.test")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My district").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Maple Grove CUSD 1")
    schools = page.get_by_role("table", name=re.compile(r"^Schools and their"))
    douglass = schools.get_by_role("row", name=re.compile("Douglass Middle"))
    expect(douglass).to_contain_text(re.compile(r"No \d{4}–\d\d characteristics yet"))
    start = page.get_by_role(
        "button", name=re.compile(r"^Start \d{4}–\d\d characteristics for 1 school$")
    )
    expect(start).to_be_visible()
    screenshot("1-district")
    check_a11y("district page with the start button")

    start.click()
    expect(page).to_have_url(re.compile(r"/tasks/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^Start \d{4}–\d\d school characteristics for Maple Grove CUSD 1$")
    )
    panel = page.locator("#task-progress")
    status = panel.get_by_role("status")
    expect(status.get_by_text("Waiting to start")).to_be_visible()
    expect(status).to_contain_text("Waiting for a background worker to pick this up")
    expect(panel.get_by_role("link", name="See the result")).to_have_count(0)
    screenshot("2-task-waiting")
    check_a11y("task page, waiting")

    # Mark this document: if the page reloads, the mark is gone.
    marker = page.evaluate("() => (window.__sameDocument = Math.random())")
    run_worker_once()
    progress = TaskProgress.objects.get(owner=world.people["district_leader"])
    assert progress.state == TaskProgress.State.DONE, progress.message

    # htmx polls every second and swaps the finished panel in.
    expect(status.get_by_text("Finished")).to_be_visible()
    expect(status).to_contain_text(
        re.compile(r"1 school now has \d{4}–\d\d characteristics to review\.")
    )
    expect(status).to_contain_text("1 of 1 done (100%)")
    expect(panel.locator("progress")).to_have_attribute("value", "100")
    result = panel.get_by_role("link", name="See the result")
    expect(result).to_be_visible()
    assert page.evaluate("() => window.__sameDocument") == marker, "the page reloaded"
    # A finished panel stops polling.
    expect(panel.locator("#task-progress-body")).not_to_have_attribute(
        "hx-trigger", re.compile("every")
    )
    screenshot("3-task-finished")
    check_a11y("task page, finished")

    result.click()
    expect(page).to_have_url(re.compile(rf"/districts/{world.district.pk}/$"))
    expect(douglass).not_to_contain_text("characteristics yet")
    expect(page.get_by_role("button", name=re.compile(r"^Start .* characteristics"))).to_have_count(
        0
    )
    assert SchoolProfile.objects.filter(
        school=world.sibling_school, school_year_id=world.year
    ).exists()
    screenshot("4-district-after")
