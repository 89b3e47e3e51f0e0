"""Scheduled jobs run once per due window, whoever else is running, and failures are kept."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from leadhub.core import scheduler
from leadhub.core.models import ScheduledRun, TaskProgress
from leadhub.core.scheduler import (
    Job,
    _claim,
    prune_finished_work,
    registered_jobs,
    run_due_jobs,
    scheduled,
)

pytestmark = pytest.mark.django_db

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
NOON = dt.datetime(2026, 3, 10, 12, 5, tzinfo=CHICAGO)


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        return f"call {self.calls}"


def test_a_due_job_runs_once_per_window_and_again_in_the_next() -> None:
    count = Counter()
    hourly = Job(name="test.hourly", func=count, every=dt.timedelta(hours=1))

    first = run_due_jobs(now=NOON, jobs=[hourly])
    again = run_due_jobs(now=NOON + dt.timedelta(minutes=40), jobs=[hourly])
    assert count.calls == 1
    assert [run.outcome for run in first] == [ScheduledRun.Outcome.OK]
    assert first[0].message == "call 1"
    assert again == []

    run_due_jobs(now=NOON + dt.timedelta(minutes=60), jobs=[hourly])
    assert count.calls == 2
    assert ScheduledRun.objects.filter(job_name="test.hourly").count() == 2


def test_a_daily_job_is_due_from_its_time_in_the_states_time_zone() -> None:
    count = Counter()
    nightly = Job(name="test.nightly", func=count, at=dt.time(2, 30))
    before = dt.datetime(2026, 3, 10, 2, 0, tzinfo=CHICAGO)
    after = dt.datetime(2026, 3, 10, 2, 31, tzinfo=CHICAGO)

    assert nightly.window_key(before) == "2026-03-09"
    assert nightly.window_key(after) == "2026-03-10"
    for moment in (after, after + dt.timedelta(hours=20)):
        run_due_jobs(now=moment, jobs=[nightly])
    assert count.calls == 1
    run_due_jobs(now=after + dt.timedelta(days=1), jobs=[nightly])
    assert count.calls == 2


def test_a_failing_job_records_its_failure_and_the_others_still_run() -> None:
    def broken() -> None:
        raise RuntimeError("the digest template is missing")

    count = Counter()
    runs = run_due_jobs(
        now=NOON,
        jobs=[
            Job(name="test.broken", func=broken, every=dt.timedelta(minutes=5)),
            Job(name="test.fine", func=count, every=dt.timedelta(minutes=5)),
        ],
    )
    outcomes = {run.job_name: run for run in runs}
    assert outcomes["test.broken"].outcome == ScheduledRun.Outcome.FAILED
    assert outcomes["test.broken"].message == "RuntimeError: the digest template is missing"
    assert outcomes["test.broken"].finished_at is not None
    assert outcomes["test.fine"].outcome == ScheduledRun.Outcome.OK
    assert count.calls == 1
    # A failed window is not retried: the next window runs it again.
    run_due_jobs(
        now=NOON + dt.timedelta(minutes=1),
        jobs=[Job("test.broken", broken, every=dt.timedelta(minutes=5))],
    )
    assert ScheduledRun.objects.filter(job_name="test.broken").count() == 1


def test_when_two_schedulers_race_only_the_one_that_claims_the_window_runs() -> None:
    count = Counter()
    job = Job(name="test.race", func=count, every=dt.timedelta(minutes=10))
    window = job.window_key(NOON)
    assert _claim(job, window, NOON) is not None  # the other scheduler got there first
    assert _claim(job, window, NOON) is None
    assert run_due_jobs(now=NOON, jobs=[job]) == []
    assert count.calls == 0


def test_a_job_names_exactly_one_schedule_and_one_name() -> None:
    with pytest.raises(ImproperlyConfigured):
        scheduled("test.both", every=dt.timedelta(hours=1), at=dt.time(1))
    with pytest.raises(ImproperlyConfigured):
        scheduled("test.neither")
    with pytest.raises(ImproperlyConfigured):
        scheduled("test.too_often", every=dt.timedelta(seconds=10))
    with pytest.raises(ImproperlyConfigured):
        scheduled("core.prune_finished_work", at=dt.time(1))(lambda: None)


def test_apps_jobs_are_discovered_and_the_prune_is_registered() -> None:
    names = {job.name for job in registered_jobs()}
    assert "core.prune_finished_work" in names
    assert scheduler._registry["core.prune_finished_work"].at == dt.time(2, 30)


def test_the_command_runs_the_due_jobs_once_per_window(capsys) -> None:
    call_command("run_scheduled")
    call_command("run_scheduled")
    runs = ScheduledRun.objects.filter(job_name="core.prune_finished_work")
    assert runs.count() == 1
    assert runs.get().outcome == ScheduledRun.Outcome.OK
    queued = DBTaskResult.objects.filter(task_path="leadhub.core.scheduler.prune_finished_work")
    assert queued.count() == 1
    assert "core.prune_finished_work" in capsys.readouterr().out


def test_the_prune_deletes_only_old_finished_work(world) -> None:
    now = timezone.now()
    old, recent = now - dt.timedelta(days=45), now - dt.timedelta(days=2)
    for finished_at in (old, recent):
        result = prune_finished_work.enqueue()
        DBTaskResult.objects.filter(pk=result.id).update(
            status="SUCCESSFUL", finished_at=finished_at
        )
    waiting = prune_finished_work.enqueue()
    DBTaskResult.objects.filter(pk=waiting.id).update(enqueued_at=old)

    owner = world.people["principal"]
    long_done = TaskProgress.objects.create(
        kind="t", label="old", owner=owner, state="done", finished_at=now - dt.timedelta(days=100)
    )
    still_running = TaskProgress.objects.create(
        kind="t", label="running", owner=owner, state="running"
    )
    TaskProgress.objects.filter(pk=still_running.pk).update(updated_at=now - dt.timedelta(days=200))
    lately_failed = TaskProgress.objects.create(
        kind="t", label="new", owner=owner, state="failed", finished_at=recent
    )
    ScheduledRun.objects.create(
        job_name="test.old", window_key="x", started_at=old, finished_at=now - dt.timedelta(days=95)
    )

    counts = prune_finished_work.call()

    assert counts == {"task_results": 1, "task_progress": 1, "scheduled_runs": 1}
    assert DBTaskResult.objects.filter(pk=waiting.id).exists()
    assert not TaskProgress.objects.filter(pk=long_done.pk).exists()
    assert TaskProgress.objects.filter(pk__in=[still_running.pk, lately_failed.pk]).count() == 2
