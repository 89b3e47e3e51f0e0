"""The strategic plan shell's pages, through HTTP as the world's personas."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from leadhub.orgs.models import ProgramParticipation
from leadhub.strategy.models import AnalysisItem, Milestone, StrategicPlan, TheoryOfAction

pytestmark = pytest.mark.django_db


def fresh(world: Any, key: str) -> Any:
    """The world's object read afresh: the session's instances are shared by every test."""
    obj = world.objects[key]
    return type(obj).objects.get(pk=obj.pk)


def test_home_lists_the_plans_a_teacher_may_open_without_the_start_button(
    world: Any, client_for: Any
) -> None:
    page = client_for("teacher").get(reverse("strategy:home")).content.decode()
    assert "Maple Grove strategic plan" in page
    assert "North hub strategic plan" not in page
    assert "Start a strategic plan" not in page
    leader_page = client_for("district_leader").get(reverse("strategy:home")).content.decode()
    assert "Start a strategic plan" in leader_page and "North hub strategic plan" in leader_page


def test_starting_an_overlapping_plan_is_refused_with_the_reason(
    world: Any, client_for: Any
) -> None:
    existing = fresh(world, "strategic_plan")
    data = {
        "owner": f"district:{world.district.pk}",
        "title": "Second plan",
        "first_year": existing.first_year_id,
        "last_year": existing.first_year_id + 1,
    }
    response = client_for("district_leader").post(reverse("strategy:create"), data)
    assert response.status_code == 400
    assert "already has a plan" in response.content.decode()
    assert not StrategicPlan.objects.filter(title="Second plan").exists()
    data.update(first_year=existing.last_year_id + 1, last_year=existing.last_year_id + 1)
    response = client_for("district_leader").post(reverse("strategy:create"), data)
    plan = StrategicPlan.objects.get(title="Second plan")
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()


def test_the_plan_page_shows_the_cards_and_line_of_sight_only_for_its_readers(
    world: Any, client_for: Any
) -> None:
    url = reverse("strategy:plan", args=[fresh(world, "strategic_plan").pk])
    page = client_for("district_leader").get(url).content.decode()
    assert "Every student leaves our schools ready" in page
    assert "Every school names a literacy lead" in page
    assert fresh(world, "diagram").outcome in page
    assert "Line of sight" in page and "Reading theory of action" in page
    teacher_page = client_for("teacher").get(url).content.decode()
    assert "Line of sight" not in teacher_page
    assert "Change the title" not in teacher_page


def test_plan_edit_refuses_a_stale_form_with_a_conflict(world: Any, client_for: Any) -> None:
    plan = fresh(world, "strategic_plan")
    url = reverse("strategy:plan_edit", args=[plan.pk])
    data = {
        "title": "Renamed",
        "first_year": plan.first_year_id,
        "last_year": plan.last_year_id,
        "vision": "v",
        "status": "active",
        "version": plan.version,
    }
    client = client_for("district_leader")
    assert client.post(url, data).status_code == 302
    data["title"] = "Renamed again"
    response = client.post(url, data)
    assert response.status_code == 409
    assert "someone else changed" in response.content.decode()
    plan.refresh_from_db()
    assert plan.title == "Renamed"


def test_the_analysis_page_adds_a_root_cause_under_its_need(world: Any, client_for: Any) -> None:
    plan, need = fresh(world, "strategic_plan"), fresh(world, "analysis_need")
    url = reverse("strategy:analysis", args=[plan.pk])
    prefix = f"cause-{need.pk}"
    response = client_for("district_leader").post(
        url,
        {
            "action": "add",
            "form": prefix,
            f"{prefix}-kind": "root_cause",
            f"{prefix}-cause_of": need.pk,
            f"{prefix}-statement": "Little reading practice at home",
            f"{prefix}-evidence": "Family survey",
        },
    )
    assert response.status_code == 302
    cause = AnalysisItem.objects.get(statement="Little reading practice at home")
    assert cause.cause_of == need
    page = client_for("teacher").get(url).content.decode()
    assert page.index(need.statement) < page.index(cause.statement)


def test_a_theory_of_action_is_written_with_several_statements(world: Any, client_for: Any) -> None:
    plan = fresh(world, "strategic_plan")
    url = reverse("strategy:theory_new", args=[plan.pk])
    client = client_for("district_leader")
    base = {
        "title": "Coaching theory",
        "statements-TOTAL_FORMS": "1",
        "statements-INITIAL_FORMS": "0",
        "statements-0-if_clause": "coaches visit weekly",
        "statements-0-then_clause": "teachers try new routines",
    }
    more = client.post(url, {**base, "action": "add_row"})
    assert more.status_code == 200 and 'name="statements-1-if_clause"' in more.content.decode()
    response = client.post(
        url,
        {
            **base,
            "action": "save",
            "statements-TOTAL_FORMS": "2",
            "statements-1-if_clause": "teachers try new routines",
            "statements-1-then_clause": "students read more",
        },
    )
    theory = TheoryOfAction.objects.get(title="Coaching theory")
    assert response.status_code == 302
    assert [s.if_clause for s in theory.statements.all()] == [
        "coaches visit weekly",
        "teachers try new routines",
    ]
    page = client_for("teacher").get(reverse("strategy:theory", args=[theory.pk]))
    assert "then</span> students read more" in page.content.decode()


def test_a_milestone_added_on_the_road_map_is_drawn_and_listed(world: Any, client_for: Any) -> None:
    plan = fresh(world, "strategic_plan")
    url = reverse("strategy:road_map", args=[plan.pk])
    due = timezone.localdate()
    response = client_for("district_leader").post(
        url,
        {
            "action": "milestone_add",
            "milestone-title": "Coaches hired",
            "milestone-due_on": due.isoformat(),
            "milestone-status": "in_progress",
            "milestone-version": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Milestone.objects.filter(plan=plan, title="Coaches hired").exists()
    page = client_for("principal").get(url).content.decode()
    assert page.count("Coaches hired") >= 2  # in the drawing and in the table
    assert 'role="img"' in page


def test_the_hub_director_moves_a_school_to_another_tier(world: Any, client_for: Any) -> None:
    plan = fresh(world, "hub_plan")
    participation = ProgramParticipation.objects.get(school=world.school, hub=world.hub)
    url = reverse("strategy:capacity", args=[plan.pk])
    response = client_for("hub_director").post(
        url, {"action": "move", "participation": participation.pk, "tier": "intensive"}
    )
    assert response.status_code == 302
    participation.refresh_from_db()
    assert participation.support_tier == "intensive"
    district_page = client_for("district_leader").get(
        reverse("strategy:capacity", args=[fresh(world, "strategic_plan").pk])
    )
    assert "Move to another tier" not in district_page.content.decode()
