"""Student pages as people use them: a teacher's class and student, a principal's filters."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

NOTICE = "LeadHub notes each time you open or download them"
OVERFLOW = """() => [...document.querySelectorAll("body *")]
  .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter((el) => !el.closest(".table-wrap"))
  .map((el) => el.tagName.toLowerCase() + (el.className ? "." + el.className : ""))"""


@pytest.fixture(autouse=True)
def _warm_server(page: Page) -> None:
    """The live server's first page loads every URL module; loaded once beforehand."""
    page.goto("/accounts/login/", timeout=60_000)


def test_a_teacher_opens_a_class_and_a_student(
    page: Page, world, sign_in, screenshot, check_a11y
) -> None:
    student = world.objects["student"]
    sign_in("teacher@world.test")
    page.goto("/students/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My students")
    expect(page.get_by_role("note")).to_contain_text(NOTICE)
    expect(page.get_by_role("status")).to_have_text("12 students in your classes.")
    grade3 = page.get_by_role("region", name="Grade 3, Room 12")
    expect(grade3.get_by_role("row")).to_have_count(13)
    expect(page.get_by_role("region", name="Grade 5, Room 20")).to_have_count(0)
    screenshot("1-my-students")
    check_a11y("my students")

    grade3.get_by_role("link", name=re.compile("Class page and results")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grade 3, Room 12")
    levels = page.get_by_role("table", name="Students by performance level")
    expect(levels.get_by_role("row", name=re.compile("^All students tested"))).to_contain_text("12")
    expect(levels.locator("[data-suppressed]")).to_have_count(12)
    expect(levels.get_by_role("row", name=re.compile("^Level 2"))).to_contain_text("Fewer than 10")
    screenshot("2-class")
    check_a11y("class page")

    name = f"{student.family_name}, {student.preferred_name or student.given_name}"
    page.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(student.display_name)
    expect(page.get_by_role("note")).to_contain_text(NOTICE)
    expect(page.get_by_role("img", name=re.compile("Math benchmark, Mathematics"))).to_be_visible()
    results = page.get_by_role("table", name="Assessment results, latest first")
    expect(results.get_by_role("row")).to_have_count(3)
    expect(page.get_by_role("region", name="Classes")).to_contain_text("Grade 3, Room 12")
    screenshot("3-student")
    check_a11y("student page")

    # On a phone the record reads top to bottom, nothing cut off at the side.
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate(OVERFLOW) == []
    screenshot("4-student-phone")


def test_a_principal_filters_by_group_and_opens_the_school_at_a_glance(
    page: Page, world, sign_in, screenshot, check_a11y
) -> None:
    sign_in("principal@world.test")
    page.goto("/students/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Students at Lincoln Elementary")
    expect(page.get_by_role("status")).to_have_text("26 students.")
    page.get_by_label("Student group").select_option(label="English learners")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"group=el"))
    expect(page.get_by_role("status")).to_have_text("3 students match what you chose.")
    table = page.get_by_role("table", name="Students at Lincoln Elementary")
    expect(table.get_by_role("row")).to_have_count(4)
    expect(table.get_by_role("listitem").filter(has_text="English learners")).to_have_count(3)
    expect(page.get_by_role("link", name=re.compile("^Download CSV"))).to_have_attribute(
        "href", re.compile(r"group=el")
    )
    screenshot("1-english-learners")
    check_a11y("student list filtered")

    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate(OVERFLOW) == []
    screenshot("2-list-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="Lincoln Elementary at a glance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Students at a glance")
    race = page.get_by_role("table", name="Students by race and ethnicity")
    expect(race.get_by_role("row", name=re.compile("^Hispanic or Latino"))).to_contain_text(
        "Hidden"
    )
    expect(race.get_by_role("row", name=re.compile("^White"))).to_contain_text("12")
    grades = page.get_by_role("table", name="Students by grade")
    expect(grades.get_by_role("row", name=re.compile("^Grade 5"))).to_contain_text("14")
    screenshot("3-at-a-glance")
    check_a11y("school at a glance")
