"""Keyboard use and reflow of the school page (WCAG 2.4.1, 2.4.7, 1.4.10)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    text: (el.innerText || el.getAttribute("aria-label") || "").trim(),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
    inViewport: box.width > 0 && box.height > 0 && box.left >= 0 && box.top >= 0
      && box.right <= window.innerWidth && box.bottom <= window.innerHeight,
  };
}"""

OVERFLOW = """() => ({
  scrollWidth: document.documentElement.scrollWidth,
  clientWidth: document.documentElement.clientWidth,
  // What sticks out: anything past the right edge, except what a table's own
  // scroller holds (absolutely positioned boxes escape an unpositioned scroller).
  wide: [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .filter((el) => !el.closest(".table-wrap") || getComputedStyle(el).position === "absolute")
    .slice(0, 5)
    .map((el) => el.tagName.toLowerCase() + (el.className ? "." + el.className : "")),
})"""


def test_school_page_keyboard_focus(page: Page, world, sign_in, screenshot, check_a11y) -> None:
    sign_in("principal@world.test")
    page.goto(f"/schools/{world.school.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lincoln Elementary")

    # The first Tab from the top of the page reaches the skip link, which shows itself.
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert focused["text"] == "Skip to main content", focused
    assert focused["outlineStyle"] != "none" and focused["outlineWidth"] > 0, focused
    assert focused["inViewport"], f"the focused skip link is off screen: {focused}"
    screenshot("1-skip-link-focused")

    # Following it moves focus to the main content, past the navigation.
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert (focused["tag"], focused["text"]) == ("a", "Maple Grove CUSD 1"), focused

    # Every stop along the way, from the top to the end of the page, shows where focus is.
    page.goto(f"/schools/{world.school.pk}/")
    seen = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["tag"] == "body":
            break
        seen.append(focused["text"])
        assert focused["outlineStyle"] != "none" and focused["outlineWidth"] > 0, (
            f"no visible focus on {focused}"
        )
        assert focused["inViewport"], f"the focused element was not scrolled into view: {focused}"
    assert seen[0] == "Skip to main content" and seen[1].endswith("LeadHub"), seen
    assert "Staff" in seen and "Sign out" in seen, seen
    assert any(re.fullmatch(r"Edit \d{4}–\d\d characteristics", text) for text in seen), seen
    check_a11y("school page")


def overflow_at(page: Page, path: str) -> dict:
    page.goto(path)
    return page.evaluate(OVERFLOW)


def test_school_page_reflows_at_320_pixels(page: Page, world, sign_in, screenshot) -> None:
    page.set_viewport_size({"width": 320, "height": 720})
    sign_in("principal@world.test")
    overflow = overflow_at(page, f"/schools/{world.school.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lincoln Elementary")
    screenshot("1-school-320px")
    assert overflow["scrollWidth"] <= overflow["clientWidth"] + 1, overflow


def test_school_page_at_320_pixels_passes_axe_for_a_teacher(
    page: Page, world, sign_in, screenshot, check_a11y
) -> None:
    page.set_viewport_size({"width": 320, "height": 720})
    sign_in("teacher@world.test")
    page.goto(f"/schools/{world.school.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lincoln Elementary")
    expect(page.get_by_role("link", name=re.compile(r"^Edit"))).to_have_count(0)
    screenshot("1-school-teacher-320px")
    check_a11y("school page at 320px, as a teacher")


def test_narrow_screen_menu_and_reflow_of_other_pages(
    page: Page, world, sign_in, screenshot, check_a11y
) -> None:
    page.set_viewport_size({"width": 320, "height": 720})
    sign_in("principal@world.test")
    page.goto(f"/schools/{world.school.pk}/")
    # The navigation folds into a menu that still works.
    menu = page.locator("details.nav-menu")
    expect(menu).to_be_visible()
    expect(page.locator("nav.nav-wide")).to_be_hidden()
    expect(menu.get_by_role("link", name="My school")).to_be_hidden()
    menu.get_by_text("Menu").click()
    expect(menu.get_by_role("link", name="My school")).to_be_visible()
    expect(menu.get_by_role("link", name="My school")).to_have_attribute("aria-current", "page")
    screenshot("1-menu-open-320px")
    menu.get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")

    # Wide tables scroll inside their own box; the page itself never scrolls sideways.
    pages = {
        "home": "/",
        "district": f"/districts/{world.district.pk}/",
        "staff": f"/schools/{world.school.pk}/staff/",
        "people": "/people/",
        "characteristics": f"/schools/{world.school.pk}/characteristics/{world.year}/",
        "task": f"/tasks/{world.objects['progress'].pk}/",
    }
    too_wide = {}
    for name, path in pages.items():
        overflow = overflow_at(page, path)
        screenshot(f"2-{name}-320px")
        check_a11y(f"{name} page at 320px")
        if overflow["scrollWidth"] > overflow["clientWidth"] + 1:
            too_wide[name] = overflow
    assert not too_wide, too_wide
