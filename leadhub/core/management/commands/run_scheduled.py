"""Run the scheduled jobs that are due now: cron calls this every few minutes in production;
``--loop`` keeps it running beside the worker in development (``make run``)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections

from leadhub.core.models import ScheduledRun
from leadhub.core.scheduler import Job, registered_jobs, run_due_jobs


class Command(BaseCommand):
    help = "Run the scheduled jobs that are due now, each once per due window."
    # Cron starts this every few minutes: the web process already runs the system checks.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop",
            action="store_true",
            help="Keep running and look for due jobs every --interval seconds (development).",
        )
        parser.add_argument(
            "--interval", type=int, default=60, help="Seconds between looks with --loop."
        )

    def handle(self, *args: Any, loop: bool, interval: int, **options: Any) -> None:
        if interval < 1:
            raise CommandError("--interval must be at least 1 second.")
        jobs = registered_jobs()
        if loop:
            names = ", ".join(job.name for job in jobs) or "none"
            self.stdout.write(f"Scheduler started; every {interval}s it runs what is due: {names}")
        try:
            while True:
                failed = self._run_once(jobs)
                if not loop:
                    break
                close_old_connections()
                time.sleep(interval)
        except KeyboardInterrupt:
            return
        if failed:
            raise CommandError(f"{failed} scheduled job(s) failed; see the log above.")

    def _run_once(self, jobs: list[Job]) -> int:
        failed = 0
        for run in run_due_jobs(jobs=jobs):
            ok = run.outcome == ScheduledRun.Outcome.OK
            failed += not ok
            line = f"{run.job_name} [{run.window_key}]: {run.get_outcome_display().lower()}"
            if run.message:
                line += f" · {run.message}"
            self.stdout.write(self.style.SUCCESS(line) if ok else self.style.ERROR(line))
        return failed
