"""The two long steps of an import, run by the background worker with a progress bar."""

from __future__ import annotations

from django.tasks import task

from leadhub.core.progress import tracked
from leadhub.imports.models import DataImport, ImportStatus
from leadhub.imports.services import lifecycle
from leadhub.imports.services.commit import import_commit_run


@task
def import_check(progress_id: str, import_id: str) -> str:
    """Read the file into staging and check every row: the import is then READY or REFUSED."""
    with tracked(progress_id) as (progress, report):
        data_import = DataImport.objects.get(pk=import_id)
        try:
            data_import = lifecycle.import_check_run(data_import=data_import, report=report)
        except Exception:
            lifecycle.import_check_failed(data_import=data_import)
            raise
        progress.message = (
            f"Checked {data_import.total_rows:,} rows."
            if data_import.status == ImportStatus.READY
            else data_import.message
        )
        progress.result_url = data_import.get_absolute_url()
    return str(data_import.status)


@task
def import_commit(progress_id: str, import_id: str) -> str:
    """Write the checked rows, chunk by chunk; a stop leaves the import resumable."""
    with tracked(progress_id) as (progress, report):
        data_import = DataImport.objects.get(pk=import_id)
        lifecycle.report_message(data_import, "Importing")
        try:
            data_import = import_commit_run(data_import=data_import, report=report)
        except Exception:
            lifecycle.import_commit_failed(data_import=data_import)
            raise
        data_import = lifecycle.import_commit_finish(data_import=data_import)
        progress.message = (
            f"{data_import.created_rows:,} added and {data_import.updated_rows:,} updated."
        )
        progress.result_url = data_import.get_absolute_url()
    return str(data_import.status)
