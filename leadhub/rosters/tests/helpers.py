"""Reading a run's outcome in tests."""

from __future__ import annotations

from pathlib import Path

from leadhub.rosters.models import IssueSeverity, RosterImport

# The shared packages every importer is judged on (../shared/testdata/oneroster/).
SHARED = Path(__file__).resolve().parents[4] / "shared" / "testdata" / "oneroster"


def shared(name: str) -> bytes:
    return (SHARED / name).read_bytes()


def problems(roster_import: RosterImport) -> list[tuple[str, int | None, str, str]]:
    return [
        (i.file, i.line, i.column, i.code)
        for i in roster_import.issues.filter(severity=IssueSeverity.PROBLEM)
    ]


def warnings(roster_import: RosterImport) -> set[tuple[str, str, str]]:
    return {
        (i.file, i.column, i.code)
        for i in roster_import.issues.filter(severity=IssueSeverity.WARNING)
    }


def counts(roster_import: RosterImport, kind: str) -> dict[str, int]:
    return roster_import.summary["kinds"].get(kind, {})
