"""``manage.py import_oneroster FILE.zip --district STATE_ID [--dry-run]``

Prints what was (or, with --dry-run, would be) created, updated and deactivated per kind
of record and exits 0; or prints the problems and exits 2 having changed nothing. A bulk
package that would deactivate more than a tenth of a kind of record also stops with 2
and says so: run it again with --confirm-deactivation to go ahead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from leadhub.orgs.models import District
from leadhub.rosters.models import ImportStatus, RosterImport, SiteAdministratorRole
from leadhub.rosters.selectors import issue_lines, left_out_rows, summary_rows
from leadhub.rosters.services import roster_import_from_path

REFUSED_EXIT = 2


class Command(BaseCommand):
    help = "Import a OneRoster 1.2 CSV package (a ZIP) into one district."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("package", type=Path, help="The OneRoster 1.2 CSV package (.zip).")
        parser.add_argument(
            "--district", required=True, help="The district's state identifier (state_id)."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the package and show what an import would do; change nothing.",
        )
        parser.add_argument(
            "--confirm-deactivation",
            action="store_true",
            help="Go ahead even if a bulk package deactivates more than a tenth of a kind.",
        )
        parser.add_argument(
            "--site-administrator-role",
            choices=[c.value for c in SiteAdministratorRole],
            default=SiteAdministratorRole.PRINCIPAL.value,
            help="What a OneRoster siteAdministrator becomes (default: principal).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["package"]
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        district = District.objects.filter(state_id=options["district"]).first()
        if district is None:
            raise CommandError(f"No district has the state identifier {options['district']}.")
        roster_import = roster_import_from_path(
            path=path,
            district=district,
            dry_run=options["dry_run"],
            confirm_deactivation=options["confirm_deactivation"],
            site_administrator_role=options["site_administrator_role"],
        )
        self._report(roster_import)
        if roster_import.status in (ImportStatus.REFUSED, ImportStatus.NEEDS_CONFIRMATION):
            raise SystemExit(REFUSED_EXIT)

    def _report(self, roster_import: RosterImport) -> None:
        out = self.stdout
        out.write(f"{roster_import.original_name} → {roster_import.district.name}")
        out.write(f"{roster_import.get_status_display()}. {roster_import.message}")
        if roster_import.status == ImportStatus.REFUSED:
            self._issues(roster_import, "problem", "Problems")
            self._issues(roster_import, "warning", "Warnings")
            return
        if roster_import.status == ImportStatus.NEEDS_CONFIRMATION:
            for item in roster_import.deactivation:
                out.write(
                    f"  {item['label']}: {item['count']:,} of {item['active']:,} would be "
                    "deactivated"
                )
            out.write("Run again with --confirm-deactivation to go ahead.")
            self._issues(roster_import, "warning", "Warnings")
            return
        rows = summary_rows(roster_import)
        headers = ["", "created", "matched", "updated", "unchanged", "deactivated", "skipped"]
        width = max([len(r.label) for r in rows] + [10])
        out.write(f"{headers[0]:<{width}}" + "".join(f"{h:>13}" for h in headers[1:]))
        for row in rows:
            out.write(f"{row.label:<{width}}" + "".join(f"{n:>13,}" for n in row.numbers))
        for school in roster_import.created_schools:
            out.write(f"New school: {school['name']} ({school['state_id']})")
        for label, count in left_out_rows(roster_import):
            out.write(f"Left out: {label}: {count:,}")
        self._issues(roster_import, "warning", "Warnings")

    def _issues(self, roster_import: RosterImport, severity: str, title: str) -> None:
        lines = issue_lines(roster_import, severity)
        if lines:
            self.stdout.write(f"{title} ({len(lines):,}):")
            for line in lines:
                self.stdout.write(f"  {line}")
