from __future__ import annotations

import pytest
from django.urls import reverse

from leadhub.core.views import server_error

pytestmark = pytest.mark.django_db


def test_home_lists_where_a_person_works(world, client_for) -> None:
    response = client_for("principal").get(reverse("core:home"))
    assert world.school.name in response.content.decode()


def test_navigation_follows_the_role(world, client_for) -> None:
    teacher_nav = [label for label, _, _ in client_for("teacher").get("/").context["nav_items"]]
    assert teacher_nav == [
        "Home",
        "My work",
        "Meetings",
        "Teams",
        "Team health",
        "Plans",
        "Data",
        "Students",
        "Surveys",
        "My school",
        "My district",
        "People",
    ]
    admin_nav = [label for label, _, _ in client_for("state_admin").get("/").context["nav_items"]]
    assert admin_nav == [
        "Home",
        "My work",
        "Team health",
        "Plans",
        "Strategy",
        "Data",
        "Imports",
        "Hubs",
        "Invite staff",
        "People",
        "Audit log",
        "Admin",
    ]
    hub_nav = [label for label, _, _ in client_for("hub_coach").get("/").context["nav_items"]]
    assert "My hub" in hub_nav
    assert "Invite staff" not in hub_nav
    # Hub staff read aggregates, never student rows.
    assert "Students" not in hub_nav and "Data" in hub_nav
    leader_nav = [
        label for label, _, _ in client_for("district_leader").get("/").context["nav_items"]
    ]
    assert {"Data", "Students", "Surveys", "Imports"} <= set(leader_nav)
    principal_nav = [label for label, _, _ in client_for("principal").get("/").context["nav_items"]]
    assert "Invite staff" in principal_nav
    evaluator_nav = client_for("evaluator").get("/").context["nav_items"]
    assert "Teams" not in [label for label, _, _ in evaluator_nav]
    # Team health is for a team's members and leaders: staff on no team do not get it.
    for persona in ("evaluator", "other_school_teacher"):
        nav = client_for(persona).get("/").context["nav_items"]
        assert "Team health" not in [label for label, _, _ in nav]
    # Every school's staff read their published plan; strategy is for leaders.
    assert "Strategy" not in teacher_nav
    assert {"Plans", "Strategy"} <= set(principal_nav) and {"Plans", "Strategy"} <= set(leader_nav)
    assert "Plans" not in [label for label, _, _ in evaluator_nav]


def test_task_progress_is_a_page_and_a_fragment(world, client_for) -> None:
    progress = world.objects["progress"]
    client = client_for("principal")
    page = client.get(reverse("core:task_detail", args=[progress.pk]))
    assert page.templates[0].name == "core/task_detail.html"
    fragment = client.get(
        reverse("core:task_detail", args=[progress.pk]), headers={"HX-Request": "true"}
    )
    assert fragment.templates[0].name == "core/_task_progress.html"
    assert 'hx-trigger="every 1s"' in fragment.content.decode()


def test_a_server_error_page_shows_no_stack_trace(rf) -> None:
    response = server_error(rf.get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Traceback" not in html
    assert "Something went wrong on our side" in html


def test_not_found_is_friendly(client_for) -> None:
    response = client_for("teacher").get("/no-such-page/")
    assert response.status_code == 404
    assert "We couldn't find that page" in response.content.decode()
