"""The imports pages end to end, with the background tasks run at once."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leadhub.assessments.models import AssessmentResult
from leadhub.audit.models import AuditEvent
from leadhub.imports.models import DataImport, ImportKind, ImportStatus
from leadhub.imports.tests.factories import district_import
from leadhub.imports.tests.helpers import csv_bytes
from leadhub.imports.tests.test_services import HEADER, result_rows

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _tasks_at_once(settings: Any) -> None:
    settings.TASKS = IMMEDIATE


def start(client: Any, world: Any, content: bytes, **fields: str) -> Any:
    data = {
        "kind": ImportKind.ASSESSMENT_RESULTS,
        "place": f"district-{world.district.pk}",
        "file": SimpleUploadedFile("spring.csv", content),
        **fields,
    }
    return client.post(reverse("imports:create"), data)


def mapping_post(data_import: DataImport) -> dict[str, str]:
    """The mapping form as shown: the guessed columns."""
    columns = data_import.mapping["columns"]
    return {f"column_{key}": str(index) for key, index in columns.items()}


def test_the_list_offers_both_kinds_to_a_district_leader(client_for: Any) -> None:
    page = client_for("district_leader").get(reverse("imports:list"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Assessment results" in body and "School measure values" in body
    assert "No imports yet" in body


def test_a_principal_imports_measure_values_of_their_own_school_only(client_for: Any) -> None:
    page = client_for("principal").get(reverse("imports:list"))
    kinds = page.context["form"].fields["kind"].choices
    assert kinds == [(ImportKind.MEASURE_VALUES, "School measure values")]
    assert "For Lincoln Elementary (measure values only)" in page.content.decode()


def test_people_who_do_not_import_are_told_who_does(client_for: Any) -> None:
    page = client_for("teacher").get(reverse("imports:list"))
    assert page.status_code == 403
    assert "District leaders and state administrators import data" in page.content.decode()


def test_upload_preview_check_import_and_reimport(client_for: Any, world: Any) -> None:
    client = client_for("district_leader")
    rows = [HEADER, *result_rows(world, 4), ["IMP00099", "NOPE", *result_rows(world, 1)[0][2:]]]
    response = start(client, world, csv_bytes(rows))
    data_import = DataImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == data_import.get_absolute_url()

    page = client.get(data_import.get_absolute_url())
    body = page.content.decode()
    assert "The first rows of your file" in body
    assert "IMP00001" in body  # the uploader's own file, read from it
    assert 'value="7" selected' in body  # Scale Score guessed

    response = client.post(
        reverse("imports:check", args=[data_import.pk]), mapping_post(data_import)
    )
    assert response.status_code == 302
    data_import.refresh_from_db()
    assert data_import.status == ImportStatus.READY
    page = client.get(data_import.get_absolute_url()).content.decode()
    assert "What the check found" in page
    assert "No school of Maple Grove CUSD 1 has this state identifier." in page
    assert reverse("imports:problems", args=[data_import.pk]) in page
    assert "IMP00001" not in page  # no preview once checked

    report = client.get(reverse("imports:problems", args=[data_import.pk]))
    assert report["Content-Disposition"].startswith('attachment; filename="spring-problems.csv"')
    lines = list(csv.reader(io.StringIO(b"".join(report.streaming_content).decode("utf-8-sig"))))
    assert lines == [
        ["line", "column", "problem", "value"],
        ["6", "School Code", "No school of Maple Grove CUSD 1 has this state identifier.", "NOPE"],
    ]
    assert AuditEvent.objects.filter(action="export", object_id=str(data_import.pk)).exists()

    refused = client.post(reverse("imports:commit", args=[data_import.pk]), {})
    assert refused.status_code == 400
    assert "Tick the box to import the others" in refused.content.decode()
    response = client.post(
        reverse("imports:commit", args=[data_import.pk]), {"skip_problem_rows": "on"}
    )
    assert response.status_code == 302
    data_import.refresh_from_db()
    assert (data_import.status, data_import.created_rows, data_import.updated_rows) == (
        ImportStatus.DONE,
        4,
        0,
    )
    page = client.get(data_import.get_absolute_url()).content.decode()
    assert "Imported" in page and "Students new to LeadHub" in page

    corrected = [HEADER, *result_rows(world, 5, level=3)]
    start(client, world, csv_bytes(corrected))
    again = DataImport.objects.exclude(pk=data_import.pk).get()
    client.post(reverse("imports:check", args=[again.pk]), mapping_post(again))
    client.post(reverse("imports:commit", args=[again.pk]), {})
    again.refresh_from_db()
    assert (again.created_rows, again.updated_rows) == (1, 4)
    imported = AssessmentResult.objects.filter(student__state_student_id__startswith="IMP")
    assert imported.count() == 5
    assert set(imported.values_list("performance_level", flat=True)) == {3}


def test_only_the_uploader_sees_the_rows_of_the_file(client_for: Any, world: Any) -> None:
    start(client_for("district_leader"), world, csv_bytes([HEADER, *result_rows(world, 2)]))
    data_import = DataImport.objects.get()
    page = client_for("state_admin").get(data_import.get_absolute_url()).content.decode()
    assert "Only the person who uploaded the file sees its rows" in page
    assert "IMP00001" not in page
    assert "Which column is which" in page


def test_a_mapping_with_missing_fields_comes_back_with_its_messages(
    client_for: Any, world: Any
) -> None:
    client = client_for("district_leader")
    start(client, world, csv_bytes([HEADER, *result_rows(world, 2)]))
    data_import = DataImport.objects.get()
    response = client.post(reverse("imports:check", args=[data_import.pk]), {"column_student": "0"})
    assert response.status_code == 400
    form = response.context["mapping_form"]
    assert form.errors["column_grade"] == ["Choose the column that holds this."]
    assert DataImport.objects.get().status == ImportStatus.UPLOADED


def test_a_file_that_is_not_a_table_is_refused_on_the_form(client_for: Any, world: Any) -> None:
    response = start(client_for("district_leader"), world, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    assert response.status_code == 400
    assert "a .pdf file" in response.content.decode()
    assert not DataImport.objects.exists()


def test_a_principal_cannot_start_an_assessment_import(client_for: Any, world: Any) -> None:
    response = start(
        client_for("principal"),
        world,
        csv_bytes([HEADER, *result_rows(world, 1)]),
        place=f"school-{world.school.pk}",
    )
    assert response.status_code == 400
    assert not DataImport.objects.exists()


def test_the_progress_panel_reloads_the_page_once_the_work_is_done(
    client_for: Any, world: Any
) -> None:
    data_import = district_import(world)
    response = client_for("district_leader").get(
        reverse("imports:progress", args=[data_import.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response["HX-Refresh"] == "true"


def test_cancel_returns_to_the_list(client_for: Any, world: Any) -> None:
    data_import = district_import(world)
    response = client_for("district_leader").post(reverse("imports:cancel", args=[data_import.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:list")
    data_import.refresh_from_db()
    assert data_import.status == ImportStatus.CANCELLED
