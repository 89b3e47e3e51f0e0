"""The approval pages, versions, comparison, comments and next year's copy, through the
views. (The permission table's loop, leadhub/plans/tests/permission_table_workflow.py,
takes minutes here, so it runs in the project's permission matrix.)"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from leadhub.plans.models import PlanComment, PlanStatus, SchoolPlan
from leadhub.plans.services import workflow as flow
from leadhub.plans.services.versions import content_edit_begin

pytestmark = pytest.mark.django_db


def submitted(world: Any) -> SchoolPlan:
    plan = world.objects["plan"]
    content_edit_begin(plan, actor=world.people["principal"])
    plan.refresh_from_db()
    flow.plan_submit(plan, actor=world.people["principal"])
    return plan


def test_the_return_form_wants_a_comment_at_the_field(world: Any, client_for: Any) -> None:
    plan = submitted(world)
    url = reverse("plans:return", args=[plan.pk])
    client = client_for("principal")
    assert client.get(url).status_code == 200
    refused = client.post(url, {"comment": "  "})
    assert refused.status_code == 400
    assert b'id="id_comment_error"' in refused.content
    assert b"Say what needs to change" in refused.content
    done = client.post(url, {"comment": "Add a spring benchmark."})
    assert done.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED
    page = client.get(reverse("plans:versions", args=[plan.pk]))
    assert b"Add a spring benchmark." in page.content


def test_the_sit_approves_and_version_2_is_published(world: Any, client_for: Any) -> None:
    plan = submitted(world)
    response = client_for("principal").post(reverse("plans:approve", args=[plan.pk]))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED and plan.published_version.number == 2


def test_a_teacher_on_the_ilt_may_not_approve(world: Any, client_for: Any) -> None:
    plan = submitted(world)
    assert client_for("teacher").post(reverse("plans:approve", args=[plan.pk])).status_code == 403
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_compare_the_draft_with_the_published_version(world: Any, client_for: Any) -> None:
    plan, goal = world.objects["plan"], world.objects["plan_goal"]
    url = reverse("plans:compare", args=[plan.pk])
    assert b"There is only one version so far" in client_for("principal").get(url).content
    content_edit_begin(plan, actor=world.people["principal"])
    goal.target_value = 50.0
    goal.save()
    page = client_for("principal").get(url)
    assert page.status_code == 200
    assert b"<td><del>45</del></td><td><ins>50</ins></td>" in page.content
    # Readers of the published version only compare published versions.
    assert client_for("state_admin").get(url, {"a": "1", "b": "draft"}).status_code == 404


def test_a_comment_on_a_goal(world: Any, client_for: Any) -> None:
    plan, goal = world.objects["plan"], world.objects["plan_goal"]
    response = client_for("teacher").post(
        reverse("plans:comment", args=[plan.pk]),
        {"text": "Winter results are in.", "goal": goal.pk, "next": "/evil.example/"},
    )
    assert response.status_code == 302
    comment = PlanComment.objects.get(plan=plan)
    assert comment.goal == goal and comment.text == "Winter results are in."


def test_next_years_plan_opens_and_a_second_start_goes_to_it(world: Any, client_for: Any) -> None:
    plan = world.objects["plan"]
    client = client_for("teacher")
    first = client.post(reverse("plans:next_year", args=[plan.pk]))
    copy = SchoolPlan.objects.get(copied_from=plan)
    assert first["Location"] == copy.get_absolute_url()
    again = client.post(reverse("plans:next_year", args=[plan.pk]))
    assert again["Location"] == copy.get_absolute_url()
    assert SchoolPlan.objects.filter(copied_from=plan).count() == 1


def test_the_panel_on_the_plan_page(world: Any, client_for: Any) -> None:
    plan = world.objects["plan"]
    content_edit_begin(plan, actor=world.people["principal"])
    page = client_for("principal").get(reverse("plans:plan", args=[plan.pk]))
    assert page.status_code == 200
    assert b"Version 2 is a draft. Staff see version 1 until version 2 is approved." in page.content
    assert b"Submit for approval" in page.content
    teacher = client_for("other_school_teacher").get(reverse("plans:plan", args=[plan.pk]))
    assert teacher.status_code == 404
