"""Writes for roster imports: keeping the uploaded package, starting and re-running an
import, and running one from the command line. Callers gate first (``access.py``)."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest

from leadhub.accounts.models import User
from leadhub.audit.services import audit_record
from leadhub.core.progress import progress_create
from leadhub.files.models import StoredFile
from leadhub.files.storage import private_storage
from leadhub.orgs.models import District
from leadhub.rosters.models import ImportStatus, RosterImport
from leadhub.rosters.pipeline import OBJECT_TYPE, run_import
from leadhub.rosters.tasks import import_roster

ZIP_CONTENT_TYPE = "application/zip"
ATTACHED_TO = "rosters.RosterImport"
NAME_LENGTH = 120

Report = Callable[[int, int], None]


def _no_report(done: int, total: int) -> None:
    """The command line has no progress bar."""


def roster_package_store(
    *, uploaded: UploadedFile, district: District, uploaded_by: User
) -> StoredFile:
    """Keep the package in private storage, under the district's folder so a district
    export or purge takes it along. It is reachable only through this app's pages."""
    data = b"".join(uploaded.chunks())
    file_id = uuid.uuid4()
    name = private_storage.save(f"{district.pk}/{file_id.hex}.zip", ContentFile(data))
    try:
        return StoredFile.objects.create(
            id=file_id,
            district=district,
            uploaded_by=uploaded_by,
            attached_to=ATTACHED_TO,
            original_name=Path(uploaded.name or "roster.zip").name[:NAME_LENGTH],
            content_type=ZIP_CONTENT_TYPE,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            storage_name=name,
        )
    except BaseException:
        private_storage.delete(name)
        raise


def roster_import_start(
    *,
    district: District,
    uploaded: UploadedFile,
    uploaded_by: User,
    dry_run: bool,
    site_administrator_role: str,
    request: HttpRequest | None = None,
) -> RosterImport:
    with transaction.atomic():
        stored = roster_package_store(uploaded=uploaded, district=district, uploaded_by=uploaded_by)
        roster_import = RosterImport.objects.create(
            district=district,
            uploaded_by=uploaded_by,
            stored_file=stored,
            original_name=stored.original_name,
            dry_run=dry_run,
            site_administrator_role=site_administrator_role,
        )
        audit_record(
            action="roster_import.upload",
            actor=uploaded_by,
            object_type=OBJECT_TYPE,
            object_id=roster_import.pk,
            district_id=district.pk,
            request=request,
        )
        progress_id = _progress(roster_import, owner=uploaded_by)
    _enqueue(roster_import, progress_id)
    return roster_import


def roster_import_can_rerun(roster_import: RosterImport) -> bool:
    """A check that passed can be imported, and a stopped import confirmed, while the
    package is still kept."""
    return roster_import.stored_file_id is not None and roster_import.status in (
        ImportStatus.CHECKED,
        ImportStatus.NEEDS_CONFIRMATION,
    )


def roster_import_rerun(
    *, roster_import: RosterImport, actor: User, request: HttpRequest | None = None
) -> None:
    """Import a checked package for real, or go ahead with a confirmed deactivation.

    Going ahead after a check that found deactivations to confirm is itself the
    confirmation: the page says so on the button.
    """
    if not roster_import_can_rerun(roster_import):
        raise ValueError("Only a checked or stopped import with its package can run again.")
    confirming = roster_import.status == ImportStatus.NEEDS_CONFIRMATION
    with transaction.atomic():
        roster_import.confirm_deactivation = confirming or bool(roster_import.deactivation)
        roster_import.dry_run = False
        roster_import.status = ImportStatus.QUEUED
        roster_import.save(
            update_fields=["confirm_deactivation", "dry_run", "status", "updated_at"]
        )
        audit_record(
            action="roster_import.confirm" if confirming else "roster_import.import_checked",
            actor=actor,
            object_type=OBJECT_TYPE,
            object_id=roster_import.pk,
            district_id=roster_import.district_id,
            request=request,
        )
        progress_id = _progress(roster_import, owner=actor)
    _enqueue(roster_import, progress_id)


def _progress(roster_import: RosterImport, *, owner: User) -> str:
    verb = "Check" if roster_import.dry_run else "Import"
    progress = progress_create(
        kind="rosters.import",
        label=f"{verb} the roster {roster_import.original_name} for {roster_import.district.name}",
        owner=owner,
        district=roster_import.district,
    )
    roster_import.progress = progress
    roster_import.save(update_fields=["progress", "updated_at"])
    return str(progress.pk)


def _enqueue(roster_import: RosterImport, progress_id: str) -> None:
    """Once the import is saved, so the worker finds it."""
    import_roster.enqueue(progress_id, str(roster_import.pk))


def roster_import_from_path(
    *,
    path: Path,
    district: District,
    dry_run: bool,
    confirm_deactivation: bool,
    site_administrator_role: str,
) -> RosterImport:
    """An import from the command line: the package is read where it lies, not kept."""
    roster_import = RosterImport.objects.create(
        district=district,
        original_name=path.name[:NAME_LENGTH],
        dry_run=dry_run,
        confirm_deactivation=confirm_deactivation,
        site_administrator_role=site_administrator_role,
    )
    with path.open("rb") as source:
        run_import(roster_import, source=source, report=_no_report)
    return roster_import
