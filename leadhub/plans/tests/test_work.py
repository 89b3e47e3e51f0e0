"""Plan action steps in "My work"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leadhub.plans.models import StepStatus
from leadhub.plans.tests.factories import ActionStepFactory
from leadhub.plans.work import STEP_SOURCE, open_plan_steps
from leadhub.work.registry import work_sources

pytestmark = pytest.mark.django_db


def fresh(obj):  # type: ignore[no-untyped-def]
    """The world's row as the database holds it now (the session's objects are shared)."""
    return type(obj).objects.get(pk=obj.pk)


def test_the_source_is_registered() -> None:
    assert STEP_SOURCE in {source.label for source in work_sources()}


def test_a_person_sees_their_open_steps_with_due_dates_in_one_query(world) -> None:
    teacher = world.persona("teacher")
    step = fresh(world.objects["plan_step"])
    today = timezone.localdate()
    ActionStepFactory(
        strategy=fresh(world.objects["plan_strategy"]),
        description="Finished already",
        owner=teacher,
        status=StepStatus.DONE,
    )
    late = ActionStepFactory(
        strategy=fresh(world.objects["plan_strategy"]),
        description="Order the readers",
        owner=teacher,
        end_on=today - dt.timedelta(days=2),
        status=StepStatus.DELAYED,
    )
    with CaptureQueriesContext(connection) as queries:
        items = open_plan_steps(teacher, today=today)
    assert len(queries) == 1
    by_url = {item.url: item for item in items}
    assert set(by_url) == {
        reverse("plans:step", args=[step.pk]),
        reverse("plans:step", args=[late.pk]),
    }
    mine = by_url[reverse("plans:step", args=[step.pk])]
    assert mine.due == step.end_on
    assert mine.organization == "Lincoln Elementary"
    assert step.description in mine.title
    assert mine.status == "In progress"
    assert by_url[reverse("plans:step", args=[late.pk])].status == "Overdue"


def test_nobody_else_sees_the_step(world) -> None:
    assert open_plan_steps(world.persona("principal"), today=timezone.localdate()) == []


def test_steps_of_plans_whose_years_are_over_drop_out(world) -> None:
    teacher = world.persona("teacher")
    later = timezone.localdate() + dt.timedelta(days=800)
    assert open_plan_steps(teacher, today=later) == []


def test_the_step_shows_in_the_inbox(world, client_for) -> None:
    page = client_for("teacher").get(reverse("work:inbox"))
    assert page.status_code == 200
    assert fresh(world.objects["plan_step"]).description in page.content.decode()
