"""Recomputing a team's health when its records change.

Saving or deleting a meeting, an attendance mark, an agenda item, a decision, an action
item, a report-back, a proposal or a membership notes the team concerned; once the
transaction commits, ONE background task recomputes every team it touched. A meeting's
page saves many rows in one request, so the rows of one transaction share one task.

The pending teams live in the callback registered with the transaction, not in module
state: a rolled-back transaction drops its callback and leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from leadhub.meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Decision,
    IntakeItem,
    Meeting,
    ReportBack,
)
from leadhub.teams.models import TeamMembership

# A meeting's notes save every few seconds: a team's changes within this delay share one
# task, queued to run after it. A change skipped because a task is pending happened before
# that task's start, so the task sees it.
_DELAY_SECONDS = 60
_PENDING_KEY = "health:refresh-pending:{}"
_paused: ContextVar[bool] = ContextVar("health_refresh_paused", default=False)


@contextmanager
def health_refresh_paused() -> Iterator[None]:
    """No recomputation for changes made inside: for bulk loads (test worlds, demo seeding)
    that compute every snapshot once at the end."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


class TeamsToRefresh:
    """The teams one transaction changed, enqueued as one task when it commits. Rows that
    only know their meeting or decision are resolved to teams then, with one query each."""

    def __init__(self) -> None:
        self.team_ids: set[int] = set()
        self.meeting_ids: set[int] = set()
        self.decision_ids: set[int] = set()
        self.done = False

    def __call__(self) -> None:
        from leadhub.health.tasks import refresh_team_health

        self.done = True
        team_ids = set(self.team_ids)
        if self.meeting_ids:
            team_ids.update(
                Meeting.objects.filter(pk__in=self.meeting_ids).values_list("team_id", flat=True)
            )
        if self.decision_ids:
            team_ids.update(
                Decision.objects.filter(pk__in=self.decision_ids).values_list(
                    "meeting__team_id", flat=True
                )
            )
        due = [
            pk
            for pk in sorted(team_ids)
            if cache.add(_PENDING_KEY.format(pk), True, _DELAY_SECONDS)
        ]
        if due:
            run_after = timezone.now() + dt.timedelta(seconds=_DELAY_SECONDS)
            refresh_team_health.using(run_after=run_after).enqueue(due)


def _pending(using: str) -> tuple[TeamsToRefresh, bool]:
    """This transaction's pending teams, and whether they still need registering."""
    connection = transaction.get_connection(using)
    if connection.in_atomic_block:
        for _savepoints, callback, _robust in reversed(connection.run_on_commit):
            if isinstance(callback, TeamsToRefresh) and not callback.done:
                return callback, False
    return TeamsToRefresh(), True


def teams_changed(
    *,
    using: str,
    team_ids: Iterable[int | None] = (),
    meeting_ids: Iterable[int | None] = (),
    decision_ids: Iterable[int | None] = (),
) -> None:
    if _paused.get():
        return
    pending, new = _pending(using)
    pending.team_ids.update(pk for pk in team_ids if pk is not None)
    pending.meeting_ids.update(pk for pk in meeting_ids if pk is not None)
    pending.decision_ids.update(pk for pk in decision_ids if pk is not None)
    if new:
        transaction.on_commit(pending, using=using)


def _meeting_team(instance: Attendance | AgendaItem | Decision, using: str) -> None:
    # The meeting is usually at hand (the row was just created from it); when it is not,
    # its team is looked up once at commit.
    if type(instance).meeting.is_cached(instance):
        teams_changed(using=using, team_ids=[instance.meeting.team_id])
    else:
        teams_changed(using=using, meeting_ids=[instance.meeting_id])


def _changed(sender: type[models.Model], instance: Any, using: str, **kwargs: Any) -> None:
    if isinstance(instance, Attendance | AgendaItem | Decision):
        _meeting_team(instance, using)
    elif isinstance(instance, ReportBack):
        # The team reported to, and the deciding team, whose "closing the loop" it counts for.
        teams_changed(using=using, team_ids=[instance.team_id], decision_ids=[instance.decision_id])
    else:
        teams_changed(using=using, team_ids=[instance.team_id])


WATCHED: tuple[type[models.Model], ...] = (
    Meeting,
    Attendance,
    AgendaItem,
    Decision,
    ActionItem,
    ReportBack,
    IntakeItem,
    TeamMembership,
)


def connect() -> None:
    for model in WATCHED:
        uid = f"health_refresh_{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}_save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}_delete")
