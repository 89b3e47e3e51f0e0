"""Downloads from organization pages: the district's school list (CSV, XLSX), the school fact
sheet (PDF), and the charts on the school page."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from leadhub.audit.models import AuditEvent
from leadhub.lib.pdf import pdf_document
from leadhub.orgs.models import School
from leadhub.orgs.views import school_fact_sheet_context

pytestmark = pytest.mark.django_db

HOSTILE_NAME = '=HYPERLINK("http://evil.test","Click")'


def school_list(client, world, fmt: str, query: str = ""):
    return client.get(reverse(f"orgs:district_schools_{fmt}", args=[world.district.pk]) + query)


def test_a_teacher_downloads_the_districts_schools_as_csv_with_this_years_values(
    world, client_for
) -> None:
    response = school_list(client_for("teacher"), world, "csv")

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="Maple-Grove-CUSD-1-schools-'
    )
    text = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [row["school_name"] for row in rows] == ["Douglass Middle", "Lincoln Elementary"]
    lincoln = rows[1]
    assert lincoln["school_state_id"] == world.school.state_id
    assert lincoln["district_state_id"] == world.district.state_id
    assert lincoln["school_year"] == f"{world.year - 1}-{world.year % 100:02d}"
    assert (lincoln["enrollment"], lincoln["pct_low_income"], lincoln["locale"]) == (
        "420",
        "48.5",
        "suburb",
    )
    # Douglass Middle has only last year's values: this year's cells are empty, not guessed.
    assert rows[0]["enrollment"] == "" and rows[0]["school_nces_id"] == world.sibling_school.nces_id
    assert world.other_school.name not in text


def test_the_csv_for_older_excel_starts_with_a_byte_order_mark(world, client_for) -> None:
    body = b"".join(school_list(client_for("principal"), world, "csv", "?bom=1").streaming_content)
    assert body.startswith(b"\xef\xbb\xbfdistrict_state_id,")


def test_a_school_name_that_looks_like_a_formula_stays_text_in_both_formats(
    world, client_for
) -> None:
    School.objects.filter(pk=world.school.pk).update(name=HOSTILE_NAME)
    client = client_for("district_leader")

    text = b"".join(school_list(client, world, "csv").streaming_content).decode()
    names = [row["school_name"] for row in csv.DictReader(io.StringIO(text, newline=""))]
    assert f"'{HOSTILE_NAME}" in names

    book = openpyxl.load_workbook(io.BytesIO(school_list(client, world, "xlsx").content))
    sheet = book.worksheets[0]
    assert [cell.value for cell in sheet[1]][:4] == [
        "District state identifier",
        "School state identifier",
        "NCES school identifier",
        "School",
    ]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    name_cells = [cell for cell in sheet["D"] if cell.value == HOSTILE_NAME]
    assert len(name_cells) == 1 and name_cells[0].data_type == "s"


def test_every_download_of_the_school_list_is_audited(world, client_for) -> None:
    client = client_for("instructional_coach")
    school_list(client, world, "csv")
    school_list(client, world, "xlsx")
    events = AuditEvent.objects.filter(action="export", object_type="district")
    assert events.count() == 2
    assert {e.object_id for e in events} == {str(world.district.pk)}
    assert {e.actor_id for e in events} == {world.people["instructional_coach"].pk}


def test_someone_outside_the_district_cannot_download_its_schools(world, client_for) -> None:
    assert school_list(client_for("outsider"), world, "csv").status_code == 404
    assert school_list(client_for("outsider"), world, "xlsx").status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_district_page_offers_the_downloads(world, client_for) -> None:
    html = (
        client_for("teacher")
        .get(reverse("orgs:district_detail", args=[world.district.pk]))
        .content.decode()
    )
    assert reverse("orgs:district_schools_xlsx", args=[world.district.pk]) in html
    assert reverse("orgs:district_schools_csv", args=[world.district.pk]) + "?bom=1" in html


def test_a_teacher_downloads_the_school_fact_sheet_as_a_pdf(world, client_for) -> None:
    response = client_for("teacher").get(reverse("orgs:school_fact_sheet", args=[world.school.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"] == (
        'attachment; filename="Lincoln-Elementary-fact-sheet.pdf"; '
        "filename*=UTF-8''Lincoln%20Elementary%20fact%20sheet.pdf"
    )
    assert response.content.startswith(b"%PDF-")
    event = AuditEvent.objects.get(action="export")
    assert (event.object_type, event.object_id, event.district_id) == (
        "school",
        str(world.school.pk),
        world.district.pk,
    )


def test_the_fact_sheet_is_one_page_with_the_schools_years_programs_and_hub(world) -> None:
    document = pdf_document(
        "orgs/school_fact_sheet.html",
        school_fact_sheet_context(world.school),
        base_url="http://testserver/",
    )

    assert len(document.pages) == 1
    text = page_text(document.pages[0])
    assert "Lincoln Elementary" in text
    assert "Enrollment was 420 in" in text  # the chart's words
    assert "Bilingual / English learner program" in text
    assert "North Test Hub" in text
    assert "Tier 2 · targeted support" in text


def test_the_school_page_draws_enrollment_and_low_income_charts_with_tables(
    world, client_for
) -> None:
    response = client_for("teacher").get(reverse("orgs:school_detail", args=[world.school.pk]))
    charts = response.context["charts"]
    assert [chart.title for chart in charts] == ["Enrollment", "Students from low-income families"]
    html = response.content.decode()
    assert html.count('role="img"') == 2
    assert html.count("Show the data as a table") == 2
    assert charts[0].description in html
    assert reverse("orgs:school_fact_sheet", args=[world.school.pk]) in html
    assert "style=" not in html


def page_text(page) -> str:
    def walk(box):
        if getattr(box, "text", None):
            yield box.text
        for child in getattr(box, "children", []):
            yield from walk(child)

    return " ".join(walk(page._page_box))
