"""My work from meetings: a person's open action items and the decisions they carry back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from leadhub.meetings.models import ActionStatus, ReportBack
from leadhub.meetings.tests.factories import ActionItemFactory
from leadhub.meetings.work import open_action_items, report_backs_to_share
from leadhub.work.registry import work_sources

pytestmark = pytest.mark.django_db


def test_both_sources_are_registered() -> None:
    labels = {source.label for source in work_sources()}
    assert {"Team action items", "Report-backs"} <= labels


def test_a_teachers_open_action_items(world, django_assert_num_queries) -> None:
    today = timezone.localdate()
    teacher = world.people["teacher"]
    held = world.objects["held_meeting"]
    late = ActionItemFactory(
        meeting=held, owner=teacher, description="Overdue thing", due_on=today - dt.timedelta(1)
    )
    ActionItemFactory(meeting=held, owner=teacher, description="Done", status=ActionStatus.DONE)
    with django_assert_num_queries(1):
        items = {item.title: item for item in open_action_items(teacher, today=today)}

    assert set(items) == {"Bring three student work samples to the next meeting", "Overdue thing"}
    normal = items["Bring three student work samples to the next meeting"]
    action = world.objects["action_item"]
    assert normal.url == reverse("meetings:action_detail", args=[action.pk])
    assert normal.due == today + dt.timedelta(days=7)
    assert normal.organization == "Lincoln ILT · Lincoln Elementary"
    assert normal.status == "Open"
    overdue = items["Overdue thing"]
    assert overdue.status == "Overdue"
    assert overdue.url == reverse("meetings:action_detail", args=[late.pk])


def test_report_backs_not_yet_shared(world, django_assert_num_queries) -> None:
    today = timezone.localdate()
    teacher = world.people["teacher"]
    report = world.objects["report_back"]
    with django_assert_num_queries(1):
        (item,) = report_backs_to_share(teacher, today=today)
    assert item.title == (
        "Share with Grade 3 team: “Every grade 3 class uses the shared fluency check each Friday.”"
    )
    assert item.url == reverse("meetings:report_back", args=[report.pk])
    assert item.due == report.due_on
    assert item.organization == "Lincoln ILT · Lincoln Elementary"

    ReportBack.objects.filter(pk=report.pk).update(shared_on=today, channel="email")
    assert report_backs_to_share(teacher, today=today) == []


def test_the_inbox_shows_meeting_work(world, client_for) -> None:
    html = client_for("teacher").get(reverse("work:inbox")).content.decode()
    assert "Bring three student work samples to the next meeting" in html
    assert "Share with Grade 3 team" in html
    assert "Team action items" in html and "Report-backs" in html
    coach = client_for("instructional_coach").get(reverse("work:inbox")).content.decode()
    assert "Follow up privately on the staffing concern" in coach
    assert "Overdue" in coach
