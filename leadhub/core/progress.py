"""Progress that a person can watch while a background task runs.

A view creates a :class:`TaskProgress` row and enqueues the task with its id; the
task wraps its work in :func:`tracked`, which marks it running, hands it a
``report(done, total)`` callback and records how it ended. The page polls the
row with htmx until it is finished.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.utils import timezone

from leadhub.accounts.models import User
from leadhub.core.models import TaskProgress
from leadhub.orgs.models import District

logger = logging.getLogger(__name__)

Report = Callable[[int, int], None]


def progress_create(
    *, kind: str, label: str, owner: User, district: District | None = None
) -> TaskProgress:
    return TaskProgress.objects.create(kind=kind, label=label, owner=owner, district=district)


@contextmanager
def tracked(progress_id: str) -> Iterator[tuple[TaskProgress, Report]]:
    progress = TaskProgress.objects.get(pk=progress_id)
    progress.state = TaskProgress.State.RUNNING
    progress.save(update_fields=["state", "updated_at"])

    def report(done: int, total: int) -> None:
        progress.done, progress.total = done, total
        progress.save(update_fields=["done", "total", "updated_at"])

    try:
        yield progress, report
    except Exception:
        logger.exception("Background task %s failed", progress.kind)
        progress.state = TaskProgress.State.FAILED
        progress.message = "Something went wrong and nothing was changed. Please try again."
        progress.finished_at = timezone.now()
        progress.save(update_fields=["state", "message", "finished_at", "updated_at"])
        raise
    progress.state = TaskProgress.State.DONE
    progress.finished_at = timezone.now()
    progress.save(update_fields=["state", "message", "result_url", "finished_at", "updated_at"])
