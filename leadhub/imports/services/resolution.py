# ruff: noqa: S608 (table and column names come from the models; every value is a parameter)
"""Resolving a staged import's references set by set: one meaning per distinct text.

For each column whose values come from a vocabulary or name a record (school,
assessment, window, year, measure…), the distinct texts (gathered while the file was
staged) are each resolved once, with a handful of queries for the whole column, and the
answers are written as :class:`ResolvedValue` rows. One UPDATE … FROM those rows then
fills every staged row's resolved columns. A column with more distinct texts than
:data:`MAX_DISTINCT` is almost always the wrong column: the import is refused with that
explanation rather than resolved.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q
from django.db.models.functions import Lower

from leadhub.assessments.selectors import assessments_by_code_or_name
from leadhub.imports import values
from leadhub.imports.kinds import GROUP_KEYS, spec_for
from leadhub.imports.models import DataImport, ImportKind, ResolvedValue
from leadhub.imports.selectors import measures_importable
from leadhub.imports.services.sql import (
    as_date,
    as_float,
    execute,
    q,
    table,
    uuid_param,
    whole_table_plans,
)
from leadhub.imports.services.staging import STAGING_MODELS
from leadhub.measures.models import Measure, value_scope_key
from leadhub.orgs.models import School

MAX_DISTINCT = 5_000

Resolver = Callable[[list[str]], dict[str, values.Meaning]]


class TooManyValues(ValueError):
    """A column holds more distinct texts than any vocabulary it could be."""


def resolved_fields(kind: str) -> tuple[str, ...]:
    if kind == ImportKind.ASSESSMENT_RESULTS:
        return (
            "school",
            "assessment",
            "subject",
            "grade",
            "school_year",
            "window",
            "performance_level",
            *GROUP_KEYS,
        )
    return ("school", "measure", "period")


def values_resolve(data_import: DataImport, distinct: dict[str, set[str]]) -> None:
    """Write the ResolvedValue rows of every resolved column from its distinct texts;
    raises TooManyValues when a column has more than any vocabulary could."""
    ResolvedValue.objects.filter(data_import=data_import).delete()
    resolvers = _resolvers(data_import)
    spec = spec_for(data_import.kind)
    found: list[ResolvedValue] = []
    for field in resolved_fields(data_import.kind):
        texts = sorted(distinct[field])
        if len(texts) > MAX_DISTINCT:
            label = spec.field(field).label if field != "period" else "the date or school year"
            raise TooManyValues(
                f"The column chosen for {label} has more than {MAX_DISTINCT:,} different "
                "values. Check that the right column is chosen for it."
            )
        meanings = resolvers[field](texts)
        found += [
            ResolvedValue(
                data_import=data_import,
                field=field,
                raw=text,
                code=meaning.code,
                number=meaning.number,
                detail=meaning.detail,
                label=meaning.label[:60],
                problem=meaning.problem[:200],
            )
            for text, meaning in meanings.items()
        ]
    ResolvedValue.objects.bulk_create(found, batch_size=1000)


# Resolved column of the staging table ← expression over the joined ResolvedValue rows
# (aliased by field) and the staged text columns.
RESOLVED_COLUMNS: dict[str, dict[str, str]] = {
    ImportKind.ASSESSMENT_RESULTS: {
        "school_pk": "school.number",
        "assessment_pk": "assessment.number",
        "subject_code": "subject.code",
        "grade_code": "grade.code",
        "year": "school_year.number",
        "window_code": "window.code",
        "level_number": "performance_level.number",
        "score_number": "{float:scale_score}",
    },
    ImportKind.MEASURE_VALUES: {
        "school_pk": "school.number",
        "scope_key": "school.code",
        "measure_pk": "measure.number",
        "period_start": "{date:period.code}",
        "period_label": "period.label",
        "year": "period.number",
        "window_code": "period.detail",
        "value_number": "{float:value}",
        "numerator_number": "{float:numerator}",
        "denominator_number": "{float:denominator}",
    },
}


def staged_resolve(data_import: DataImport) -> None:
    """Fill the staged rows' resolved columns in one UPDATE … FROM the resolved values.

    Every staged text has its ResolvedValue row (the distinct texts were all resolved),
    so the joins keep every row; a text with a problem resolves to NULL.
    """
    kind = data_import.kind
    s = table(STAGING_MODELS[kind])
    rv = table(ResolvedValue)
    fields = [f for f in resolved_fields(kind) if f not in GROUP_KEYS]
    assignments = []
    for column, source in RESOLVED_COLUMNS[kind].items():
        if source.startswith("{float:"):
            expression = as_float(f"{s}.{q(source[7:-1])}")
        elif source.startswith("{date:"):
            alias, attribute = source[6:-1].split(".")
            expression = as_date(f"NULLIF({q('v_' + alias)}.{q(attribute)}, '')")
        else:
            alias, attribute = source.split(".")
            expression = f"{q('v_' + alias)}.{q(attribute)}"
        assignments.append(f"{q(column)} = {expression}")
    sources = ", ".join(f"{rv} {q('v_' + field)}" for field in fields)
    conditions = " AND ".join(
        f"{q('v_' + field)}.{q('data_import_id')} = {s}.{q('data_import_id')} "
        f"AND {q('v_' + field)}.{q('field')} = '{field}' "
        f"AND {q('v_' + field)}.{q('raw')} = {s}.{q(field)}"
        for field in fields
    )
    with whole_table_plans():
        execute(
            f"UPDATE {s} SET {', '.join(assignments)} FROM {sources} "
            f"WHERE {s}.{q('data_import_id')} = %s AND {conditions}",
            [uuid_param(data_import.pk)],
        )


def _each(meaning: Callable[[str], values.Meaning]) -> Resolver:
    return lambda texts: {text: meaning(text) for text in texts}


def _resolvers(data_import: DataImport) -> dict[str, Resolver]:
    common: dict[str, Resolver] = {"school": lambda texts: _schools(data_import, texts)}
    if data_import.kind == ImportKind.MEASURE_VALUES:
        return {
            **common,
            "measure": lambda texts: _measures(data_import, texts),
            "period": _each(values.period_meaning),
        }
    return {
        **common,
        "assessment": _assessments,
        "subject": _each(values.subject_meaning),
        "grade": _each(values.grade_meaning),
        "school_year": _each(values.school_year_meaning),
        "window": _each(values.window_meaning),
        "performance_level": _each(values.level_meaning),
        **{key: _each(values.yes_no_meaning) for key in GROUP_KEYS},
    }


def _without_leading_zeros(text: str) -> str:
    """Spreadsheets drop leading zeros from codes that look like numbers (0042 → 42)."""
    return text.lstrip("0") if text.isdigit() else text.lower()


def _schools(data_import: DataImport, texts: list[str]) -> dict[str, values.Meaning]:
    district = data_import.district
    schools = list(School.objects.filter(district=district).only("pk", "state_id", "name"))
    exact = {school.state_id: school for school in schools}
    loose: dict[str, School] = {}
    for school in schools:
        loose.setdefault(_without_leading_zeros(school.state_id), school)
    meanings: dict[str, values.Meaning] = {}
    for text in texts:
        found = exact.get(text) or loose.get(_without_leading_zeros(text)) if text else None
        if not text:
            meaning = values.missing("The school")
        elif found is None:
            meaning = values.Meaning(
                problem=f"No school of {district.name} has this state identifier."
            )
        elif data_import.school_id and found.pk != data_import.school_id:
            meaning = values.Meaning(
                problem=f"Not your school: this import is for {data_import.school} only."
            )
        else:
            meaning = values.Meaning(
                number=found.pk,
                code=value_scope_key(school_id=found.pk, team_id=None, district_id=district.pk),
            )
        meanings[text] = meaning
    return meanings


def _assessments(texts: list[str]) -> dict[str, values.Meaning]:
    known = assessments_by_code_or_name(texts)
    meanings: dict[str, values.Meaning] = {}
    for text in texts:
        assessment = known.get(text.lower())
        if not text:
            meanings[text] = values.missing("The assessment")
        elif assessment is None:
            meanings[text] = values.Meaning(
                problem="LeadHub has no assessment with this code. Check the spelling, or "
                "ask your state administrator to add the assessment first."
            )
        else:
            meanings[text] = values.Meaning(number=assessment.pk, label=assessment.name)
    return meanings


def _measures(data_import: DataImport, texts: list[str]) -> dict[str, values.Meaning]:
    usable = measures_importable(district=data_import.district, school=data_import.school)
    numbers = {int(text) for text in texts if text.isdigit()}
    names = {text.lower() for text in texts if text}
    found: list[Measure] = list(
        usable.annotate(name_key=Lower("name")).filter(Q(pk__in=numbers) | Q(name_key__in=names))
    )
    by_pk = {measure.pk: measure for measure in found}
    by_name: dict[str, list[Measure]] = {}
    for measure in found:
        by_name.setdefault(measure.name.lower(), []).append(measure)
    meanings: dict[str, values.Meaning] = {}
    for text in texts:
        named = by_name.get(text.lower(), [])
        chosen = by_pk.get(int(text)) if text.isdigit() else (named[0] if named else None)
        if not text:
            meanings[text] = values.missing("The measure")
        elif len(named) > 1:
            meanings[text] = values.Meaning(
                problem="More than one measure has this name: use the measure's number."
            )
        elif chosen is None:
            meanings[text] = values.Meaning(
                problem="No school measure of this district has this name or number."
            )
        else:
            meanings[text] = values.Meaning(number=chosen.pk, label=chosen.name)
    return meanings
