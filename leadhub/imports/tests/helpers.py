"""Building imports in tests: a file uploaded by a persona, checked, committed."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from leadhub.imports.models import DataImport, ImportKind
from leadhub.imports.services import lifecycle
from leadhub.imports.services.commit import import_commit_run
from leadhub.imports.services.staging import Mapping


def no_report(done: int, total: int) -> None:
    """Progress goes nowhere: the services under test run outside a task."""


def csv_bytes(rows: list[list[Any]], *, delimiter: str = ",", bom: bool = False) -> bytes:
    text = "\r\n".join(delimiter.join(str(cell) for cell in row) for row in rows) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def upload(
    world: Any,
    content: bytes,
    *,
    kind: str = ImportKind.ASSESSMENT_RESULTS,
    persona: str = "district_leader",
    name: str = "results.csv",
    school: Any = None,
) -> DataImport:
    return lifecycle.import_upload(
        uploaded=SimpleUploadedFile(name, content),
        kind=kind,
        district=world.district,
        school=school,
        actor=world.people[persona],
    )


def check(data_import: DataImport, mapping: Mapping | None = None) -> DataImport:
    """Map (the guessed mapping unless given) and check, as the check task would."""
    lifecycle.import_check_start(
        data_import=data_import,
        mapping=mapping or Mapping.from_json(data_import.mapping),
        actor=data_import.uploaded_by,
    )
    return lifecycle.import_check_run(data_import=data_import, report=no_report)


def commit(data_import: DataImport, *, skip_problem_rows: bool = False) -> DataImport:
    """Start and run the commit, as the commit task would."""
    lifecycle.import_commit_start(
        data_import=data_import,
        actor=data_import.uploaded_by,
        skip_problem_rows=skip_problem_rows,
    )
    data_import = import_commit_run(data_import=data_import, report=no_report)
    return lifecycle.import_commit_finish(data_import=data_import)
