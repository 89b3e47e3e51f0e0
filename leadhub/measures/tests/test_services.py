"""Writes for measures: definitions, values, chart settings and notes, all conflict-safe."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from leadhub.lib.concurrency import EditConflict
from leadhub.measures import services
from leadhub.measures.access import Series, SeriesKind
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
from leadhub.measures.services import Place, ValueInput

pytestmark = pytest.mark.django_db


def fresh(world, key: str) -> Measure:
    """The world's measure read afresh: a test never edits the shared object itself."""
    return Measure.objects.get(pk=world.objects[key].pk)


def lincoln(world) -> Series:
    return Series(SeriesKind.SCHOOL, world.district, school=world.school)


def fields(**overrides):
    values = {
        "name": "Students reading on grade level",
        "description": "",
        "unit": Unit.PERCENT,
        "direction": "up",
        "level": MeasureLevel.SCHOOL,
        "numerator_label": "",
        "denominator_label": "",
    }
    return {**values, **overrides}


def test_a_principal_defines_a_school_measure(world) -> None:
    measure = services.measure_create(
        actor=world.people["principal"],
        place=Place(school=world.school),
        source=MeasureSource.ENTERED,
        **fields(),
    )
    assert (measure.school, measure.district, measure.owner) == (
        world.school,
        world.district,
        world.people["principal"],
    )


def test_a_team_measure_belongs_to_the_team_and_its_school(world) -> None:
    grade3 = world.objects["grade3"]
    measure = services.measure_create(
        actor=world.people["teacher"],
        place=Place(team=grade3),
        source=MeasureSource.ENTERED,
        **fields(level=MeasureLevel.TEAM),
    )
    assert (measure.team, measure.school, measure.district) == (
        grade3,
        world.school,
        world.district,
    )


def test_levels_must_fit_the_place_and_labels_come_in_pairs(world) -> None:
    with pytest.raises(ValidationError) as raised:
        services.measure_create(
            actor=world.people["teacher"],
            place=Place(team=world.objects["grade3"]),
            source=MeasureSource.ENTERED,
            **fields(numerator_label="Students present"),
        )
    assert set(raised.value.message_dict) == {"level", "denominator_label"}


def test_a_computed_measure_needs_its_assessment_subject_and_a_real_level(world) -> None:
    benchmark = world.objects["benchmark"]
    with pytest.raises(ValidationError) as raised:
        services.measure_create(
            actor=world.people["district_leader"],
            place=Place(district=world.district),
            source=MeasureSource.COMPUTED,
            **fields(assessment=benchmark, subject="", at_or_above_level=7),
        )
    assert set(raised.value.message_dict) == {"subject", "at_or_above_level"}
    measure = services.measure_create(
        actor=world.people["district_leader"],
        place=Place(district=world.district),
        source=MeasureSource.COMPUTED,
        **fields(assessment=benchmark, subject="math", at_or_above_level=4),
    )
    assert measure.source == MeasureSource.COMPUTED and measure.at_or_above_level == 4


def test_an_edit_started_from_an_old_version_is_refused(world) -> None:
    measure = fresh(world, "attendance_measure")
    started = measure.version
    services.measure_update(
        measure=measure,
        actor=world.people["district_leader"],
        expected_version=started,
        **fields(name="Daily attendance"),
    )
    stale = Measure.objects.get(pk=measure.pk)
    with pytest.raises(EditConflict):
        services.measure_update(
            measure=stale,
            actor=world.people["state_admin"],
            expected_version=started,
            **fields(name="Attendance rate"),
        )
    assert Measure.objects.get(pk=measure.pk).name == "Daily attendance"


def test_a_measure_with_values_keeps_its_kind_of_place(world) -> None:
    measure = fresh(world, "attendance_measure")
    with pytest.raises(ValidationError) as raised:
        services.measure_update(
            measure=measure,
            actor=world.people["district_leader"],
            expected_version=measure.version,
            **fields(level=MeasureLevel.DISTRICT),
        )
    assert "level" in raised.value.message_dict


def test_archiving_and_back(world) -> None:
    measure = fresh(world, "attendance_measure")
    services.measure_archive(measure=measure, actor=world.people["district_leader"], archived=True)
    assert Measure.objects.get(pk=measure.pk).archived
    with pytest.raises(ValidationError):
        services.measure_archive(
            measure=measure, actor=world.people["district_leader"], archived=True
        )


def entry(day: dt.date, **overrides) -> ValueInput:
    return ValueInput(**{"period_start": day, "period_label": "", "value": 91.5, **overrides})


def test_a_value_is_entered_once_per_period(world) -> None:
    measure = fresh(world, "attendance_measure")
    day = dt.date(world.year, 3, 1)
    record = services.value_create(
        measure=measure, series=lincoln(world), actor=world.people["principal"], entry=entry(day)
    )
    assert (record.scope_key, record.group_code) == (f"school:{world.school.pk}", "")
    with pytest.raises(ValidationError) as raised:
        services.value_create(
            measure=measure,
            series=lincoln(world),
            actor=world.people["principal"],
            entry=entry(day, value=80.0),
        )
    assert "period_start" in raised.value.message_dict
    assert MeasureValue.objects.get(pk=record.pk).value == 91.5


def test_a_value_is_worked_out_from_its_counts_and_checked(world) -> None:
    measure = fresh(world, "attendance_measure")
    measure.numerator_label, measure.denominator_label = "Present", "Enrolled"
    record = services.value_create(
        measure=measure,
        series=lincoln(world),
        actor=world.people["principal"],
        entry=entry(dt.date(world.year, 3, 1), value=None, numerator=45, denominator=50),
    )
    assert record.value == 90.0
    for bad in (
        {"value": 120.0},
        {"value": None, "numerator": 60, "denominator": 50},
        {"value": None, "numerator": 1, "denominator": 0},
        {"value": None},
    ):
        with pytest.raises(ValidationError):
            services.value_create(
                measure=measure,
                series=lincoln(world),
                actor=world.people["principal"],
                entry=entry(dt.date(world.year, 4, 1), **bad),
            )


def test_computed_values_are_not_typed_in(world) -> None:
    with pytest.raises(ValidationError):
        services.value_create(
            measure=fresh(world, "computed_measure"),
            series=lincoln(world),
            actor=world.people["district_leader"],
            entry=entry(dt.date(world.year, 3, 1)),
        )


def test_a_value_changed_meanwhile_is_not_overwritten_nor_removed(world) -> None:
    record = fresh(world, "attendance_measure").values.order_by("period_start").first()
    seen = services.stamp_of(record)
    services.value_update(
        record=record,
        actor=world.people["principal"],
        stamp=seen,
        entry=entry(record.period_start, value=95.0),
    )
    stale = MeasureValue.objects.get(pk=record.pk)
    with pytest.raises(EditConflict) as raised:
        services.value_update(
            record=stale,
            actor=world.people["assistant_principal"],
            stamp=seen,
            entry=entry(record.period_start, value=50.0),
        )
    assert raised.value.current.value == 95.0
    with pytest.raises(EditConflict):
        services.value_delete(record=stale, actor=world.people["principal"], stamp=seen)
    services.value_delete(
        record=stale, actor=world.people["principal"], stamp=services.stamp_of(raised.value.current)
    )
    assert not MeasureValue.objects.filter(pk=record.pk).exists()


def test_moving_a_value_onto_a_taken_period_is_refused(world) -> None:
    first, second = fresh(world, "attendance_measure").values.order_by("period_start")[:2]
    with pytest.raises(ValidationError) as raised:
        services.value_update(
            record=second,
            actor=world.people["principal"],
            stamp=services.stamp_of(second),
            entry=entry(first.period_start),
        )
    assert "period_start" in raised.value.message_dict


def test_chart_settings_are_saved_per_series_and_conflicts_caught(world) -> None:
    measure = fresh(world, "attendance_measure")
    saved = services.chart_setting_save(
        measure=measure,
        series=lincoln(world),
        actor=world.people["principal"],
        stamp="",
        rule_set=RuleSet.XMR,
        baseline_start=dt.date(world.year - 2, 9, 1),
        baseline_end=dt.date(world.year - 1, 2, 1),
    )
    assert saved.scope_key == f"school:{world.school.pk}"
    # A second person who also saw no setting yet: theirs would overwrite silently.
    with pytest.raises(EditConflict):
        services.chart_setting_save(
            measure=measure,
            series=lincoln(world),
            actor=world.people["district_leader"],
            stamp="",
            rule_set=RuleSet.ANHOEJ,
            baseline_start=None,
            baseline_end=None,
        )
    services.chart_setting_save(
        measure=measure,
        series=lincoln(world),
        actor=world.people["district_leader"],
        stamp=services.stamp_of(saved),
        rule_set=RuleSet.ANHOEJ,
        baseline_start=None,
        baseline_end=None,
    )
    assert ChartSetting.objects.get(pk=saved.pk).rule_set == RuleSet.ANHOEJ


def test_a_p_chart_needs_counts(world) -> None:
    with pytest.raises(ValidationError):
        services.chart_setting_save(
            measure=fresh(world, "attendance_measure"),
            series=lincoln(world),
            actor=world.people["principal"],
            stamp="",
            rule_set=RuleSet.P_CHART,
            baseline_start=None,
            baseline_end=None,
        )


def test_notes_are_added_and_only_plain_notes_removed(world) -> None:
    measure = fresh(world, "attendance_measure")
    note = services.annotation_create(
        measure=measure,
        series=lincoln(world),
        actor=world.people["principal"],
        date=dt.date(world.year - 1, 1, 10),
        label="  Attendance calls began ",
    )
    assert note.label == "Attendance calls began" and note.kind == AnnotationKind.NOTE
    services.annotation_delete(annotation=note)
    pdsa = MeasureAnnotation.objects.create(
        measure=measure,
        scope_key=note.scope_key,
        district=world.district,
        date=note.date,
        kind=AnnotationKind.PDSA,
        label="PDSA 1",
    )
    with pytest.raises(ValidationError):
        services.annotation_delete(annotation=pdsa)
