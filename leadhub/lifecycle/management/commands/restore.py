from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from leadhub.lifecycle.backup import RestoreRefused, backup_restore, backup_verify


class Command(BaseCommand):
    help = (
        "Restore a backup into a new, migrated, empty database; --verify compares every "
        "table's row count and checksum with the backup."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", type=Path, help="The backup file written by `backup`.")
        parser.add_argument(
            "--verify", action="store_true", help="Check every table against the backup."
        )
        parser.add_argument(
            "--verify-only",
            action="store_true",
            help="Only compare this database with the backup; load nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["backup"]
        if not path.is_file():
            raise CommandError(f"No backup file at {path}.")
        started = time.monotonic()
        if not options["verify_only"]:
            try:
                loaded = backup_restore(path)
            except RestoreRefused as refusal:
                raise CommandError(f"Nothing was restored. {refusal}") from refusal
            self.stdout.write(
                f"Restored {len(loaded)} tables, {sum(loaded.values()):,} rows, "
                f"in {time.monotonic() - started:.1f}s."
            )
        if options["verify"] or options["verify_only"]:
            mismatches = backup_verify(path)
            if mismatches:
                lines = [
                    f"  {m.table}: backup {m.expected.get('rows')} rows, "
                    f"database {m.found.get('rows')} rows"
                    + (
                        " (same count, different content)"
                        if m.expected.get("rows") == m.found.get("rows")
                        else ""
                    )
                    for m in mismatches
                ]
                raise CommandError("Verification failed:\n" + "\n".join(lines))
            self.stdout.write(
                "Verified: every table matches the backup (row counts and checksums)."
            )
