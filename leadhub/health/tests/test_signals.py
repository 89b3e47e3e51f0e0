"""Recomputing health when records change: one task per transaction; the nightly job."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from leadhub.core import scheduler
from leadhub.health import jobs
from leadhub.health.models import HealthSnapshot
from leadhub.health.signals import TeamsToRefresh, health_refresh_paused
from leadhub.health.tasks import refresh_team_health
from leadhub.meetings.models import Attendance, Meeting, ReportBack
from leadhub.meetings.tests.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    AttendanceFactory,
    DecisionFactory,
    MeetingFactory,
)
from leadhub.teams.tests.factories import TeamMembershipFactory

REFRESH_TASK = "leadhub.health.tasks.refresh_team_health"


def queued_refreshes() -> list[list[int]]:
    rows = DBTaskResult.objects.filter(task_path=REFRESH_TASK).order_by("enqueued_at")
    return [row.args_kwargs["args"][0] for row in rows]


def test_one_transaction_enqueues_one_task_for_every_team_it_touched(
    world, django_capture_on_commit_callbacks
) -> None:
    ilt, grade3 = world.objects["ilt"], world.objects["grade3"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        meeting = MeetingFactory(team=ilt)
        AgendaItemFactory(meeting=meeting)
        AttendanceFactory(meeting=meeting, user=world.people["teacher"])
        ActionItemFactory(meeting=meeting)
        TeamMembershipFactory(team=grade3, user=world.people["principal"])

    assert len([c for c in callbacks if isinstance(c, TeamsToRefresh)]) == 1
    assert queued_refreshes() == [sorted([ilt.pk, grade3.pk])]


def test_changes_within_a_minute_share_one_deferred_task(
    world, django_capture_on_commit_callbacks
) -> None:
    """Notes autosave every few seconds: the second save finds the first one's task pending
    and adds nothing; once the delay has passed (the pending mark expired), a new one."""
    ilt = world.objects["ilt"]
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            MeetingFactory(team=ilt)
    assert queued_refreshes() == [[ilt.pk]]
    (row,) = DBTaskResult.objects.filter(task_path=REFRESH_TASK)
    assert row.run_after is not None and row.run_after > timezone.now() + dt.timedelta(seconds=50)

    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        MeetingFactory(team=ilt)
    assert queued_refreshes() == [[ilt.pk], [ilt.pk]]


def test_rows_that_only_know_their_meeting_are_resolved_at_commit(
    world, django_capture_on_commit_callbacks
) -> None:
    held = world.objects["held_meeting"]
    with health_refresh_paused():
        attendance = AttendanceFactory(meeting=held, user=world.people["other_school_teacher"])
    fresh = Attendance.objects.get(pk=attendance.pk)  # its meeting not loaded
    with django_capture_on_commit_callbacks(execute=True):
        fresh.delete()
    assert queued_refreshes() == [[held.team_id]]


def test_a_report_back_refreshes_the_deciding_team_and_the_team_reported_to(
    world, django_capture_on_commit_callbacks
) -> None:
    ilt, grade5 = world.objects["ilt"], world.objects["grade5"]
    with health_refresh_paused():
        decision = DecisionFactory(meeting=Meeting.objects.filter(team=ilt).first())
    with django_capture_on_commit_callbacks(execute=True):
        ReportBack.objects.create(
            decision=decision,
            team=grade5,
            assignee=world.people["instructional_coach"],
            due_on=timezone.localdate(),
        )
    assert queued_refreshes() == [sorted([ilt.pk, grade5.pk])]


def test_nothing_is_enqueued_while_paused(world, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True), health_refresh_paused():
        MeetingFactory(team=world.objects["ilt"])
    assert queued_refreshes() == []


def test_the_task_recomputes_the_teams_year(world) -> None:
    ilt = world.objects["ilt"]
    written = refresh_team_health.call([ilt.pk])
    assert written == HealthSnapshot.objects.filter(team=ilt).count() > 0


def test_the_nightly_job_is_registered_and_queues_the_current_month(db) -> None:
    registered = {job.name: job for job in scheduler.registered_jobs()}
    assert registered["health.nightly_snapshots"].at == dt.time(2, 30)

    message = jobs.enqueue_nightly_snapshots()

    queued = DBTaskResult.objects.get(task_path="leadhub.health.tasks.refresh_current_month")
    assert message == f"Queued task {queued.pk}."
