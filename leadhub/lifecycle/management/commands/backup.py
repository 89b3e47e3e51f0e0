from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from leadhub.lifecycle.backup import backup_write


class Command(BaseCommand):
    help = "Write every table to a portable backup file (ZIP of JSON lines with checksums)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="Where to write the backup (default: var/backups/leadhub-<time>.zip).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        path = options["output"] or Path(settings.VAR_DIR) / "backups" / f"leadhub-{stamp}.zip"
        started = time.monotonic()
        manifest = backup_write(path)
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            f"Backed up {len(manifest['tables'])} tables, {rows:,} rows, to {path} "
            f"in {time.monotonic() - started:.1f}s."
        )
