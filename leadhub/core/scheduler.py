"""Periodic jobs (daily digests, nightly recomputations), each run once per due window.

An app registers a job in its ``jobs.py``, found at start-up the way the admin finds
``admin.py``::

    @scheduled("plans.daily_digest", at=dt.time(6, 0))   # daily, in the state's time zone
    def send_daily_digest() -> str:
        result = daily_digest.enqueue()                   # heavy work belongs in a task
        return f"Queued task {result.id}."

``run_due_jobs()`` (the ``run_scheduled`` command, which cron starts every few minutes)
runs each job whose current window has no run yet. A window is a calendar day after the
job's ``at`` time, or a slot of ``every`` counted from the Unix epoch. The run is claimed
by inserting its :class:`ScheduledRun` row: (job, window) is unique, so when two
schedulers race, the one whose insert fails leaves the job alone. A window missed while
nothing was running is caught up once, by the next run.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks_db.models import DBTaskResult

from leadhub.core.models import ScheduledRun, TaskProgress

logger = logging.getLogger(__name__)

JobFunction = Callable[[], object]
SHORTEST_INTERVAL = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class Job:
    name: str
    func: JobFunction
    every: dt.timedelta | None = None
    at: dt.time | None = None

    def window_key(self, now: dt.datetime) -> str:
        """The due window ``now`` falls in; a job runs once per window."""
        if self.every is not None:
            length = int(self.every.total_seconds())
            start = int(now.timestamp()) // length * length
            return dt.datetime.fromtimestamp(start, tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        at = self.at or dt.time.min
        local = timezone.localtime(now)
        day = local.date() if local.time() >= at else local.date() - dt.timedelta(days=1)
        return day.isoformat()


_registry: dict[str, Job] = {}


def scheduled(
    name: str, *, every: dt.timedelta | None = None, at: dt.time | None = None
) -> Callable[[JobFunction], JobFunction]:
    """Register the decorated function as a job: ``every`` so often, or daily ``at`` a time."""
    if (every is None) == (at is None):
        raise ImproperlyConfigured(f"Scheduled job {name!r} needs either every= or at=.")
    if every is not None and every < SHORTEST_INTERVAL:
        raise ImproperlyConfigured(f"Scheduled job {name!r} cannot run more than once a minute.")

    def register(func: JobFunction) -> JobFunction:
        existing = _registry.get(name)
        if existing is not None and _qualified(existing.func) != _qualified(func):
            raise ImproperlyConfigured(f"Two scheduled jobs are named {name!r}.")
        _registry[name] = Job(name=name, func=func, every=every, at=at)
        return func

    return register


def _qualified(func: JobFunction) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def registered_jobs() -> list[Job]:
    """Every job of every app, after importing each app's ``jobs`` module."""
    autodiscover_modules("jobs")
    return sorted(_registry.values(), key=lambda job: job.name)


def run_due_jobs(
    *, now: dt.datetime | None = None, jobs: Iterable[Job] | None = None
) -> list[ScheduledRun]:
    """Run every job (all registered ones by default) whose window at ``now`` has no run.

    Returns the runs this call made. A failing job is recorded as failed and the others
    still run.
    """
    moment = now or timezone.now()
    due = list(registered_jobs() if jobs is None else jobs)
    windows = {job.name: job.window_key(moment) for job in due}
    taken = set(
        ScheduledRun.objects.filter(
            job_name__in=windows, window_key__in=set(windows.values())
        ).values_list("job_name", "window_key")
    )
    runs: list[ScheduledRun] = []
    for job in due:
        if (job.name, windows[job.name]) in taken:
            continue
        run = _claim(job, windows[job.name], moment)
        if run is not None:
            runs.append(_run(job, run))
    return runs


def _claim(job: Job, window_key: str, moment: dt.datetime) -> ScheduledRun | None:
    try:
        with transaction.atomic():
            return ScheduledRun.objects.create(
                job_name=job.name, window_key=window_key, started_at=moment
            )
    except IntegrityError:
        return None  # another scheduler claimed this window first


def _run(job: Job, run: ScheduledRun) -> ScheduledRun:
    try:
        # Its own transaction: a failing job leaves nothing half-done behind it.
        with transaction.atomic():
            result = job.func()
    except Exception as error:
        logger.exception("Scheduled job %s failed", job.name)
        run.outcome = ScheduledRun.Outcome.FAILED
        run.message = f"{type(error).__name__}: {error}"[:500]
    else:
        run.outcome = ScheduledRun.Outcome.OK
        run.message = "" if result is None else str(result)[:500]
    run.finished_at = timezone.now()
    run.save(update_fields=["outcome", "message", "finished_at"])
    return run


# LeadHub's own housekeeping ---------------------------------------------------

TASK_RESULTS_KEPT = dt.timedelta(days=30)
TASK_PROGRESS_KEPT = dt.timedelta(days=90)
SCHEDULED_RUNS_KEPT = dt.timedelta(days=90)


@task
def prune_finished_work() -> dict[str, int]:
    """Delete finished background-task results, progress rows and scheduler runs past
    their keeping time. Unfinished ones are never touched."""
    now = timezone.now()
    results, _ = (
        DBTaskResult.objects.finished().filter(finished_at__lt=now - TASK_RESULTS_KEPT).delete()
    )
    progress_cutoff = now - TASK_PROGRESS_KEPT
    progress, _ = TaskProgress.objects.filter(
        Q(finished_at__lt=progress_cutoff)
        | Q(finished_at__isnull=True, updated_at__lt=progress_cutoff),
        state__in=[TaskProgress.State.DONE, TaskProgress.State.FAILED],
    ).delete()
    runs, _ = ScheduledRun.objects.filter(finished_at__lt=now - SCHEDULED_RUNS_KEPT).delete()
    return {"task_results": results, "task_progress": progress, "scheduled_runs": runs}


@scheduled("core.prune_finished_work", at=dt.time(2, 30))
def enqueue_prune_finished_work() -> str:
    result = prune_finished_work.enqueue()
    return f"Queued task {result.id}."
