"""The import services: upload, staging in batches, checks, the upsert, resume and refusal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from leadhub.assessments.models import AssessmentResult
from leadhub.audit.models import AuditEvent
from leadhub.core.models import TaskProgress
from leadhub.files.storage import private_storage
from leadhub.imports.models import (
    DataImport,
    ImportKind,
    ImportProblem,
    ImportStatus,
    ResolvedValue,
    StagedAssessmentRow,
)
from leadhub.imports.services import commit as commit_service
from leadhub.imports.services import lifecycle, staging
from leadhub.imports.services.commit import import_commit_run
from leadhub.imports.services.staging import Mapping
from leadhub.imports.tests.helpers import check, commit, csv_bytes, no_report, upload
from leadhub.measures.compute import window_period_start
from leadhub.measures.models import MeasureSource, MeasureValue
from leadhub.measures.tests.factories import MeasureFactory
from leadhub.students.models import Student, StudentGroup, StudentGroupMembership
from leadhub.students.tests.factories import StudentFactory, StudentGroupMembershipFactory

HEADER = [
    "State Student ID",
    "School Code",
    "Assessment",
    "Subject",
    "Grade",
    "School Year",
    "Window",
    "Scale Score",
    "Perf Level",
    "EL",
]


def year_label(world: Any) -> str:
    return f"{world.year - 1}-{str(world.year)[-2:]}"


def result_rows(
    world: Any, count: int, *, level: int = 2, window: str = "Spring"
) -> list[list[Any]]:
    """``count`` new students' spring math results at Lincoln, every third an English learner."""
    return [
        [
            f"IMP{i:05d}",
            world.school.state_id,
            "math-benchmark",
            "Math",
            "3",
            year_label(world),
            window,
            200 + i,
            level,
            "Y" if i % 3 == 0 else "N",
        ]
        for i in range(count)
    ]


def results_of(world: Any) -> Any:
    return AssessmentResult.objects.filter(
        student__district=world.district, student__state_student_id__startswith="IMP"
    )


# --- upload ---------------------------------------------------------------------------------


def test_an_upload_is_kept_privately_with_its_mapping_guessed(world: Any) -> None:
    data_import = upload(world, csv_bytes([HEADER, *result_rows(world, 2)]), name="spring.csv")
    assert data_import.status == ImportStatus.UPLOADED
    assert data_import.file_format == "csv"
    assert data_import.original_name == "spring.csv"
    assert data_import.storage_name.startswith(f"{world.district.pk}/imports/")
    assert private_storage.exists(data_import.storage_name)
    assert data_import.mapping["headers"] == HEADER
    assert data_import.mapping["columns"]["student"] == 0
    assert data_import.mapping["columns"]["performance_level"] == 8
    assert AuditEvent.objects.filter(
        action="imports.upload", object_id=str(data_import.pk)
    ).exists()


def test_an_upload_over_the_import_size_limit_is_refused(world: Any, settings: Any) -> None:
    settings.LEADHUB_MAX_IMPORT_BYTES = 100
    with pytest.raises(ValidationError, match="largest file an import takes"):
        upload(world, csv_bytes([HEADER, *result_rows(world, 5)]))
    assert not DataImport.objects.exists()


def test_an_upload_that_is_not_a_table_is_refused_and_not_kept(world: Any, settings: Any) -> None:
    with pytest.raises(ValidationError, match="a .pdf file"):
        upload(world, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", name="results.csv")
    assert not DataImport.objects.exists()
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.upload"))


def test_a_school_import_must_be_for_a_school_of_its_district(world: Any) -> None:
    with pytest.raises(ValueError, match="school's district"):
        lifecycle.import_upload(
            uploaded=SimpleUploadedFile("m.csv", b"a\n1\n"),
            kind=ImportKind.MEASURE_VALUES,
            district=world.district,
            school=world.other_school,
            actor=world.people["district_leader"],
        )


# --- mapping and checks ---------------------------------------------------------------------


def test_a_mapping_without_a_required_field_is_refused_with_its_reason(world: Any) -> None:
    data_import = upload(world, csv_bytes([HEADER, *result_rows(world, 1)]))
    problems = lifecycle.mapping_problems(
        data_import.kind,
        Mapping(columns={"student": 0, "school": 0, "scale_score": 7}, fixed={"window": "fall"}),
        headers=HEADER,
    )
    assert problems["school"] == "This column is already chosen for State student identifier."
    assert problems["grade"] == "Choose the column that holds this."
    assert problems["assessment"].startswith("Choose the column that holds this, or give one")
    assert "window" not in problems
    with pytest.raises(ValidationError):
        lifecycle.import_check_start(
            data_import=data_import,
            mapping=Mapping(columns={"student": 0}, fixed={}),
            actor=world.people["district_leader"],
        )
    data_import.refresh_from_db()
    assert data_import.status == ImportStatus.UPLOADED


def test_every_problem_is_reported_by_line_without_student_identifiers(world: Any) -> None:
    rows = [
        HEADER,
        *result_rows(world, 2),
        [
            "SECRET-ID-1",
            "NO-SUCH-SCHOOL",
            "math-benchmark",
            "Math",
            "3",
            year_label(world),
            "Fall",
            "abc",
            2,
            "Q",
        ],
        ["", world.school.state_id, "nope", "Art", "14", "1800", "Summer", "", "", ""],
        [
            "SECRET-ID-2",
            world.school.state_id,
            "math-benchmark",
            "Math",
            "3",
            year_label(world),
            "Fall",
            210,
            7,
            "N",
        ],
        [
            "X" * 40,
            world.school.state_id,
            "math-benchmark",
            "Math",
            "3",
            year_label(world),
            "Fall",
            210,
            2,
            "N",
        ],
    ]
    data_import = check(upload(world, csv_bytes(rows)))
    assert data_import.status == ImportStatus.READY
    assert (data_import.total_rows, data_import.error_rows) == (6, 4)
    found = {
        (p.line, p.field): (p.problem, p.value)
        for p in ImportProblem.objects.filter(data_import=data_import)
    }
    assert found[(4, "school")] == (
        "No school of Maple Grove CUSD 1 has this state identifier.",
        "NO-SUCH-SCHOOL",
    )
    assert found[(4, "scale_score")] == ("Not a number.", "abc")
    assert found[(4, "el")] == ("Use Y or N.", "Q")
    assert found[(5, "student")] == ("The state student identifier is missing.", "")
    assert found[(5, "assessment")][1] == "nope"
    assert found[(5, "subject")][1] == "Art"
    assert found[(5, "grade")][1] == "14"
    assert found[(5, "school_year")][1] == "1800"
    assert found[(5, "window")][1] == "Summer"
    assert found[(5, "scale_score")] == ("No scale score or performance level.", "")
    assert found[(6, "performance_level")] == (
        "Above the highest performance level of this assessment.",
        "7",
    )
    assert found[(7, "student")][1] == ""
    values = " ".join(p.value + p.problem for p in ImportProblem.objects.all())
    assert "SECRET" not in values and "XXXX" not in values


def test_a_row_repeating_an_earlier_rows_natural_key_is_reported(world: Any) -> None:
    rows = [HEADER, *result_rows(world, 2)]
    repeat = list(rows[1])
    repeat[6] = "spring"  # the same window as line 2's "Spring"
    data_import = check(upload(world, csv_bytes([*rows, repeat])))
    problem = ImportProblem.objects.get(data_import=data_import)
    assert problem.line == 4
    assert problem.problem == (
        "The same student, assessment, subject, school year and window as line 2."
    )
    assert problem.value == ""
    assert data_import.error_rows == 1


def test_staging_reads_the_file_in_batches(world: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(staging, "BATCH_ROWS", 3)
    written: list[int] = []
    original = staging.batch_write

    def counting(kind: str, rows: Any) -> int:
        written.append(original(kind, rows))
        return written[-1]

    monkeypatch.setattr(lifecycle, "batch_write", counting)
    data_import = check(upload(world, csv_bytes([HEADER, *result_rows(world, 8)])))
    assert written == [3, 3, 2]
    assert data_import.total_rows == 8
    lines = StagedAssessmentRow.objects.filter(data_import=data_import).values_list(
        "line", flat=True
    )
    assert sorted(lines) == list(range(2, 10))


def test_every_row_with_a_problem_refuses_the_import_and_stages_nothing(world: Any) -> None:
    rows = [HEADER, ["1", "NOPE", "nope", "Art", "3", "2025-26", "Fall", "1", "1", ""]]
    data_import = check(upload(world, csv_bytes(rows)))
    assert data_import.status == ImportStatus.REFUSED
    assert data_import.message == "None of the rows can be imported."
    assert not StagedAssessmentRow.objects.filter(data_import=data_import).exists()
    assert ImportProblem.objects.filter(data_import=data_import).count() == 3


def test_a_column_with_too_many_different_values_refuses_the_import(
    world: Any, monkeypatch: Any
) -> None:
    from leadhub.imports.services import resolution

    monkeypatch.setattr(resolution, "MAX_DISTINCT", 3)
    rows = [HEADER, *result_rows(world, 5)]
    data_import = upload(world, csv_bytes(rows))
    mapping = Mapping.from_json(data_import.mapping)
    # The scale scores chosen as the window by mistake: five different values.
    mapping.columns["window"] = 7
    mapping.columns.pop("scale_score")
    data_import = check(data_import, mapping)
    assert data_import.status == ImportStatus.REFUSED
    assert "The column chosen for Window has more than 3 different values" in data_import.message


# --- the commit -----------------------------------------------------------------------------


def test_a_commit_adds_students_results_and_group_memberships(world: Any) -> None:
    data_import = commit(check(upload(world, csv_bytes([HEADER, *result_rows(world, 6)]))))
    assert data_import.status == ImportStatus.DONE
    assert (data_import.created_rows, data_import.updated_rows) == (6, 0)
    assert data_import.students_created == 6
    new = Student.objects.filter(district=world.district, state_student_id__startswith="IMP")
    assert new.count() == 6
    assert set(new.values_list("given_name", "family_name")) == {("", "")}
    result = results_of(world).get(student__state_student_id="IMP00004")
    assert (result.school_id, result.assessment, result.subject, result.grade) == (
        world.school.pk,
        world.objects["benchmark"],
        "math",
        "03",
    )
    assert (result.school_year_id, result.window, result.scale_score) == (world.year, "spring", 204)
    assert (result.performance_level, result.imported_by_id) == (2, data_import.pk)
    el = StudentGroupMembership.objects.filter(
        student__in=new, group__code="el", school_year_id=world.year
    )
    assert sorted(el.values_list("student__state_student_id", flat=True)) == [
        "IMP00000",
        "IMP00003",
    ]
    assert set(el.values_list("source", flat=True)) == {"assessment"}
    # The working rows and the file are gone; the counts stay.
    assert not StagedAssessmentRow.objects.filter(data_import=data_import).exists()
    assert not ResolvedValue.objects.filter(data_import=data_import).exists()
    assert not private_storage.exists(data_import.storage_name)


def test_a_corrected_reimport_updates_rather_than_duplicates(world: Any) -> None:
    commit(check(upload(world, csv_bytes([HEADER, *result_rows(world, 5, level=1)]))))
    before = AssessmentResult.objects.count()
    corrected = result_rows(world, 6, level=3)
    again = commit(check(upload(world, csv_bytes([HEADER, *corrected]))))
    assert (again.created_rows, again.updated_rows, again.students_created) == (1, 5, 1)
    assert AssessmentResult.objects.count() == before + 1
    assert set(results_of(world).values_list("performance_level", flat=True)) == {3}


def test_an_existing_student_is_found_by_the_state_identifier(world: Any) -> None:
    student = world.objects["student"]
    rows = [HEADER, [student.state_student_id, *result_rows(world, 1)[0][1:]]]
    data_import = commit(check(upload(world, csv_bytes(rows))))
    assert data_import.students_created == 0
    assert AssessmentResult.objects.filter(student=student, window="spring").count() == 1


def test_n_removes_only_a_membership_an_assessment_import_added(world: Any) -> None:
    el = StudentGroup.objects.get(code="el")
    by_import = StudentFactory(district=world.district, state_student_id="IMP00001")
    by_roster = StudentFactory(district=world.district, state_student_id="IMP00002")
    for student, source in ((by_import, "assessment"), (by_roster, "roster")):
        StudentGroupMembershipFactory(
            student=student, school_year=world.objects["school_year"], group=el, source=source
        )
    commit(check(upload(world, csv_bytes([HEADER, *result_rows(world, 3)]))))
    members = set(
        StudentGroupMembership.objects.filter(group=el, school_year_id=world.year)
        .filter(student__state_student_id__startswith="IMP")
        .values_list("student__state_student_id", flat=True)
    )
    assert members == {"IMP00000", "IMP00002"}


def test_with_problem_rows_the_commit_needs_consent_else_nothing_is_written(world: Any) -> None:
    rows = [HEADER, *result_rows(world, 3), ["IMP99999", "NOPE", *result_rows(world, 1)[0][2:]]]
    data_import = check(upload(world, csv_bytes(rows)))
    before = (AssessmentResult.objects.count(), Student.objects.count())
    with pytest.raises(ValidationError) as refused:
        lifecycle.import_commit_start(
            data_import=data_import, actor=world.people["district_leader"], skip_problem_rows=False
        )
    assert "1 row has problems" in refused.value.message_dict["skip_problem_rows"][0]
    data_import.refresh_from_db()
    assert data_import.status == ImportStatus.READY
    assert (AssessmentResult.objects.count(), Student.objects.count()) == before
    done = commit(data_import, skip_problem_rows=True)
    assert (done.created_rows, done.error_rows) == (3, 1)
    assert not Student.objects.filter(state_student_id="IMP99999").exists()


def test_a_crash_halfway_leaves_a_resumable_import_that_finishes_without_duplicates(
    world: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(commit_service, "COMMIT_LINES", 4)

    def crash(last_line: int) -> None:
        if last_line > 5:
            raise RuntimeError("the worker died")

    monkeypatch.setattr(commit_service, "crash_point", crash)
    data_import = check(upload(world, csv_bytes([HEADER, *result_rows(world, 10)])))
    lifecycle.import_commit_start(
        data_import=data_import, actor=world.people["district_leader"], skip_problem_rows=False
    )
    with pytest.raises(RuntimeError):
        import_commit_run(data_import=data_import, report=no_report)
    lifecycle.import_commit_failed(data_import=data_import)
    data_import.refresh_from_db()
    # Lines 2-4 (the first chunk) are in; the chunk that crashed left nothing behind.
    assert data_import.status == ImportStatus.FAILED
    assert data_import.committed_through == 4
    assert (data_import.created_rows, data_import.students_created) == (3, 3)
    assert "Stopped after line 4" in data_import.message
    assert results_of(world).count() == 3
    assert Student.objects.filter(state_student_id__startswith="IMP").count() == 3
    assert lifecycle.import_is_resumable(data_import)

    monkeypatch.setattr(commit_service, "crash_point", None)
    progress = lifecycle.import_commit_start(
        data_import=data_import, actor=world.people["district_leader"], skip_problem_rows=False
    )
    assert progress.kind == "imports.commit"
    data_import = lifecycle.import_commit_finish(
        data_import=import_commit_run(data_import=data_import, report=no_report)
    )
    assert data_import.status == ImportStatus.DONE
    assert (data_import.created_rows, data_import.updated_rows) == (10, 0)
    assert data_import.students_created == 10
    assert results_of(world).count() == 10
    assert AuditEvent.objects.filter(
        action="imports.resume", object_id=str(data_import.pk)
    ).exists()


def test_a_cancelled_import_keeps_nothing_staged_and_deletes_the_file(world: Any) -> None:
    data_import = check(upload(world, csv_bytes([HEADER, *result_rows(world, 2)])))
    lifecycle.import_cancel(data_import=data_import, actor=world.people["district_leader"])
    assert data_import.status == ImportStatus.CANCELLED
    assert not StagedAssessmentRow.objects.filter(data_import=data_import).exists()
    assert not private_storage.exists(data_import.storage_name)
    assert not results_of(world).exists()
    with pytest.raises(ValidationError):
        lifecycle.import_commit_start(
            data_import=data_import, actor=world.people["district_leader"], skip_problem_rows=True
        )


def test_an_xlsx_file_imports_like_a_csv(world: Any, tmp_path: Any) -> None:
    book = Workbook()
    sheet = book.active
    for row in [HEADER, *result_rows(world, 3)]:
        sheet.append(row)
    book.save(tmp_path / "spring.xlsx")
    content = (tmp_path / "spring.xlsx").read_bytes()
    data_import = commit(check(upload(world, content, name="spring.xlsx")))
    assert data_import.file_format == "xlsx"
    assert (data_import.created_rows, data_import.error_rows) == (3, 0)
    assert set(results_of(world).values_list("grade", flat=True)) == {"03"}


def test_one_value_for_every_row_fills_a_column_the_file_lacks(world: Any) -> None:
    without_window = [
        [cell for index, cell in enumerate(row) if index != HEADER.index("Window")]
        for row in [HEADER, *result_rows(world, 2)]
    ]
    data_import = upload(world, csv_bytes(without_window))
    mapping = Mapping.from_json(data_import.mapping)
    assert "window" not in mapping.columns
    mapping.fixed["window"] = "Winter"
    commit(check(data_import, mapping))
    assert set(results_of(world).values_list("window", flat=True)) == {"winter"}


# --- school measure values ------------------------------------------------------------------

MEASURE_HEADER = ["School", "Measure", "School Year", "Window", "Value", "Numerator", "Denominator"]


def measure_rows(world: Any, name: str, values: list[float]) -> list[list[Any]]:
    windows = ["Fall", "Winter", "Spring"]
    return [
        [world.school.state_id, name, year_label(world), windows[i], value, "", ""]
        for i, value in enumerate(values)
    ]


def test_measure_values_import_by_name_and_a_corrected_file_updates_them(world: Any) -> None:
    survey = MeasureFactory(district=world.district, name="Climate survey score", unit="score")
    first = upload(
        world,
        csv_bytes([MEASURE_HEADER, *measure_rows(world, "climate survey score", [61, 64])]),
        kind=ImportKind.MEASURE_VALUES,
    )
    done = commit(check(first))
    assert (done.created_rows, done.updated_rows) == (2, 0)
    values = MeasureValue.objects.filter(measure=survey).order_by("period_start")
    year_start = world.objects["school_year"].start_date
    assert [(v.period_start, v.window, v.value, v.source) for v in values] == [
        (window_period_start(year_start, "fall"), "fall", 61.0, MeasureSource.IMPORTED),
        (window_period_start(year_start, "winter"), "winter", 64.0, MeasureSource.IMPORTED),
    ]
    assert values[0].scope_key == f"school:{world.school.pk}"
    assert values[0].period_label == f"Fall {world.year - 1}–{str(world.year)[-2:]}"
    again = upload(
        world,
        csv_bytes([MEASURE_HEADER, *measure_rows(world, str(survey.pk), [62, 64, 66])]),
        kind=ImportKind.MEASURE_VALUES,
    )
    done = commit(check(again))
    assert (done.created_rows, done.updated_rows) == (1, 2)
    assert list(values.values_list("value", flat=True)) == [62.0, 64.0, 66.0]


def test_measure_value_checks(world: Any) -> None:
    attendance = world.objects["attendance_measure"]
    elsewhere = MeasureFactory(
        district=world.district, name="Douglass reading minutes", school=world.sibling_school
    )
    rows = [
        MEASURE_HEADER,
        [world.school.state_id, attendance.name, year_label(world), "Fall", 104, "", ""],
        [world.school.state_id, attendance.name, year_label(world), "Spring", "n/a", "x", ""],
        [world.school.state_id, elsewhere.name, year_label(world), "Fall", 30, "", ""],
        [world.school.state_id, "Computed elsewhere", year_label(world), "Fall", 30, "", ""],
        [world.school.state_id, attendance.name, year_label(world), "Winter", 95.5, 191, 200],
    ]
    data_import = check(upload(world, csv_bytes(rows), kind=ImportKind.MEASURE_VALUES))
    found = {
        (p.line, p.field): (p.problem, p.value)
        for p in ImportProblem.objects.filter(data_import=data_import)
    }
    assert found == {
        (2, "value"): ("A percent is between 0 and 100.", "104"),
        (3, "value"): ("Not a number.", "n/a"),
        (3, "numerator"): ("Not a number.", "x"),
        (4, "measure"): ("This measure belongs to another school.", "Douglass reading minutes"),
        (5, "measure"): (
            "No school measure of this district has this name or number.",
            "Computed elsewhere",
        ),
    }
    done = commit(data_import, skip_problem_rows=True)
    value = MeasureValue.objects.get(measure=attendance, imported_by=done)
    assert (value.value, value.numerator, value.denominator) == (95.5, 191.0, 200.0)


def test_a_principals_import_takes_rows_of_their_own_school_only(world: Any) -> None:
    attendance = world.objects["attendance_measure"]
    rows = [
        ["School", "Measure", "Date", "Value"],
        [world.school.state_id, attendance.name, "2025-11-01", 93.1],
        [world.sibling_school.state_id, attendance.name, "2025-11-01", 90.2],
    ]
    data_import = check(
        upload(
            world,
            csv_bytes(rows),
            kind=ImportKind.MEASURE_VALUES,
            persona="principal",
            school=world.school,
        )
    )
    problem = ImportProblem.objects.get(data_import=data_import)
    assert (problem.line, problem.field) == (3, "school")
    assert problem.problem == "Not your school: this import is for Lincoln Elementary only."


def test_an_assessment_import_works_computed_measures_out_again(world: Any) -> None:
    computed = world.objects["computed_measure"]
    assert not MeasureValue.objects.filter(measure=computed, window="spring").exists()
    commit(check(upload(world, csv_bytes([HEADER, *result_rows(world, 12, level=3)]))))
    spring = MeasureValue.objects.get(
        measure=computed, window="spring", school=world.school, student_group=None
    )
    assert (spring.numerator, spring.denominator) == (12, 12)


def test_a_stopped_check_can_be_cancelled_and_a_stopped_commit_resumed(world: Any) -> None:
    data_import = check(upload(world, csv_bytes([HEADER, *result_rows(world, 2)])))
    progress = lifecycle.import_commit_start(
        data_import=data_import, actor=world.people["district_leader"], skip_problem_rows=False
    )
    assert not lifecycle.import_is_resumable(data_import)
    assert not lifecycle.import_is_cancellable(data_import)
    # The worker died without a word: its progress stopped moving long ago.
    TaskProgress.objects.filter(pk=progress.pk).update(
        updated_at=timezone.now() - lifecycle.STALLED_AFTER * 2
    )
    data_import.refresh_from_db()
    assert lifecycle.import_is_resumable(data_import)
    DataImport.objects.filter(pk=data_import.pk).update(status=ImportStatus.VALIDATING)
    data_import.refresh_from_db()
    assert lifecycle.import_is_cancellable(data_import)
    lifecycle.import_cancel(data_import=data_import, actor=world.people["district_leader"])
    assert data_import.status == ImportStatus.CANCELLED
