"""A district leader imports a OneRoster package through the page: checks it first,
watches the check finish, reads what the import would do, imports it, and reads a
refused package's problems."""

from __future__ import annotations

import re
import signal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

SHARED = Path(__file__).resolve().parents[3] / "shared" / "testdata" / "oneroster"


def run_worker_once() -> None:
    """Runs the queued tasks in this thread, against the live server's database."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO())
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


@pytest.fixture(autouse=True)
def _warm_server(page: Page) -> None:
    page.goto("/accounts/login/", timeout=60_000)


def wait_for_result(page: Page) -> None:
    """The progress panel polls until the worker is done, then links to the result."""
    panel = page.locator("#task-progress")
    expect(panel.get_by_role("status")).to_contain_text("Waiting to start")
    run_worker_once()
    result = panel.get_by_role("link", name="See the result")
    expect(result).to_be_visible()
    result.click()


def test_a_district_leader_checks_then_imports_a_roster(
    page: Page, world, sign_in, screenshot, check_a11y
) -> None:
    sign_in("district.leader@world.test")
    page.goto("/rosters/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Roster imports for Maple Grove CUSD 1"
    )
    expect(
        page.get_by_text("No roster has been imported for Maple Grove CUSD 1 yet.")
    ).to_be_visible()
    screenshot("1-list")
    check_a11y("roster import list")

    page.get_by_label("OneRoster package").set_input_files(str(SHARED / "minimal_valid_v1p2.zip"))
    page.get_by_label("Check only: show what the import would do, and change nothing").check()
    page.get_by_role("button", name="Upload and check").click()
    expect(page).to_have_url(re.compile(r"/rosters/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("minimal_valid_v1p2.zip")
    screenshot("2-waiting")
    check_a11y("roster import waiting")

    wait_for_result(page)
    expect(page.locator(".rosters-outcome")).to_contain_text(
        "The package can be imported for 2025–26. Nothing was changed."
    )
    ready = page.get_by_role("region", name="Ready to import")
    expect(ready).to_contain_text("Nothing has changed yet")
    # The world's students came from a roster this package does not list.
    inactive = ready.get_by_role("table", name="What the import would make inactive")
    expect(inactive.get_by_role("row", name=re.compile(r"^Students \d+ \d+$"))).to_be_visible()
    summary = page.get_by_role("table", name=re.compile("^Records that would be created"))
    expect(summary.get_by_role("row", name=re.compile(r"^Schools 1 0 0 0 0 0$"))).to_be_visible()
    expect(page.get_by_role("region", name="Schools the import would create")).to_contain_text(
        "Lincoln ES (state code 0601)"
    )
    screenshot("3-checked")
    check_a11y("roster import checked")

    page.get_by_role("button", name="Import this package now").click()
    wait_for_result(page)
    expect(page.locator(".rosters-outcome")).to_contain_text("Imported")
    done = page.get_by_role("table", name=re.compile("^Records created, matched"))
    expect(done.get_by_role("row", name=re.compile(r"^Students 1 0 0 0 \d+ 0$"))).to_be_visible()
    new_schools = page.get_by_role("region", name="New schools")
    expect(new_schools.get_by_role("link", name="Lincoln ES")).to_be_visible()
    screenshot("4-imported")
    check_a11y("roster import done")

    page.get_by_role("link", name="Roster imports").click()
    imports = page.get_by_role("table", name="Roster imports, newest first")
    expect(imports.get_by_role("row", name=re.compile("minimal_valid_v1p2.zip"))).to_contain_text(
        "Imported"
    )
    screenshot("5-list-after")


def test_a_refused_package_explains_what_to_correct(
    page: Page, world, sign_in, screenshot, check_a11y
) -> None:
    sign_in("district.leader@world.test")
    page.goto("/rosters/")
    page.get_by_label("OneRoster package").set_input_files(
        str(SHARED / "messy_v1p2_full_dataset.zip")
    )
    page.get_by_role("button", name="Upload and check").click()
    wait_for_result(page)

    expect(page.locator(".rosters-outcome")).to_contain_text(
        "Not imported The package has 11 problems to correct. Nothing was changed."
    )
    problems = page.get_by_role("table", name="Problems that stopped the import")
    expect(problems.locator("tbody tr")).to_have_count(11)
    expect(problems.locator("tbody tr").first).to_contain_text(
        "a department that belongs to no school"
    )
    warnings = page.get_by_role("table", name="Warnings about the package")
    expect(warnings.get_by_role("row", name=re.compile("Scheduled"))).to_contain_text(
        "read as “scheduled”"
    )
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the problems and warnings (CSV)").click()
    assert download.value.suggested_filename.endswith(".csv")
    screenshot("1-refused")
    check_a11y("refused roster import")

    page.set_viewport_size({"width": 320, "height": 800})
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    screenshot("2-refused-phone")
