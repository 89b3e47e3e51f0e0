"""Recompute team-health snapshots now, for every active team or for the teams named."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from leadhub.health.snapshots import Months, snapshots_refresh


class Command(BaseCommand):
    help = "Recompute this school year's team-health snapshots (every active team by default)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--team",
            type=int,
            action="append",
            dest="team_ids",
            metavar="ID",
            help="Only this team (repeat for several).",
        )
        parser.add_argument(
            "--current-month",
            action="store_true",
            help="Only the month under way, as the nightly job does.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        months: Months = "current" if options["current_month"] else "year"
        written = snapshots_refresh(options["team_ids"], months=months)
        seconds = time.perf_counter() - started
        self.stdout.write(f"{written:,} snapshot rows written in {seconds:.1f} s.")
