"""Reads for roster import pages and the command's report."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from leadhub.orgs.models import District
from leadhub.rosters.context import ACTIONS, KINDS, LEFT_OUT
from leadhub.rosters.issues import Issue
from leadhub.rosters.models import RosterImport, RosterIssue

RECENT_IMPORTS = 50


@dataclass(frozen=True)
class SummaryRow:
    kind: str
    label: str
    numbers: tuple[int, ...]  # in the order of ``ACTIONS``

    @property
    def cells(self) -> list[tuple[str, int]]:
        return list(zip(ACTIONS, self.numbers, strict=True))


def summary_rows(roster_import: RosterImport) -> list[SummaryRow]:
    """One row per kind of record the import touched, in a fixed order."""
    kinds = roster_import.summary.get("kinds", {})
    return [
        SummaryRow(kind, label, tuple(int(kinds[kind].get(a, 0)) for a in ACTIONS))
        for kind, label in KINDS.items()
        if kind in kinds
    ]


def left_out_rows(roster_import: RosterImport) -> list[tuple[str, int]]:
    counts = roster_import.summary.get("left_out", {})
    return [(label, int(counts[key])) for key, label in LEFT_OUT.items() if counts.get(key)]


def imports_for(districts: QuerySet[District]) -> QuerySet[RosterImport]:
    return (
        RosterImport.objects.filter(district__in=districts)
        .select_related("district", "uploaded_by")
        .order_by("-created_at")
    )


def issues_of(roster_import: RosterImport, severity: str) -> QuerySet[RosterIssue]:
    return roster_import.issues.filter(severity=severity).order_by("pk")


def issue_lines(roster_import: RosterImport, severity: str) -> list[str]:
    return [
        Issue(i.file, i.line, i.column, i.code, i.message, i.value, i.occurrences).describe()
        for i in issues_of(roster_import, severity)
    ]
