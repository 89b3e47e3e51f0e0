from __future__ import annotations

from typing import BinaryIO, cast

from django.tasks import task

from leadhub.core.progress import tracked
from leadhub.files.storage import private_storage
from leadhub.rosters.models import RosterImport
from leadhub.rosters.pipeline import run_import


@task
def import_roster(progress_id: str, roster_import_id: str) -> str:
    """Run an uploaded package (kept in private storage) against its district."""
    with tracked(progress_id) as (progress, report):
        roster_import = RosterImport.objects.select_related("district", "stored_file").get(
            pk=roster_import_id
        )
        if roster_import.stored_file is None:
            raise ValueError("This import has no kept package to run.")
        with private_storage.open(roster_import.stored_file.storage_name, "rb") as stored:
            run_import(roster_import, source=cast(BinaryIO, stored), report=report)
        progress.message = roster_import.message
        progress.result_url = roster_import.get_absolute_url()
    return roster_import.status
