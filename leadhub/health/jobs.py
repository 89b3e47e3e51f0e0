"""Scheduled jobs of team health (found by leadhub.core.scheduler at start-up)."""

from __future__ import annotations

import datetime as dt

from leadhub.core.scheduler import scheduled
from leadhub.health.tasks import refresh_current_month


@scheduled("health.nightly_snapshots", at=dt.time(2, 30))
def enqueue_nightly_snapshots() -> str:
    result = refresh_current_month.enqueue()
    return f"Queued task {result.id}."
