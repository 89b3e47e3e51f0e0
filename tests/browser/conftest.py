"""Browser tests: Debian's Chromium driven through Playwright against ``live_server``.

``live_server`` makes every test transactional: the database is flushed after
each one, so the session-built world of the root conftest is gone after the
first browser test. The ``world`` fixture here rebuilds it when needed and always
hands back objects fresh from the database.

Run with ``.venv/bin/python -m pytest -q -m browser tests/browser``; the default
``pytest`` run deselects the ``browser`` marker.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect, sync_playwright

from conftest import World, build_world
from leadhub.core.tests.matrix import PERSONAS

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "correct-horse-battery-staple"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
BLOCKING_IMPACTS = {"serious", "critical"}

# Every axe violation seen in the session, whatever its impact, for the report.
_AXE_LOG: list[dict[str, Any]] = []
# Under pytest-xdist each worker is its own session and writes its own report.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
AXE_REPORT = SCREENSHOTS / (f"axe-violations-{_WORKER}.json" if _WORKER else "axe-violations.json")


def load_world() -> World:
    """The test world, read back from the database (built first if it is missing)."""
    from leadhub.accounts.models import User
    from leadhub.core.models import TaskProgress
    from leadhub.meetings.tests.world import load_team_world
    from leadhub.orgs.models import District, DistrictCalendar, Hub, School
    from leadhub.orgs.tests.factories import current_year
    from leadhub.plans.tests.world import load_plan_world
    from leadhub.students.tests.world import load_student_world

    if not Hub.objects.filter(slug="north-test-hub").exists():
        build_world()
    year = current_year()
    district = District.objects.get(name="Maple Grove CUSD 1")
    people = {
        key: User.objects.get(email=f"{key.replace('_', '.')}@world.test")
        for key in PERSONAS
        if key != "anonymous"
    }
    return World(
        hub=Hub.objects.get(slug="north-test-hub"),
        other_hub=Hub.objects.get(slug="south-test-hub"),
        district=district,
        other_district=District.objects.get(name="Far River SD 2"),
        school=School.objects.get(name="Lincoln Elementary"),
        sibling_school=School.objects.get(name="Douglass Middle"),
        other_school=School.objects.get(name="Riverside High"),
        calendar=DistrictCalendar.objects.get(district=district, school_year_id=year),
        year=year,
        people=people,
        objects={
            "progress": TaskProgress.objects.filter(owner=people["principal"]).first(),
            "former": User.objects.get(email="former.teacher@world.test"),
            **load_team_world(),
            **load_student_world(),
            **load_plan_world(),
        },
    )


@pytest.fixture(scope="session", autouse=True)
def _orm_beside_playwright() -> Iterator[None]:
    """Playwright's sync API runs an event loop in the test thread, and Django refuses
    ORM calls from a thread with a running loop unless told it is safe. Set for the
    browser tests only, not at import, so the default run keeps Django's check."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _audit_log_flushable(transactional_db: None, live_server: Any) -> Iterator[None]:
    """live_server flushes the database after each test; the audit log's append-only
    triggers would refuse that on SQLite, so they are off for the flush only."""
    from django.db import connection

    from leadhub.audit.tests.triggers import set_sqlite_triggers

    set_sqlite_triggers(connection, enabled=True)
    yield
    set_sqlite_triggers(connection, enabled=False)


@pytest.fixture
def world(live_server: Any) -> World:
    """Overrides the root ``world``: the live server's flush may have removed it."""
    return load_world()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    # A single-process run owns every report; a worker only its own (the others are live).
    for stale in [AXE_REPORT] if _WORKER else SCREENSHOTS.glob("axe-violations*.json"):
        stale.unlink(missing_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()
    if _AXE_LOG:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        AXE_REPORT.write_text(json.dumps(_AXE_LOG, indent=2))


@pytest.fixture
def page(browser: Browser, live_server: Any) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="en-US"
    )
    # Generous: the live server's first answers are slow on a busy machine, and a
    # passing test never waits for the limit.
    context.set_default_timeout(15_000)
    expect.set_options(timeout=15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def sign_in(page: Page, screenshot: Callable[[str], None]) -> Callable[..., None]:
    """Signs in through the real form at /accounts/login/ (screenshots ``0-sign-in``, ``0-home``).

    ``start`` is where the browser goes first (a signed-out visit to any page lands
    on the sign-in form); ``on_form`` runs once the form is showing, for checks.
    """

    def do(
        email: str,
        *,
        start: str = "/accounts/login/",
        on_form: Callable[[], object] | None = None,
    ) -> None:
        page.goto(start)
        expect(page).to_have_url(re.compile(r"/accounts/login/"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
        screenshot("0-sign-in")
        if on_form is not None:
            on_form()
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_have_text(re.compile(r"^(Welcome, |Enter your sign-in code)"))
        if heading.inner_text().startswith("Enter your sign-in code"):
            # State and hub roles sign in with a second factor; their personas have one.
            from leadhub.accounts.tests.factories import TEST_TOTP_SECRET, current_code

            page.get_by_label(re.compile("code", re.I)).first.fill(current_code(TEST_TOTP_SECRET))
            page.get_by_role("button", name="Sign in").click()
        expect(heading).to_have_text(re.compile(r"^Welcome, "))
        screenshot("0-home")

    return do


@pytest.fixture
def screenshot(page: Page, request: pytest.FixtureRequest) -> Callable[[str], None]:
    """``screenshot("step")`` saves var/screenshots/<test>-<step>.png (full page)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    test = request.node.name.removeprefix("test_")

    def shoot(step: str) -> None:
        page.screenshot(path=SCREENSHOTS / f"{test}-{step}.png", full_page=True)

    return shoot


@pytest.fixture
def check_a11y(page: Page) -> Callable[[str], list[dict[str, Any]]]:
    """Runs axe on the page; fails on serious or critical violations, returns the rest."""
    axe = Axe()

    def check(label: str) -> list[dict[str, Any]]:
        violations = axe.run(page).response["violations"]
        for violation in violations:
            _AXE_LOG.append(
                {
                    "page": label,
                    "url": page.url,
                    "id": violation["id"],
                    "impact": violation["impact"],
                    "help": violation["help"],
                    "targets": [node["target"] for node in violation["nodes"]],
                }
            )
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, f"axe found serious/critical problems on {label} ({page.url}):\n" + (
            "\n".join(
                f"- {v['id']} ({v['impact']}): {v['help']}; nodes: "
                + ", ".join(str(node["target"]) for node in v["nodes"])
                for v in blocking
            )
        )
        return violations

    return check
