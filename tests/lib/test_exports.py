"""CSV and XLSX downloads: hostile cells stay inert, headers are right, each export is audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.test import RequestFactory

from leadhub.audit.models import AuditEvent
from leadhub.lib.exports import Column, content_disposition, export_response

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://evil.test","x")', "+1", "-2", "@SUM(A1)", "\tx", "\rx", "=1+1"]
COLUMNS = [
    Column("note", "Note", lambda row: row["note"]),
    Column("count", "Count", lambda row: row["count"]),
    Column("share", "Share (%)", lambda row: row["share"]),
    Column("on", "Day", lambda row: row["on"]),
]
ROWS = [
    {"note": text, "count": -2, "share": Decimal("48.5"), "on": dt.date(2026, 1, 5)}
    for text in HOSTILE
]


def download(world, fmt: str, *, bom: bool = False, stem: str = "Schools 2025–26"):
    request = RequestFactory().get("/export/")
    request.user = world.people["district_leader"]
    return export_response(
        request=request,
        filename_stem=stem,
        columns=COLUMNS,
        rows=ROWS,
        fmt=fmt,
        bom=bom,
        audit_object=("district", world.district.pk),
        district_id=world.district.pk,
    )


def csv_text(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def test_csv_neutralizes_every_cell_that_could_start_a_formula(world) -> None:
    rows = list(csv.reader(io.StringIO(csv_text(download(world, "csv")), newline="")))

    assert rows[0] == ["note", "count", "share", "on"]
    assert [row[0] for row in rows[1:]] == [f"'{text}" for text in HOSTILE]
    # Numbers stay numbers and dates are ISO 8601: only text a person typed is touched.
    assert rows[1][1:] == ["-2", "48.5", "2026-01-05"]


def test_csv_is_rfc_4180_with_crlf_line_ends_and_quoted_fields(world) -> None:
    text = csv_text(download(world, "csv"))
    assert text.startswith("note,count,share,on\r\n")
    assert '"\'=HYPERLINK(""http://evil.test"",""x"")"' in text
    assert '"\'\rx"' in text  # a carriage return inside a cell is quoted, not a line end


def test_the_bom_is_there_only_when_asked_for(world) -> None:
    plain = b"".join(download(world, "csv").streaming_content)
    for_excel = b"".join(download(world, "csv", bom=True).streaming_content)
    assert not plain.startswith(b"\xef\xbb\xbf")
    assert for_excel.startswith(b"\xef\xbb\xbfnote,")
    assert for_excel[3:] == plain


def test_xlsx_stores_hostile_text_as_exact_strings_never_formulas(world) -> None:
    response = download(world, "xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row]

    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    # XML itself reads a carriage return back as a line feed; everything else is exact.
    assert [cell.value for cell in sheet["A"]] == [
        "Note",
        *[t.replace("\r", "\n") for t in HOSTILE],
    ]
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in sheet["A"][1:])
    count, share, day = sheet["B2"], sheet["C2"], sheet["D2"]
    assert (count.value, count.data_type) == (-2, "n")
    assert share.value == pytest.approx(48.5)
    assert day.value.date() == dt.date(2026, 1, 5) and day.number_format == "yyyy-mm-dd"
    # The second sheet ties the people's headers to the CSV's machine names.
    assert [[c.value for c in row] for row in book["Columns"].iter_rows()][1] == ["Note", "note"]


def test_downloads_are_attachments_with_a_non_ascii_name_and_never_cached(world) -> None:
    for fmt, content_type in [
        ("csv", "text/csv; charset=utf-8; header=present"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ]:
        response = download(world, fmt, stem="École Saint-Jean 2025–26")
        assert response["Content-Type"] == content_type
        assert response["Cache-Control"] == "no-store"
        assert response["Content-Disposition"] == (
            f'attachment; filename="Ecole-Saint-Jean-2025-26.{fmt}"; '
            f"filename*=UTF-8''%C3%89cole%20Saint-Jean%202025%E2%80%9326.{fmt}"
        )


def test_a_filename_with_quotes_or_slashes_cannot_break_the_header() -> None:
    header = content_disposition('a"b/c\\d;e.csv')
    assert header.startswith('attachment; filename="a-b-c-d-e.csv"; ')
    assert header.endswith("filename*=UTF-8''a%22b%2Fc%5Cd%3Be.csv")


def test_each_export_writes_one_audit_event_with_identifiers_only(world) -> None:
    download(world, "csv")
    download(world, "xlsx")
    events = list(AuditEvent.objects.filter(action="export"))
    assert len(events) == 2
    for event in events:
        assert (event.object_type, event.object_id) == ("district", str(world.district.pk))
        assert event.district_id == world.district.pk
        assert event.actor == world.people["district_leader"]
        assert event.outcome == AuditEvent.Outcome.OK
