"""The plan as a print page, a PDF and a two-sheet workbook, for working and published readers."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from leadhub.audit.models import AuditEvent
from leadhub.plans.services.versions import content_edit_begin

pytestmark = pytest.mark.django_db


def test_the_workbook_has_a_goals_sheet_and_an_action_steps_sheet(
    world: Any, client_for: Any
) -> None:
    plan = world.objects["plan"]
    response = client_for("principal").get(reverse("plans:export", args=[plan.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Goals", "Action steps"]
    goals = list(book["Goals"].values)
    assert goals[0][0] == "Goal" and goals[1][0] == world.objects["plan_goal"].outcome
    assert goals[1][5] == 45.0  # the target
    steps = list(book["Action steps"].values)
    assert steps[1][2] == world.objects["plan_step"].description
    assert steps[1][6] == "In progress"
    assert float(steps[1][9]) == 1200.0
    assert AuditEvent.objects.filter(action="export", object_id=str(plan.pk)).exists()


def test_published_readers_get_the_published_version_working_readers_the_draft(
    world: Any, client_for: Any
) -> None:
    plan = world.objects["plan"]
    goal = world.objects["plan_goal"]
    content_edit_begin(plan, actor=world.people["principal"])
    goal.target_value = 50.0
    goal.save()
    url = reverse("plans:print", args=[plan.pk])
    working = client_for("principal").get(url)
    assert b"Draft: not yet approved" in working.content
    assert b"50" in working.content
    published = client_for("state_admin").get(url)
    assert published.status_code == 200
    assert b"Draft: not yet approved" not in published.content
    assert b"Version</dt><dd>1</dd>" in published.content.replace(b"\n", b"").replace(b"    ", b"")
    xlsx = client_for("state_admin").get(reverse("plans:export", args=[plan.pk]))
    goals = list(load_workbook(io.BytesIO(xlsx.content))["Goals"].values)
    assert goals[1][5] == 45.0


def test_the_pdf_is_a_pdf_with_the_goal_chart(world: Any, client_for: Any) -> None:
    plan = world.objects["plan"]
    response = client_for("teacher").get(reverse("plans:pdf", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    page = client_for("teacher").get(reverse("plans:print", args=[plan.pk]))
    assert b"<svg" in page.content
    assert b"Total cost of every action step: $1,200.00" in page.content
