"""Writes for measures: definitions, entered values, chart settings and chart notes.

Every edit is conflict-safe. Measures are :class:`Versioned`; values and chart settings
carry no version column, so the moment they were last saved (``updated_at``, to the
microsecond) stands in for one: an edit names the moment it started from, and one
conditional UPDATE writes only if the row is still as it was.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from leadhub.accounts.models import User
from leadhub.assessments.models import Assessment
from leadhub.audit.services import audit_record
from leadhub.lib.concurrency import EditConflict, save_if_unchanged
from leadhub.measures.access import Series, SeriesKind, level_series_kind, series_kind_of
from leadhub.measures.models import (
    AnnotationKind,
    ChartSetting,
    Measure,
    MeasureAnnotation,
    MeasureLevel,
    MeasureSource,
    MeasureValue,
    RuleSet,
    Unit,
)
from leadhub.orgs.models import District, School
from leadhub.teams.models import Team

MEASURE_FIELDS = [
    "name",
    "description",
    "unit",
    "direction",
    "level",
    "numerator_label",
    "denominator_label",
    "assessment",
    "subject",
    "at_or_above_level",
]
SCHOOL_LEVELS = frozenset({MeasureLevel.SCHOOL, MeasureLevel.CLASSROOM, MeasureLevel.STUDENT})


# Version stamps for rows without a version column ---------------------------------------


def stamp_of(instance: models.Model | None) -> str:
    """The moment a row was last saved, as the edit form carries it ("" for a new row)."""
    updated = getattr(instance, "updated_at", None)
    return updated.isoformat() if updated is not None else ""


def _parse_stamp(stamp: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(stamp)
    except ValueError:
        return None


def _update_if_unchanged(instance: models.Model, *, stamp: str, fields: dict[str, Any]) -> None:
    model = type(instance)
    expected = _parse_stamp(stamp)
    changed = (
        model._default_manager.filter(pk=instance.pk, updated_at=expected).update(
            **fields, updated_at=timezone.now()
        )
        if expected is not None
        else 0
    )
    if not changed:
        raise EditConflict(current=model._default_manager.filter(pk=instance.pk).first())
    instance.refresh_from_db()


# Measures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where a measure belongs: a team, a school, a district, or the whole state."""

    school: School | None = None
    team: Team | None = None
    district: District | None = None


def _validate_measure(data: dict[str, Any], place: Place, source: str) -> None:
    errors: dict[str, str] = {}
    level = data.get("level")
    if place.team is not None and level != MeasureLevel.TEAM:
        errors["level"] = "A team's measure is kept by the team: choose the team level."
    if place.school is not None and place.team is None and level not in SCHOOL_LEVELS:
        errors["level"] = (
            "A school's measure is reported for the school: choose the school, classroom or "
            "student level."
        )
    if bool(data.get("numerator_label")) != bool(data.get("denominator_label")):
        missing = "denominator_label" if data.get("numerator_label") else "numerator_label"
        errors[missing] = "Name both what is counted and what it is counted out of, or neither."
    if source == MeasureSource.COMPUTED:
        assessment: Assessment | None = data.get("assessment")
        if assessment is None:
            errors["assessment"] = "Choose the assessment whose results the values come from."
        if not data.get("subject"):
            errors["subject"] = "Choose the subject."
        level_at = data.get("at_or_above_level")
        if level_at is None:
            errors["at_or_above_level"] = "Choose the performance level that counts."
        elif assessment is not None and not 1 <= level_at <= assessment.level_count:
            errors["at_or_above_level"] = (
                f"{assessment.name} has levels 1 to {assessment.level_count}."
            )
        if data.get("unit") != Unit.PERCENT:
            errors["unit"] = "A computed measure is a share of students: choose Percent."
        if level != MeasureLevel.SCHOOL:
            errors["level"] = "Computed values are worked out for each school: choose School."
        if place.team is not None or place.school is not None:
            errors["place"] = (
                "Computed measures belong to a district or the state, so every school's "
                "results are counted the same way."
            )
    if errors:
        raise ValidationError(errors)


def _computed_fields(data: dict[str, Any], source: str) -> dict[str, Any]:
    """Assessment, subject and level mean something only for computed measures."""
    if source == MeasureSource.COMPUTED:
        return {}
    return {"assessment": None, "subject": "", "at_or_above_level": None}


def measure_create(*, actor: User, place: Place, source: str, **data: Any) -> Measure:
    _validate_measure(data, place, source)
    district = place.district
    if place.team is not None:
        district = place.team.district
    elif place.school is not None:
        district = place.school.district
    fields = {name: data.get(name) for name in MEASURE_FIELDS if name in data}
    fields.update(_computed_fields(data, source))
    measure = Measure.objects.create(
        **fields,
        source=source,
        owner=actor,
        district=district,
        school=place.school if place.team is None else place.team.school,
        team=place.team,
    )
    audit_record(
        action="measure.create",
        actor=actor,
        object_type="measures.Measure",
        object_id=measure.pk,
        district_id=measure.district_id,
    )
    return measure


def measure_update(*, measure: Measure, actor: User, expected_version: int, **data: Any) -> Measure:
    place = Place(school=measure.school, team=measure.team, district=measure.district)
    _validate_measure(data, place, measure.source)
    kind = series_kind_of(measure)
    if level_series_kind(data.get("level", "")) != kind and measure.values.exists():
        raise ValidationError(
            {
                "level": f"This measure already has values kept for each {kind}; its level "
                "cannot move them elsewhere."
            }
        )
    fields = {name: data[name] for name in MEASURE_FIELDS if name in data}
    fields.update(_computed_fields(data, measure.source))
    for name, value in fields.items():
        setattr(measure, name, value)
    save_if_unchanged(measure, expected_version=expected_version, update_fields=fields, actor=actor)
    return measure


def measure_archive(*, measure: Measure, actor: User, archived: bool) -> Measure:
    if measure.archived == archived:
        raise ValidationError(
            "This measure is already archived." if archived else "This measure is not archived."
        )
    measure.archived = archived
    save_if_unchanged(
        measure, expected_version=measure.version, update_fields=["archived"], actor=actor
    )
    audit_record(
        action="measure.archive" if archived else "measure.unarchive",
        actor=actor,
        object_type="measures.Measure",
        object_id=measure.pk,
        district_id=measure.district_id,
    )
    return measure


# Values ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ValueInput:
    period_start: dt.date
    period_label: str
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    student_count: int | None = None
    note: str = ""


def _checked_value(measure: Measure, entry: ValueInput) -> float:
    """The value to save, worked out from its parts where only they were given."""
    errors: dict[str, str] = {}
    value = entry.value
    if entry.denominator is not None and entry.denominator <= 0:
        errors["denominator"] = "What it is counted out of must be more than zero."
    elif entry.numerator is not None and entry.denominator is not None:
        if entry.numerator < 0:
            errors["numerator"] = "The count cannot be below zero."
        elif measure.unit == Unit.PERCENT and entry.numerator > entry.denominator:
            errors["numerator"] = "The count cannot be more than what it is counted out of."
        elif value is None:
            ratio = entry.numerator / entry.denominator
            value = round(100 * ratio, 1) if measure.unit == Unit.PERCENT else round(ratio, 3)
    if value is None and "value" not in errors:
        errors["value"] = (
            "Enter the value, or both of its counts." if measure.has_ratio else "Enter the value."
        )
    elif value is not None and measure.unit == Unit.PERCENT and not 0 <= value <= 100:
        errors["value"] = "A percentage is between 0 and 100."
    if errors or value is None:
        raise ValidationError(errors)
    return value


def _require_entered(measure: Measure) -> None:
    if measure.source != MeasureSource.ENTERED:
        raise ValidationError(
            "This measure's values come from "
            + ("assessment results" if measure.source == MeasureSource.COMPUTED else "imports")
            + ", so they are not typed in."
        )
    if measure.archived:
        raise ValidationError("This measure is archived. Bring it back before adding values.")


def _period_taken(measure: Measure, series: Series, period_start: dt.date) -> ValidationError:
    taken = MeasureValue.objects.filter(
        measure=measure, scope_key=series.scope_key, group_code="", period_start=period_start
    ).first()
    label = taken.period_label if taken and taken.period_label else f"{period_start:%-d %B %Y}"
    return ValidationError(
        {"period_start": f"A value for {label} is already recorded: change that one instead."}
    )


def value_create(
    *, measure: Measure, series: Series, actor: User, entry: ValueInput
) -> MeasureValue:
    _require_entered(measure)
    value = _checked_value(measure, entry)
    record = MeasureValue(
        measure=measure,
        district=series.district,
        school=series.school if series.kind == SeriesKind.SCHOOL else None,
        team=series.team,
        period_start=entry.period_start,
        period_label=entry.period_label,
        value=value,
        numerator=entry.numerator,
        denominator=entry.denominator,
        student_count=entry.student_count,
        note=entry.note,
        source=MeasureSource.ENTERED,
        entered_by=actor,
    )
    if MeasureValue.objects.filter(
        measure=measure, scope_key=series.scope_key, group_code="", period_start=entry.period_start
    ).exists():
        raise _period_taken(measure, series, entry.period_start)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        # Someone recorded the same period a moment ago: theirs stays.
        raise _period_taken(measure, series, entry.period_start) from None
    return record


def value_update(
    *, record: MeasureValue, actor: User, stamp: str, entry: ValueInput
) -> MeasureValue:
    _require_entered(record.measure)
    value = _checked_value(record.measure, entry)
    if entry.period_start != record.period_start and (
        MeasureValue.objects.filter(
            measure=record.measure,
            scope_key=record.scope_key,
            group_code=record.group_code,
            period_start=entry.period_start,
        )
        .exclude(pk=record.pk)
        .exists()
    ):
        raise ValidationError(
            {"period_start": "Another value is already recorded for this period."}
        )
    fields = {
        "period_start": entry.period_start,
        "period_label": entry.period_label,
        "value": value,
        "numerator": entry.numerator,
        "denominator": entry.denominator,
        "student_count": entry.student_count,
        "note": entry.note,
        "entered_by": actor,
    }
    try:
        with transaction.atomic():
            _update_if_unchanged(record, stamp=stamp, fields=fields)
    except IntegrityError:
        raise ValidationError(
            {"period_start": "Another value is already recorded for this period."}
        ) from None
    return record


def value_delete(*, record: MeasureValue, actor: User, stamp: str) -> None:
    _require_entered(record.measure)
    expected = _parse_stamp(stamp)
    deleted = (
        MeasureValue.objects.filter(pk=record.pk, updated_at=expected).delete()[0]
        if expected is not None
        else 0
    )
    if not deleted:
        raise EditConflict(current=MeasureValue.objects.filter(pk=record.pk).first())
    audit_record(
        action="measure.value.delete",
        actor=actor,
        object_type="measures.Measure",
        object_id=record.measure_id,
        district_id=record.district_id,
    )


# Chart settings and notes -----------------------------------------------------------------


def chart_setting_for(measure: Measure, series: Series) -> ChartSetting | None:
    return ChartSetting.objects.filter(measure=measure, scope_key=series.scope_key).first()


def chart_setting_save(
    *,
    measure: Measure,
    series: Series,
    actor: User,
    stamp: str,
    rule_set: str,
    baseline_start: dt.date | None,
    baseline_end: dt.date | None,
) -> ChartSetting:
    """Save how this series is charted for everyone who reads it. ``stamp`` is the
    setting's last save as the person saw it ("" when there was none yet)."""
    if rule_set == RuleSet.P_CHART and not measure.has_ratio:
        raise ValidationError(
            {"rule_set": "A p-chart needs counts: this measure has no numerator and denominator."}
        )
    if baseline_start and baseline_end and baseline_end < baseline_start:
        raise ValidationError({"baseline_end": "The baseline cannot end before it starts."})
    fields = {
        "rule_set": rule_set,
        "baseline_start": baseline_start,
        "baseline_end": baseline_end,
        "updated_by": actor,
    }
    current = chart_setting_for(measure, series)
    if current is not None:
        _update_if_unchanged(current, stamp=stamp, fields=fields)
        return current
    if stamp:
        raise EditConflict(current=None)  # it was saved, then removed
    try:
        with transaction.atomic():
            return ChartSetting.objects.create(
                measure=measure, scope_key=series.scope_key, district=series.district, **fields
            )
    except IntegrityError:
        raise EditConflict(current=chart_setting_for(measure, series)) from None


def annotation_create(
    *, measure: Measure, series: Series, actor: User, date: dt.date, label: str
) -> MeasureAnnotation:
    if not label.strip():
        raise ValidationError({"label": "Say what happened, in a few words."})
    return MeasureAnnotation.objects.create(
        measure=measure,
        scope_key=series.scope_key,
        district=series.district,
        date=date,
        kind=AnnotationKind.NOTE,
        label=label.strip(),
        created_by=actor,
    )


def annotation_delete(*, annotation: MeasureAnnotation) -> None:
    if annotation.kind != AnnotationKind.NOTE:
        raise ValidationError(
            "This note marks where a PDSA cycle or plan action began; it goes when they do."
        )
    annotation.delete()
