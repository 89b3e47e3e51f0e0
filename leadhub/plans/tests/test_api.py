"""The plans API: plans, goals and checkpoints, gated as the pages are."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from leadhub.plans.services.versions import content_edit_begin

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(world: Any) -> Any:
    from django.test import Client

    def make(persona: str) -> Client:
        token, _ = Token.objects.get_or_create(user=world.people[persona])
        return Client(headers={"Authorization": f"Token {token.key}"})

    return make


def test_a_plan_with_its_versions_and_published_content(world: Any, api: Any) -> None:
    plan = world.objects["plan"]
    data = api("principal").get(reverse("api:v1:plan-detail", args=[plan.pk])).json()
    assert data["status"] == "published" and data["published_version"] == 1
    assert data["versions"][0]["number"] == 1
    assert data["published_content"]["goals"][0]["key"] == str(world.objects["plan_goal"].key)
    listed = api("principal").get(reverse("api:v1:plan-list")).json()
    assert plan.pk in [p["id"] for p in listed["results"]]


def test_other_schools_plans_are_not_found(world: Any, api: Any) -> None:
    plan = world.objects["plan"]
    assert api("outsider").get(reverse("api:v1:plan-detail", args=[plan.pk])).status_code == 404
    listed = api("other_school_teacher").get(reverse("api:v1:plan-list")).json()
    assert plan.pk not in [p["id"] for p in listed["results"]]


def test_a_goal_with_its_latest_checkpoint_and_track(world: Any, api: Any) -> None:
    goal = world.objects["plan_goal"]
    data = api("teacher").get(reverse("api:v1:plan-goal-detail", args=[goal.pk])).json()
    assert data["key"] == str(goal.key) and data["target_value"] == 45.0
    assert data["latest_checkpoint"]["id"] == world.objects["checkpoint"].pk
    assert data["track"] in {"on_track", "off_track", "not_judged"}


def test_published_readers_see_the_published_target_while_version_2_is_written(
    world: Any, api: Any
) -> None:
    plan, goal = world.objects["plan"], world.objects["plan_goal"]
    content_edit_begin(plan, actor=world.people["principal"])
    goal.target_value = 50.0
    goal.save()
    url = reverse("api:v1:plan-goal-detail", args=[goal.pk])
    assert api("state_admin").get(url).json()["target_value"] == 45.0
    assert api("principal").get(url).json()["target_value"] == 50.0
    plan_data = api("state_admin").get(reverse("api:v1:plan-detail", args=[plan.pk])).json()
    assert plan_data["status"] == "published" and plan_data["current_version"] == 1


def test_checkpoints_filtered_by_goal(world: Any, api: Any) -> None:
    goal = world.objects["plan_goal"]
    data = api("principal").get(reverse("api:v1:plan-checkpoint-list"), {"goal": goal.pk}).json()
    assert [c["id"] for c in data["results"]] == [world.objects["checkpoint"].pk]
    refused = api("outsider").get(reverse("api:v1:plan-checkpoint-list"), {"goal": goal.pk})
    assert refused.status_code == 400
