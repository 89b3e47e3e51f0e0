"""An import's life: upload, mapping, check, commit, and the clean-up after each.

Callers gate first (``imports/access.py``). Each step that changes an import writes its
audit event (identifiers only). The long steps (check, commit) run as background tasks
(``imports/tasks.py``); the ``*_start`` functions here move the import to its working
status and hand back the progress row the task reports to.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone

from leadhub.accounts.models import User
from leadhub.audit.services import audit_record
from leadhub.core.models import TaskProgress
from leadhub.core.progress import Report, progress_create
from leadhub.files.content import CSV, XLSX, describe_size, safe_display_name
from leadhub.files.storage import private_storage
from leadhub.imports.kinds import mapping_guess, spec_for
from leadhub.imports.models import (
    DataImport,
    ImportKind,
    ImportProblem,
    ImportStatus,
    ResolvedValue,
)
from leadhub.imports.readers import UnreadableFile, detect_format, table_open
from leadhub.imports.services import resolution
from leadhub.imports.services.checks import checks_run
from leadhub.imports.services.resolution import (
    TooManyValues,
    resolved_fields,
    staged_resolve,
    values_resolve,
)
from leadhub.imports.services.sql import execute, q, table, uuid_param
from leadhub.imports.services.staging import (
    STAGING_MODELS,
    DistinctTexts,
    Mapping,
    RowShaper,
    batch_write,
    batches,
    staged_rows,
)
from leadhub.measures.compute import computed_values_refresh
from leadhub.orgs.models import District, School

OBJECT_TYPE = "imports.DataImport"
MB = 1024 * 1024
DEFAULT_MAX_IMPORT_BYTES = 300 * MB
HASH_BLOCK = MB
# A commit whose progress has not moved for this long is taken to have died with its
# worker, and may be resumed.
STALLED_AFTER = dt.timedelta(minutes=15)
FINISHED = {ImportStatus.DONE, ImportStatus.CANCELLED}


def max_import_bytes() -> int:
    return int(getattr(settings, "LEADHUB_MAX_IMPORT_BYTES", DEFAULT_MAX_IMPORT_BYTES))


def _audit(
    action: str, data_import: DataImport, actor: User | None, request: HttpRequest | None
) -> None:
    audit_record(
        action=action,
        actor=actor,
        object_type=OBJECT_TYPE,
        object_id=data_import.pk,
        district_id=data_import.district_id,
        request=request,
    )


def import_upload(
    *,
    uploaded: UploadedFile,
    kind: str,
    district: District,
    school: School | None,
    actor: User,
    request: HttpRequest | None = None,
) -> DataImport:
    """Keep the file privately, check it is a table, guess the mapping; ValidationError
    with a message for the person when the file cannot be used."""
    if kind not in ImportKind.values:
        raise ValueError(f"Unknown import kind {kind!r}")
    if school is not None and school.district_id != district.pk:
        raise ValueError("A school's import must belong to the school's district.")
    limit = max_import_bytes()
    size = uploaded.size or 0
    if size == 0:
        raise ValidationError("This file is empty. Check that it opens on your computer.")
    if size > limit:
        raise ValidationError(
            f"This file is {describe_size(size)}; the largest file an import takes is "
            f"{describe_size(limit)}. Split it into smaller files and import each."
        )
    import_id = uuid.uuid4()
    # The district folder lets a district's files be exported or purged together.
    stored_name = private_storage.save(f"{district.pk}/imports/{import_id.hex}.upload", uploaded)
    try:
        path = Path(private_storage.path(stored_name))
        file_format = detect_format(path, uploaded.name or "")
        try:
            with table_open(path, file_format) as found:
                headers = found.headers
        except UnreadableFile as error:
            raise ValidationError(str(error)) from error
        with transaction.atomic():
            data_import = DataImport.objects.create(
                id=import_id,
                kind=kind,
                district=district,
                school=school,
                uploaded_by=actor,
                original_name=safe_display_name(
                    uploaded.name or "", XLSX if file_format == "xlsx" else CSV
                ),
                storage_name=stored_name,
                file_format=file_format,
                size=size,
                sha256=_sha256(path),
                mapping=_mapping_first_guess(kind, headers, school),
            )
            _audit("imports.upload", data_import, actor, request)
    except BaseException:
        private_storage.delete(stored_name)
        raise
    return data_import


def _mapping_first_guess(kind: str, headers: list[str], school: School | None) -> dict[str, Any]:
    """The mapping the form starts from: columns guessed from their names, and a
    principal's own school for every row when no column names the school."""
    columns = mapping_guess(spec_for(kind), headers)
    fixed = {"school": school.state_id} if school is not None and "school" not in columns else {}
    return {"headers": headers, "columns": columns, "fixed": fixed}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(HASH_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def mapping_problems(kind: str, mapping: Mapping, *, headers: list[str]) -> dict[str, str]:
    """Field → what is wrong with its mapping; empty when the mapping can be used."""
    spec = spec_for(kind)
    problems: dict[str, str] = {}
    for field in spec.fields:
        index = mapping.columns.get(field.key)
        if index is not None and not 0 <= index < len(headers):
            problems[field.key] = "Choose one of the file's columns."
        elif field.required and not mapping.gives(field.key):
            problems[field.key] = (
                "Choose the column that holds this, or give one value for every row."
                if field.fixable
                else "Choose the column that holds this."
            )
    for group in spec.one_of:
        if not any(mapping.gives(key) for key in group):
            labels = " or ".join(spec.field(key).label.lower() for key in group)
            problems.setdefault(group[0], f"Choose a column for the {labels}.")
    used: dict[int, str] = {}
    for key, index in mapping.columns.items():
        if index in used:
            problems[key] = f"This column is already chosen for {spec.field(used[index]).label}."
        used.setdefault(index, key)
    return problems


def import_check_start(
    *, data_import: DataImport, mapping: Mapping, actor: User, request: HttpRequest | None = None
) -> TaskProgress:
    """Save the mapping and move the import to checking; the caller enqueues the task."""
    if data_import.status not in {ImportStatus.UPLOADED, ImportStatus.READY, ImportStatus.REFUSED}:
        raise ValidationError("This import can no longer be changed.")
    headers = data_import.mapping.get("headers", [])
    problems = mapping_problems(data_import.kind, mapping, headers=headers)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        progress = progress_create(
            kind="imports.check",
            label=f"Checking {data_import.original_name}",
            owner=actor,
            district=data_import.district,
        )
        DataImport.objects.filter(pk=data_import.pk).update(
            mapping={"headers": headers, **mapping.to_json()},
            status=ImportStatus.VALIDATING,
            progress=progress,
            message="",
            total_rows=0,
            error_rows=0,
            updated_at=timezone.now(),
        )
        _audit("imports.check", data_import, actor, request)
    data_import.refresh_from_db()
    return progress


def import_check_run(*, data_import: DataImport, report: Report) -> DataImport:
    """Read the file into staging, resolve and check it; READY or REFUSED, with counts."""
    working_rows_discard(data_import)
    ImportProblem.objects.filter(data_import=data_import).delete()
    try:
        staged, distinct = _stage(data_import, report)
        if not staged:
            return _refuse(data_import, "The file has a header row but no rows of data.")
        report_message(data_import, "Checking the rows")
        values_resolve(data_import, distinct)
        staged_resolve(data_import)
        result = checks_run(data_import)
    except (UnreadableFile, TooManyValues) as error:
        return _refuse(data_import, str(error))
    if result.problem_rows == result.total_rows:
        working_rows_discard(data_import)
        status, message = ImportStatus.REFUSED, "None of the rows can be imported."
    else:
        status, message = ImportStatus.READY, ""
    DataImport.objects.filter(pk=data_import.pk).update(
        status=status,
        total_rows=result.total_rows,
        error_rows=result.problem_rows,
        message=message,
        updated_at=timezone.now(),
    )
    data_import.refresh_from_db()
    return data_import


def report_message(data_import: DataImport, message: str) -> None:
    """The phase the progress panel names (reading, checking, importing)."""
    if data_import.progress_id is not None:
        TaskProgress.objects.filter(pk=data_import.progress_id).update(message=message)


def _stage(data_import: DataImport, report: Report) -> tuple[int, dict[str, set[str]]]:
    """Write every row of the file to staging, a batch at a time: how many, and the
    distinct texts of the columns to resolve."""
    mapping = Mapping.from_json(data_import.mapping)
    path = Path(private_storage.path(data_import.storage_name))
    report_message(data_import, "Reading the file")
    distinct = DistinctTexts(
        data_import.kind,
        mapping,
        resolved_fields(data_import.kind),
        limit=resolution.MAX_DISTINCT,
    )
    with table_open(path, data_import.file_format) as found:
        shaper = RowShaper(data_import.kind, mapping, len(found.headers))
        rows = staged_rows(data_import.pk, shaper, found.rows, distinct)
        staged = 0
        for batch in batches(rows):
            staged += batch_write(data_import.kind, batch)
            distinct.full()
            report(staged, max(staged, round(staged / max(found.fraction_read(), 0.01))))
    return staged, distinct.found


def _refuse(data_import: DataImport, message: str) -> DataImport:
    working_rows_discard(data_import)
    DataImport.objects.filter(pk=data_import.pk).update(
        status=ImportStatus.REFUSED, message=message[:300], updated_at=timezone.now()
    )
    data_import.refresh_from_db()
    return data_import


def import_check_failed(*, data_import: DataImport) -> None:
    """A check that stopped (a crash) goes back to the mapping, nothing staged."""
    working_rows_discard(data_import)
    DataImport.objects.filter(pk=data_import.pk).update(
        status=ImportStatus.UPLOADED,
        message="Checking stopped before it finished. Nothing was imported: check the file again.",
        updated_at=timezone.now(),
    )


def import_is_stalled(data_import: DataImport) -> bool:
    """A check or commit whose task failed, or whose progress has not moved for long
    enough that its worker must have died with it."""
    progress = data_import.progress
    return (
        data_import.status in {ImportStatus.VALIDATING, ImportStatus.COMMITTING}
        and progress is not None
        and (
            progress.state == TaskProgress.State.FAILED
            or progress.updated_at < timezone.now() - STALLED_AFTER
        )
    )


def import_is_resumable(data_import: DataImport) -> bool:
    return data_import.status == ImportStatus.FAILED or (
        data_import.status == ImportStatus.COMMITTING and import_is_stalled(data_import)
    )


def import_is_cancellable(data_import: DataImport) -> bool:
    """Anything not finished and not at work right now can be cancelled."""
    if data_import.status in FINISHED:
        return False
    working = data_import.status in {ImportStatus.VALIDATING, ImportStatus.COMMITTING}
    return not working or import_is_stalled(data_import)


def import_commit_start(
    *,
    data_import: DataImport,
    actor: User,
    skip_problem_rows: bool,
    request: HttpRequest | None = None,
) -> TaskProgress:
    """Move a checked (or stopped) import to importing; the caller enqueues the task.

    An import with problem rows is committed only when the person said to leave those
    rows out; otherwise it is refused and nothing is written.
    """
    resuming = import_is_resumable(data_import)
    if data_import.status != ImportStatus.READY and not resuming:
        raise ValidationError("This import is not ready to be imported.")
    if data_import.error_rows and not skip_problem_rows and not resuming:
        raise ValidationError(
            {
                "skip_problem_rows": (
                    (
                        "1 row has problems."
                        if data_import.error_rows == 1
                        else f"{data_import.error_rows:,} rows have problems."
                    )
                    + " Tick the box to import the others without them, or fix the file "
                    "and upload it again."
                )
            }
        )
    with transaction.atomic():
        progress = progress_create(
            kind="imports.commit",
            label=f"Importing {data_import.original_name}",
            owner=actor,
            district=data_import.district,
        )
        # Only one commit at a time: the status moves only from where it was read.
        moved = DataImport.objects.filter(pk=data_import.pk, status=data_import.status).update(
            status=ImportStatus.COMMITTING,
            progress=progress,
            message="",
            updated_at=timezone.now(),
        )
        if not moved:
            raise ValidationError("Someone else has just started or changed this import.")
        _audit("imports.resume" if resuming else "imports.commit", data_import, actor, request)
    data_import.refresh_from_db()
    return progress


def import_commit_finish(*, data_import: DataImport) -> DataImport:
    """After the last chunk: done, working rows and the uploaded file gone."""
    years = imported_school_years(data_import)
    working_rows_discard(data_import)
    private_storage.delete(data_import.storage_name)
    DataImport.objects.filter(pk=data_import.pk).update(
        status=ImportStatus.DONE,
        finished_at=timezone.now(),
        message="",
        updated_at=timezone.now(),
    )
    data_import.refresh_from_db()
    _audit("imports.done", data_import, data_import.uploaded_by, None)
    if data_import.kind == ImportKind.ASSESSMENT_RESULTS:
        computed_measures_refresh(data_import, years)
    return data_import


def imported_school_years(data_import: DataImport) -> list[int]:
    numbers = ResolvedValue.objects.filter(
        data_import=data_import, field="school_year", problem=""
    ).values_list("number", flat=True)
    return sorted({year for year in numbers if year is not None})


def import_commit_failed(*, data_import: DataImport) -> None:
    data_import.refresh_from_db()
    DataImport.objects.filter(pk=data_import.pk).update(
        status=ImportStatus.FAILED,
        message=(
            f"Stopped after line {data_import.committed_through:,}: everything up to it is "
            "imported and nothing after it. Resume to finish the rest."
            if data_import.committed_through
            else "Stopped before any row was imported. Resume to start again."
        ),
        updated_at=timezone.now(),
    )


def computed_measures_refresh(data_import: DataImport, years: list[int]) -> None:
    """Computed measures are worked out from assessment results: again, for each school
    year the import brought results for."""
    for year in years:
        computed_values_refresh(district_id=data_import.district_id, school_year=year)


def import_mapping_reopen(
    *, data_import: DataImport, actor: User, request: HttpRequest | None = None
) -> None:
    """Back to the mapping form from a checked or refused import; nothing staged stays."""
    if data_import.status not in {ImportStatus.READY, ImportStatus.REFUSED}:
        raise ValidationError("This import can no longer be changed.")
    working_rows_discard(data_import)
    ImportProblem.objects.filter(data_import=data_import).delete()
    DataImport.objects.filter(pk=data_import.pk).update(
        status=ImportStatus.UPLOADED,
        total_rows=0,
        error_rows=0,
        message="",
        updated_at=timezone.now(),
    )
    _audit("imports.remap", data_import, actor, request)
    data_import.refresh_from_db()


def import_cancel(
    *, data_import: DataImport, actor: User, request: HttpRequest | None = None
) -> None:
    """Stop an import before (or between) commits: nothing more is written, the file goes.

    A commit that stopped keeps what it wrote; cancelling it leaves those rows in place.
    """
    if not import_is_cancellable(data_import):
        raise ValidationError("This import is running or finished, so it cannot be cancelled.")
    working_rows_discard(data_import)
    private_storage.delete(data_import.storage_name)
    DataImport.objects.filter(pk=data_import.pk).update(
        status=ImportStatus.CANCELLED, finished_at=timezone.now(), updated_at=timezone.now()
    )
    _audit("imports.cancel", data_import, actor, request)
    data_import.refresh_from_db()


def working_rows_discard(data_import: DataImport) -> None:
    """Delete the import's staged rows and resolved values (one DELETE each)."""
    key = uuid_param(data_import.pk)
    models: list[type[Model]] = [*STAGING_MODELS.values(), ResolvedValue]
    for model in models:
        execute(f"DELETE FROM {table(model)} WHERE {q('data_import_id')} = %s", [key])  # noqa: S608
