"""Shared base models: timestamps, the district key on school-scoped rows, task progress."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class DistrictScoped(models.Model):
    """Every school-scoped table carries its district.

    Scoping becomes one indexed filter, a district purge one condition, and
    sharding by district possible later.
    """

    district = models.ForeignKey(
        "orgs.District", on_delete=models.PROTECT, related_name="+", db_index=True
    )

    class Meta:
        abstract = True


class TaskProgress(TimeStamped):
    """What a person sees of a background task: how far it got and how it ended."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "In progress"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=80)
    label = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="task_progress"
    )
    district = models.ForeignKey(
        "orgs.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    result_url = models.CharField(max_length=300, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_state_display()})"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, round(100 * self.done / self.total))

    @property
    def is_finished(self) -> bool:
        return self.state in {self.State.DONE, self.State.FAILED}


class ScheduledRun(models.Model):
    """One run of a scheduled job in one due window (``leadhub.core.scheduler``).

    The unique (job, window) pair is the lock: the scheduler that inserts the row runs
    the job, so a job runs once per window however many schedulers are running.
    """

    class Outcome(models.TextChoices):
        RUNNING = "running", "Running"
        OK = "ok", "Finished"
        FAILED = "failed", "Failed"

    job_name = models.CharField(max_length=100)
    window_key = models.CharField(max_length=40)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.RUNNING)
    message = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["job_name", "window_key"], name="one_scheduled_run_per_window"
            )
        ]
        indexes = [models.Index(fields=["finished_at"])]

    def __str__(self) -> str:
        return f"{self.job_name} · {self.window_key} ({self.get_outcome_display()})"
