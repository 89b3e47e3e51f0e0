from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from leadhub.lifecycle.services import district_purge, district_purge_preview
from leadhub.orgs.models import District


class Command(BaseCommand):
    help = (
        "Dispose of a district's data: --dry-run lists what would go; --yes removes it and "
        "keeps a disposal record."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("state_id", help="The district's state identifier.")
        mode = parser.add_mutually_exclusive_group(required=True)
        mode.add_argument("--dry-run", action="store_true", help="List what would be removed.")
        mode.add_argument("--yes", action="store_true", help="Remove it. This cannot be undone.")
        parser.add_argument("--reason", default="", help="For the disposal record.")

    def handle(self, *args: Any, **options: Any) -> None:
        district = District.objects.filter(state_id=options["state_id"]).first()
        if district is None:
            raise CommandError(f"No district has the state identifier {options['state_id']!r}.")
        if options["dry_run"]:
            counts = district_purge_preview(district=district)
            for table, count in counts.items():
                self.stdout.write(f"{table:50} {count:>8,}")
            self.stdout.write(f"{sum(counts.values()):,} rows in {len(counts)} tables would go.")
            return
        record = district_purge(district=district, disposed_by=None, reason=options["reason"])
        self.stdout.write(
            f"Disposed of {record.district_name}: {sum(record.rows_removed.values()):,} rows, "
            f"{record.people_removed} people, {record.files_removed} files. "
            f"Disposal record {record.pk}."
        )
