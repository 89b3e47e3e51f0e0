"""Reading uploaded tables: formats judged by content, delimiters, encodings, XLSX cells."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from leadhub.imports.readers import (
    UnreadableFile,
    detect_format,
    preview_rows,
    table_open,
    xlsx_text,
)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def rows_of(path: Path, file_format: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    with table_open(path, file_format) as table:
        return table.headers, list(table.rows)


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_the_delimiter_is_the_one_the_header_line_uses(tmp_path: Path, delimiter: str) -> None:
    text = delimiter.join(["SSID", "Scale Score", "Window"]) + "\n"
    text += delimiter.join(["123", "201.5", "Fall"]) + "\n"
    path = write(tmp_path, "r.csv", text.encode())
    headers, rows = rows_of(path, "csv")
    assert headers == ["SSID", "Scale Score", "Window"]
    assert rows == [(2, ["123", "201.5", "Fall"])]


def test_a_byte_order_mark_and_windows_line_ends_are_tolerated(tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", b"\xef\xbb\xbfSSID,Grade\r\n1,3\r\n")
    headers, rows = rows_of(path, "csv")
    assert headers == ["SSID", "Grade"]
    assert rows == [(2, ["1", "3"])]


def test_excels_windows_encoding_is_read_when_the_file_is_not_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", "School,Note\nÉcole Nord,café\n".encode("cp1252"))
    headers, rows = rows_of(path, "csv")
    assert headers == ["School", "Note"]
    assert rows[0][1] == ["École Nord", "café"]


def test_blank_lines_are_skipped_and_lines_keep_their_numbers(tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", b"\nSSID,Grade\n1,3\n,\n\n2,4\n")
    headers, rows = rows_of(path, "csv")
    assert headers == ["SSID", "Grade"]
    assert rows == [(3, ["1", "3"]), (6, ["2", "4"])]


def test_cells_are_trimmed(tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", b"SSID , Grade\n 1 ,3 \n")
    headers, rows = rows_of(path, "csv")
    assert headers == ["SSID", "Grade"]
    assert rows == [(2, ["1", "3"])]


def test_a_file_without_a_header_row_cannot_be_read(tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", b"\n\n,,\n")
    with pytest.raises(UnreadableFile, match="no header row"):
        rows_of(path, "csv")


def test_the_preview_pads_short_rows_to_the_headers_width(tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", b"a,b,c\n1\n2,3,4,5\n6,7,8\n")
    headers, rows = preview_rows(path, "csv", count=2)
    assert headers == ["a", "b", "c"]
    assert rows == [["1", "", ""], ["2", "3", "4"]]


def test_xlsx_cells_read_as_the_text_a_person_typed(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["SSID", "Perf Level", "Scale Score", "Date", "Flag"])
    sheet.append(["0042", 3, 201.5, dt.date(2025, 9, 1), True])
    sheet.append([None, None, None, None, None])
    sheet.append([1234567, 4.0, 210, dt.datetime(2025, 9, 2, 0, 0), False])  # noqa: DTZ001 (Excel has no zones)
    book.save(tmp_path / "r.xlsx")
    path = tmp_path / "r.xlsx"
    assert detect_format(path, "anything.csv") == "xlsx"
    headers, rows = rows_of(path, "xlsx")
    assert headers == ["SSID", "Perf Level", "Scale Score", "Date", "Flag"]
    assert rows == [
        (2, ["0042", "3", "201.5", "2025-09-01", "TRUE"]),
        (4, ["1234567", "4", "210", "2025-09-02", "FALSE"]),
    ]


def test_xlsx_text_keeps_times_that_are_not_midnight() -> None:
    naive = dt.datetime(2025, 9, 2, 8, 30)  # noqa: DTZ001 (Excel has no zones)
    assert xlsx_text(naive) == "2025-09-02T08:30:00"
    assert xlsx_text(None) == ""


def test_the_type_comes_from_the_content_not_the_name(tmp_path: Path) -> None:
    assert detect_format(write(tmp_path, "r.xlsx", b"SSID,Grade\n1,3\n"), "r.xlsx") == "csv"
    pdf = write(tmp_path, "r.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    with pytest.raises(ValidationError, match="a .pdf file"):
        detect_format(pdf, "r.csv")
    binary = write(tmp_path, "b.csv", bytes(range(256)) * 4)
    with pytest.raises(ValidationError, match="not a table"):
        detect_format(binary, "b.csv")


def test_workbooks_with_macros_and_plain_zip_archives_are_refused(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "m.xlsx", "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/vbaProject.bin", b"\x00")
    with pytest.raises(ValidationError, match="macros"):
        detect_format(tmp_path / "m.xlsx", "m.xlsx")
    with zipfile.ZipFile(tmp_path / "z.xlsx", "w") as archive:
        archive.writestr("results.csv", "SSID\n1\n")
    with pytest.raises(ValidationError, match="not an Excel workbook"):
        detect_format(tmp_path / "z.xlsx", "z.xlsx")
