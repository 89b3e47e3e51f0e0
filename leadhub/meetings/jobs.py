"""Scheduled jobs of the meetings app (found by leadhub.core.scheduler at start-up).

The daily digest is checked every half hour: each district gets it once its own local time
has passed 7:00, so a state spanning two time zones is served at each one's morning.
"""

from __future__ import annotations

import datetime as dt

from django.tasks import task

from leadhub.core.scheduler import scheduled
from leadhub.meetings.services.digest import digests_send_due

DIGEST_CHECK_EVERY = dt.timedelta(minutes=30)


@task
def send_daily_digests() -> str:
    """Send the morning digest to everyone whose district's morning it is and who has not
    had today's yet (safe to run any number of times)."""
    return str(digests_send_due())


@scheduled("meetings.daily_digest", every=DIGEST_CHECK_EVERY)
def enqueue_daily_digests() -> str:
    result = send_daily_digests.enqueue()
    return f"Queued task {result.id}."
