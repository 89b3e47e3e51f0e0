"""Background work on stored files."""

from __future__ import annotations

import datetime as dt

from django.tasks import task
from django.utils import timezone

from leadhub.files.models import StoredFile
from leadhub.files.storage import private_storage

# A file is written before its record is committed; younger files may still be in flight.
ORPHAN_GRACE = dt.timedelta(days=1)


@task
def remove_orphaned_files() -> int:
    """Delete stored bytes that no record points to (a store whose transaction rolled back).

    Works one folder at a time: one query per folder, never one per file.
    """
    if not private_storage.exists(""):
        return 0  # nothing was ever uploaded here
    cutoff = timezone.now() - ORPHAN_GRACE
    removed = 0
    folders, _ = private_storage.listdir("")
    for folder in folders:
        _, names = private_storage.listdir(folder)
        paths = [f"{folder}/{name}" for name in names]
        known = set(
            StoredFile.objects.filter(storage_name__in=paths).values_list("storage_name", flat=True)
        )
        for path in paths:
            if path not in known and private_storage.get_modified_time(path) < cutoff:
                private_storage.delete(path)
                removed += 1
    return removed
