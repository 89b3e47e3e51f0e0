"""Scheduled jobs of the files app (found by leadhub.core.scheduler at start-up)."""

from __future__ import annotations

import datetime as dt

from leadhub.core.scheduler import scheduled
from leadhub.files.tasks import remove_orphaned_files


@scheduled("files.remove_orphaned_files", at=dt.time(3, 15))
def enqueue_remove_orphaned_files() -> str:
    result = remove_orphaned_files.enqueue()
    return f"Queued task {result.id}."
