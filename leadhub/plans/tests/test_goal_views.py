"""The goal pages through HTTP: writing a goal with its SMARTe guidance, the goal page,
interim targets, checkpoints and the goal an agenda item brings into its meeting."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from leadhub.audit.models import AuditEvent
from leadhub.measures.models import MeasureValue
from leadhub.meetings.models import AgendaKind
from leadhub.meetings.tests.factories import AgendaItemFactory
from leadhub.plans.models import Checkpoint, Goal, GoalAgendaLink, PlanStatus
from leadhub.students.groups import EL
from leadhub.students.models import StudentGroup


def _goal_data(world: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "version": "0",
        "outcome": "More English learners in grade 3 write on grade level",
        "measure": str(world.objects["plan_measure"].pk),
        "student_group": "",
        "baseline_value": "",
        "baseline_date": "",
        "target_value": "",
        "deadline": "",
        "need": str(world.objects["plan_need"].pk),
        "serves_node": str(world.objects["primary_driver"].pk),
        "achievability_note": "",
    }
    data.update(changes)
    return data


def test_the_guidance_follows_what_is_typed(world: Any, client_for: Any) -> None:
    client = client_for("teacher")
    url = reverse("plans:goal_check", args=[world.objects["plan"].pk])
    page = client.post(url, _goal_data(world)).content.decode()
    assert "Name the student group whose gap this goal closes." in page
    assert "Add a baseline value, the baseline date and a target." in page
    el = StudentGroup.objects.get(code=EL)
    page = client.post(
        url,
        _goal_data(
            world,
            student_group=str(el.pk),
            baseline_value="31",
            baseline_date=str(world.objects["plan_goal"].baseline_date),
            target_value="45",
        ),
    ).content.decode()
    assert "Closes the gap for English learners." in page
    assert "Measured by Grade 3 reading proficiency: from 31%" in page
    # A number half typed counts as empty rather than failing the check.
    page = client.post(url, _goal_data(world, baseline_value="3x")).content.decode()
    assert "Add a baseline value" in page


def test_the_form_warns_that_saving_starts_a_new_version(world: Any, client_for: Any) -> None:
    page = client_for("principal").get(reverse("plans:goal_new", args=[world.objects["plan"].pk]))
    text = page.content.decode()
    assert "Saving this starts version 2, which needs approval again." in text
    assert 'hx-post="' + reverse("plans:goal_check", args=[world.objects["plan"].pk]) in text
    assert 'aria-live="polite"' in text
    # The district has strategies: the field is offered, labelled by kind.
    assert "Primary driver: Strong core reading" in text


def test_saving_a_goal_with_gaps_keeps_it_as_a_draft_and_says_what_stops_approval(
    world: Any, client_for: Any
) -> None:
    plan = world.objects["plan"]
    response = client_for("teacher").post(
        reverse("plans:goal_new", args=[plan.pk]), _goal_data(world), follow=True
    )
    goal = Goal.objects.get(outcome="More English learners in grade 3 write on grade level")
    assert response.redirect_chain[-1][0] == goal.get_absolute_url()
    text = response.content.decode()
    assert "This started version 2 of the plan" in text
    assert "will stop the plan&#x27;s approval" in text and "Equitable" in text
    assert goal.since_version == 2 and goal.serves_node == world.objects["primary_driver"]
    assert AuditEvent.objects.filter(action="plan.goal_create", object_id=str(goal.pk)).exists()


def test_a_locked_plan_saves_nothing_and_says_why(world: Any, client_for: Any) -> None:
    plan = world.objects["plan"]
    type(plan).objects.filter(pk=plan.pk).update(status=PlanStatus.SUBMITTED)
    before = Goal.objects.count()
    response = client_for("principal").post(
        reverse("plans:goal_new", args=[plan.pk]), _goal_data(world)
    )
    assert response.status_code == 400
    assert "with the School Improvement Team for approval" in response.content.decode()
    assert Goal.objects.count() == before


def test_a_conflicting_edit_shows_both_versions(world: Any, client_for: Any) -> None:
    goal = world.objects["plan_goal"]
    goal.refresh_from_db()
    data = _goal_data(world, version=str(goal.version), target_value="50")
    Goal.objects.filter(pk=goal.pk).update(version=goal.version + 1, target_value=47.0)
    response = client_for("principal").post(reverse("plans:goal_edit", args=[goal.pk]), data)
    assert response.status_code == 409
    assert "someone else changed this goal" in response.content.decode()
    assert Goal.objects.get(pk=goal.pk).target_value == 47.0


def test_retiring_from_the_edit_page(world: Any, client_for: Any) -> None:
    goal = world.objects["plan_goal"]
    goal.refresh_from_db()
    response = client_for("principal").post(
        reverse("plans:goal_edit", args=[goal.pk]), {"retire": "1", "version": goal.version}
    )
    assert response.status_code == 302
    assert Goal.objects.get(pk=goal.pk).retired


def test_the_goal_page_says_it_in_words_with_its_status_and_chart(
    world: Any, client_for: Any
) -> None:
    goal = world.objects["plan_goal"]
    text = client_for("teacher").get(goal.get_absolute_url()).content.decode()
    assert f"From 31% on {goal.baseline_date:%B} {goal.baseline_date.day}" in text
    assert "to 45% by" in text and "for English learners." in text
    assert "On track" in text  # 34% against the line from 31% to the winter's 38%
    assert "<svg" in text and 'role="img"' in text
    assert "Show the data as a table" in text
    assert "Winter benchmark" in text
    assert "Principal" in text  # who recorded the checkpoint


def test_readers_of_the_published_version_see_its_content_and_live_checkpoints(
    world: Any, client_for: Any
) -> None:
    goal = world.objects["plan_goal"]
    Goal.objects.filter(pk=goal.pk).update(outcome="A rewritten outcome in the draft")
    Checkpoint.objects.create(
        goal=goal,
        district=world.district,
        measured_on=world.objects["interim_target"].due_on,
        value=30.0,
        recorded_by=world.people["principal"],
    )
    text = client_for("state_admin").get(goal.get_absolute_url()).content.decode()
    assert "More English learners in grade 3 read on grade level" in text
    assert "A rewritten outcome" not in text
    assert "You are reading the approved version 1" in text
    assert "Off track" in text


def test_a_checkpoint_offers_the_latest_value_and_never_starts_a_version(
    world: Any, client_for: Any
) -> None:
    goal = world.objects["plan_goal"]
    on = world.objects["interim_target"].due_on
    MeasureValue.objects.create(
        measure=goal.measure,
        school=world.school,
        district=world.district,
        student_group=goal.student_group,
        period_start=on,
        period_label="Winter",
        value=37.5,
        student_count=30,
    )
    client = client_for("teacher")
    url = reverse("plans:checkpoint_new", args=[goal.pk])
    page = client.get(url).content.decode()
    assert "Use the latest value of this measure" in page
    page = client.get(url + "?use=goal").content.decode()
    assert 'value="37.5"' in page and f'value="{on.isoformat()}"' in page
    response = client.post(
        url, {"reads": "goal", "value": "37.5", "measured_on": on.isoformat(), "note": ""}
    )
    assert response.status_code == 302
    assert goal.checkpoints.filter(value=37.5).exists()
    plan = type(world.objects["plan"]).objects.get(pk=world.objects["plan"].pk)
    assert plan.status == PlanStatus.PUBLISHED and plan.current_number == 1
    # A date before the baseline is refused at its field.
    early = goal.baseline_date - dt.timedelta(days=1)
    response = client.post(url, {"reads": "goal", "value": "1", "measured_on": early})
    assert response.status_code == 400
    assert "on or after the goal&#x27;s baseline date" in response.content.decode()


def test_an_interim_target_on_another_measure(world: Any, client_for: Any) -> None:
    goal = world.objects["plan_goal"]
    response = client_for("principal").post(
        reverse("plans:interim_new", args=[goal.pk]),
        {
            "label": "Spring window",
            "measure": "",
            "target_value": "41",
            "due_on": (goal.deadline - dt.timedelta(days=40)).isoformat(),
            "baseline_value": "",
        },
    )
    assert response.status_code == 302
    assert goal.interim_targets.filter(label="Spring window", measure=None).exists()
    # A baseline on the goal's own measure is refused: the goal's baseline is the start.
    response = client_for("principal").post(
        reverse("plans:interim_new", args=[goal.pk]),
        {
            "label": "Late",
            "target_value": "41",
            "due_on": (goal.deadline + dt.timedelta(days=5)).isoformat(),
            "baseline_value": "3",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "on or before the goal&#x27;s deadline" in text
    assert "Leave this empty, or choose another measure" in text


def test_the_agenda_slot_shows_the_goals_latest_checkpoint(world: Any, client_for: Any) -> None:
    item = world.objects["goal_agenda_item"]
    text = (
        client_for("district_leader")
        .get(reverse("plans:agenda_goal", args=[item.pk]))
        .content.decode()
    )
    assert world.objects["plan_goal"].get_absolute_url() in text
    assert "34%" in text and "On track" in text
    assert "Unlink" not in text  # the district leader reads the meeting, does not record it


def test_linking_a_goal_to_a_goal_monitoring_item(world: Any, client_for: Any) -> None:
    meeting = world.objects["goal_agenda_item"].meeting
    item = AgendaItemFactory(meeting=meeting, kind=AgendaKind.GOAL_MONITORING, title="Goals")
    client = client_for("teacher")
    url = reverse("plans:agenda_goal", args=[item.pk])
    page = client.get(url).content.decode()
    assert "Goal to monitor" in page and world.objects["plan_goal"].outcome in page
    response = client.post(url, {"goal": world.objects["plan_goal"].pk})
    assert response.status_code == 200
    assert GoalAgendaLink.objects.get(agenda_item=item).goal == world.objects["plan_goal"]
    assert "On track" in response.content.decode()
    response = client.post(url, {"unlink": "1"})
    assert not GoalAgendaLink.objects.filter(agenda_item=item).exists()
    # Another school's goal is never offered, so it cannot be linked.
    other = Goal.objects.create(
        plan=world.objects["sibling_plan"], district=world.district, outcome="Theirs"
    )
    response = client.post(url, {"goal": other.pk})
    assert response.status_code == 400
    assert not GoalAgendaLink.objects.filter(agenda_item=item).exists()


def test_the_agenda_list_loads_the_goal_slot_for_goal_monitoring_items(
    world: Any, client_for: Any
) -> None:
    item = world.objects["goal_agenda_item"]
    response = client_for("principal").get(reverse("meetings:agenda_edit", args=[item.meeting.pk]))
    assert response.status_code == 200
    assert reverse("plans:agenda_goal", args=[item.pk]) in response.content.decode()


def test_the_meeting_page_loads_the_goal_slot_for_goal_monitoring_items(
    world: Any, client_for: Any
) -> None:
    item = world.objects["goal_agenda_item"]
    page = client_for("teacher").get(reverse("meetings:meeting_detail", args=[item.meeting.pk]))
    assert page.status_code == 200
    assert reverse("plans:agenda_goal", args=[item.pk]) in page.content.decode()
