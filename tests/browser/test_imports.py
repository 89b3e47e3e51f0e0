"""A district leader imports an assessment file through the pages, then a corrected one.

Upload → preview and column mapping → check (progress bar) → problem report download →
import (progress bar) → result; the corrected file updates the results rather than
adding them twice. The crash halfway is injected at the service level
(leadhub/imports/tests/test_services.py), where the commit's test seam lives.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import Page, expect

from leadhub.assessments.models import AssessmentResult
from leadhub.imports.models import DataImport, ImportStatus
from tests.browser.test_tasks import run_worker_once

pytestmark = pytest.mark.browser

HEADER = (
    "State Student ID,School Code,Assessment,Subject,Grade,School Year,Window,"
    "Scale Score,Perf Level,EL"
)


@pytest.fixture(autouse=True)
def _warm_server(page: Page) -> None:
    """The live server's first page loads every URL module: once, with time to spare."""
    page.goto("/accounts/login/", timeout=60_000)


def results_file(world, *, count: int, level: int, broken: bool) -> bytes:
    year = f"{world.year - 1}-{str(world.year)[-2:]}"
    lines = [HEADER]
    for i in range(count):
        school = "NO-SUCH-SCHOOL" if broken and i == count - 1 else world.school.state_id
        lines.append(
            f"BRW{i:04d},{school},math-benchmark,Math,3,{year},Spring,{200 + i},{level},"
            f"{'Y' if i == 0 else 'N'}"
        )
    return ("\n".join(lines) + "\n").encode()


def upload(page: Page, content: bytes, name: str) -> None:
    page.goto("/imports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Data imports")
    page.get_by_label("Assessment results").check()
    page.locator("input[type=file]").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": content}
    )
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def watch_progress(page: Page, screenshot, step: str) -> None:
    """The progress bar shows while the task waits; the worker runs it; the page follows."""
    panel = page.get_by_role("status")
    expect(panel.locator("progress")).to_be_visible()
    expect(panel).to_contain_text("Waiting for a background worker")
    screenshot(step)
    run_worker_once()


def test_a_district_leader_imports_results_then_a_corrected_file(
    page: Page, world, sign_in, screenshot, check_a11y
) -> None:
    sign_in("district.leader@world.test")
    upload(page, results_file(world, count=5, level=1, broken=True), "spring.csv")

    preview = page.get_by_role("region", name="The first rows of your file")
    expect(preview.get_by_role("cell", name="BRW0001")).to_be_visible()
    expect(page.get_by_label("Scale score", exact=True).locator("option:checked")).to_have_text(
        "Scale Score"
    )
    expect(
        page.get_by_label("Performance level", exact=True).locator("option:checked")
    ).to_have_text("Perf Level")
    expect(page.get_by_label("English learner (Y/N)").locator("option:checked")).to_have_text("EL")
    screenshot("1-preview-and-mapping")
    check_a11y("import preview and mapping")

    page.get_by_role("button", name="Check the file").click()
    watch_progress(page, screenshot, "2-checking")
    expect(page.get_by_role("heading", name="What the check found")).to_be_visible()
    expect(page.locator(".stats")).to_contain_text("With problems")
    problems = page.get_by_role("table", name="The most frequent problems")
    expect(problems).to_contain_text("No school of Maple Grove CUSD 1 has this state identifier.")
    screenshot("3-checked")
    check_a11y("import checked")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the problem report (CSV)").click()
    report = download_info.value
    assert report.suggested_filename == "spring-problems.csv"
    with open(report.path(), encoding="utf-8-sig") as handle:
        lines = list(csv.reader(io.StringIO(handle.read())))
    assert lines == [
        ["line", "column", "problem", "value"],
        [
            "6",
            "School Code",
            "No school of Maple Grove CUSD 1 has this state identifier.",
            "NO-SUCH-SCHOOL",
        ],
    ]

    page.get_by_role("button", name="Import 4 rows").click()
    expect(page.locator("#id_skip_problem_rows_error")).to_contain_text("1 row has problems.")
    page.get_by_label("Import the other rows and leave out the rows with problems").check()
    page.get_by_role("button", name="Import 4 rows").click()
    watch_progress(page, screenshot, "4-importing")
    expect(page.get_by_role("heading", name="Imported", exact=True)).to_be_visible()
    result = page.locator(".stats")
    expect(result).to_contain_text(re.compile(r"Added\s*4"))
    expect(result).to_contain_text(re.compile(r"Updated\s*0"))
    expect(result).to_contain_text(re.compile(r"Students new to LeadHub\s*4"))
    screenshot("5-imported")
    check_a11y("import done")

    upload(page, results_file(world, count=5, level=3, broken=False), "spring-corrected.csv")
    page.get_by_role("button", name="Check the file").click()
    run_worker_once()
    page.get_by_role("button", name="Import 5 rows").click()
    run_worker_once()
    expect(page.get_by_role("heading", name="Imported", exact=True)).to_be_visible()
    expect(result).to_contain_text(re.compile(r"Added\s*1"))
    expect(result).to_contain_text(re.compile(r"Updated\s*4"))
    screenshot("6-corrected")

    imported = AssessmentResult.objects.filter(student__state_student_id__startswith="BRW")
    assert imported.count() == 5
    assert set(imported.values_list("performance_level", flat=True)) == {3}
    assert set(DataImport.objects.values_list("status", flat=True)) == {ImportStatus.DONE}

    page.goto("/imports/")
    listing = page.get_by_role("table", name="Imports, newest first")
    expect(listing.get_by_role("row", name=re.compile("spring-corrected.csv"))).to_contain_text(
        "1 added, 4 updated"
    )
    screenshot("7-list")
    check_a11y("import list")


def test_the_import_pages_reflow_at_320_pixels(page: Page, world, sign_in, screenshot) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in("district.leader@world.test")
    upload(page, results_file(world, count=3, level=2, broken=False), "narrow.csv")
    overflow = page.evaluate("() => document.documentElement.scrollWidth")
    assert overflow <= 320, f"the page is {overflow} px wide at 320"
    screenshot("narrow-mapping")
