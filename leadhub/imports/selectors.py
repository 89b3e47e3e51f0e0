"""Reads for the imports pages: the list, the problem summary, the error report's rows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from leadhub.imports.kinds import spec_for
from leadhub.imports.models import DataImport, ImportProblem
from leadhub.measures.models import Measure, MeasureLevel, MeasureSource
from leadhub.orgs.models import District, School

SUMMARY_LINES = 12


def measures_importable(*, district: District, school: School | None = None) -> QuerySet[Measure]:
    """School measures whose values a file may bring in: the district's own and the
    state's, not archived, not computed (those come from assessment results), and for a
    principal's import not another school's."""
    measures = (
        Measure.objects.filter(Q(district=district) | Q(district__isnull=True))
        .filter(level=MeasureLevel.SCHOOL, archived=False)
        .exclude(source=MeasureSource.COMPUTED)
    )
    if school is not None:
        measures = measures.filter(Q(school__isnull=True) | Q(school=school))
    return measures.order_by("name")


def import_list(imports: QuerySet[DataImport]) -> QuerySet[DataImport]:
    return imports.select_related("district", "school", "uploaded_by").order_by("-created_at")


@dataclass(frozen=True)
class ProblemLine:
    column: str
    problem: str
    rows: int


def problem_summary(data_import: DataImport) -> list[ProblemLine]:
    """The most frequent problems, each with the file's column name and how many rows."""
    names = column_names(data_import)
    grouped = (
        ImportProblem.objects.filter(data_import=data_import)
        .values("field", "problem")
        .annotate(rows=Count("id"))
        .order_by("-rows", "field", "problem")[:SUMMARY_LINES]
    )
    return [
        ProblemLine(column=names.get(g["field"], g["field"]), problem=g["problem"], rows=g["rows"])
        for g in grouped
    ]


def column_names(data_import: DataImport) -> dict[str, str]:
    """Field key → the file's header for it (or what LeadHub calls the field)."""
    spec = spec_for(data_import.kind)
    headers = data_import.mapping.get("headers", [])
    columns = data_import.mapping.get("columns", {})
    names = {}
    for field in spec.fields:
        index = columns.get(field.key)
        names[field.key] = (
            headers[index] if index is not None and index < len(headers) else field.label
        )
    if "period" not in columns:
        names["period"] = "School year and window"
    return names


def problem_rows(data_import: DataImport) -> Iterator[ImportProblem]:
    """Every stored problem in line order, streamed from the database."""
    return (
        ImportProblem.objects.filter(data_import=data_import)
        .order_by("line", "id")
        .iterator(chunk_size=2000)
    )
