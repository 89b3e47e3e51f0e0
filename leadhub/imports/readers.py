"""Reading an uploaded table a row at a time: CSV (any common delimiter) or XLSX.

Rows come out as lists of trimmed strings with their line in the file, so the staging
step never holds more than one row of the file in memory for CSV. XLSX is read with
python-calamine, which parses the sheet in Rust before handing rows out one by one.
"""

from __future__ import annotations

import _csv
import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import filetype
from django.core.exceptions import ValidationError
from python_calamine import CalamineError, CalamineWorkbook

from leadhub.files.content import looks_like_text

SAMPLE_BYTES = 64 * 1024
DELIMITERS = (",", ";", "\t", "|")
# csv's default field limit (128 KB) stays: a longer cell is a broken file, not data.
CSV_FORMAT = "csv"
XLSX_FORMAT = "xlsx"


class UnreadableFile(ValueError):
    """The file cannot be read as a table; the message says why, for the person."""


@dataclass(frozen=True)
class Table:
    """The header row and an iterator over the data rows: (line in the file, cells)."""

    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]
    # How much of the file has been read, 0 to 1: progress while the total is unknown.
    fraction_read: Callable[[], float]


def detect_format(path: Path, name: str) -> str:
    """``csv`` or ``xlsx`` judged by the bytes, never by the name; raises ValidationError."""
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    if not sample:
        raise ValidationError("This file is empty.", code="empty")
    guess = filetype.guess(sample)
    if guess is not None and guess.mime in {
        "application/zip",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }:
        return _checked_workbook(path)
    if guess is None and looks_like_text(_whole_lines(sample)):
        return CSV_FORMAT
    found = f"a .{guess.extension} file" if guess is not None else "not a table LeadHub can read"
    raise ValidationError(
        f"The content of this file is {found}, whatever its name says. Save it as CSV or "
        "as an Excel workbook (.xlsx) and upload that.",
        code="type_not_allowed",
    )


def _whole_lines(sample: bytes) -> bytes:
    """The sample cut at its last line break, so a character split at the end is not
    taken for binary content."""
    end = sample.rfind(b"\n")
    return sample[: end + 1] if end > 0 else sample


def _checked_workbook(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError) as error:
        raise ValidationError(
            "This workbook is damaged or incomplete and could not be read.", code="bad_office"
        ) from error
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise ValidationError(
            "This workbook contains macros, which LeadHub does not accept. Save a copy as "
            "an .xlsx workbook without macros and upload that.",
            code="macros",
        )
    if "xl/workbook.xml" not in names:
        raise ValidationError(
            "This is a ZIP archive, not an Excel workbook. Upload the CSV or .xlsx file itself.",
            code="type_not_allowed",
        )
    return XLSX_FORMAT


@contextmanager
def table_open(path: Path, file_format: str) -> Iterator[Table]:
    """The file as a :class:`Table`; raises UnreadableFile when it has no header row."""
    if file_format == CSV_FORMAT:
        with _csv_text(path) as text:
            yield _csv_table(text, path.stat().st_size)
    else:
        yield _xlsx_table(path)


@contextmanager
def _csv_text(path: Path) -> Iterator[io.TextIOWrapper[io.BufferedReader]]:
    with path.open("rb") as raw:
        sample = _whole_lines(raw.read(SAMPLE_BYTES))
    encoding = "utf-8-sig"
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the Windows encoding, not UTF-8.
        encoding = "cp1252"
    # Bytes that do not decode become U+FFFD: the row's checks then report the cell.
    with io.TextIOWrapper(path.open("rb"), encoding=encoding, errors="replace", newline="") as text:
        yield text


def _delimiter(first_line: str) -> str:
    """The delimiter the header line uses most; a one-column file has none, so a comma."""
    counts = {d: first_line.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_table(text: io.TextIOWrapper[io.BufferedReader], size: int) -> Table:
    first = text.readline()
    text.seek(0)
    reader = csv.reader(text, delimiter=_delimiter(first))

    def fraction_read() -> float:
        return text.buffer.tell() / size if size else 1.0

    try:
        for row in reader:
            headers = [cell.strip() for cell in row]
            if any(headers):
                return Table(headers=headers, rows=_csv_rows(reader), fraction_read=fraction_read)
    except csv.Error as error:
        raise UnreadableFile(f"Line {reader.line_num} could not be read: {error}.") from error
    raise UnreadableFile("This file has no header row: the first line should name the columns.")


def _csv_rows(reader: _csv.Reader) -> Iterator[tuple[int, list[str]]]:
    try:
        for row in reader:
            cells = [cell.strip() for cell in row]
            if any(cells):
                yield reader.line_num, cells
    except csv.Error as error:
        raise UnreadableFile(f"Line {reader.line_num} could not be read: {error}.") from error


def _xlsx_table(path: Path) -> Table:
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
    except CalamineError as error:
        raise UnreadableFile("This workbook could not be read: it may be damaged.") from error
    # iter_rows starts at the sheet's first row, whichever row the table starts on.
    rows = iter(enumerate(sheet.iter_rows(), start=1))
    height = max(sheet.height, 1)
    position = [0]

    def fraction_read() -> float:
        return position[0] / height

    for _, row in rows:
        headers = [xlsx_text(cell) for cell in row]
        if any(headers):
            return Table(
                headers=headers, rows=_xlsx_rows(rows, position), fraction_read=fraction_read
            )
    raise UnreadableFile("The first sheet is empty: put the table on the workbook's first sheet.")


def _xlsx_rows(
    rows: Iterator[tuple[int, list[Any]]], position: list[int]
) -> Iterator[tuple[int, list[str]]]:
    for line, row in rows:
        position[0] = line
        cells = [xlsx_text(cell) for cell in row]
        if any(cells):
            yield line, cells


def xlsx_text(cell: object) -> str:
    """A cell as the text a person typed: 3 not 3.0, dates as ISO 8601."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell).strip()


def preview_rows(path: Path, file_format: str, *, count: int) -> tuple[list[str], list[list[str]]]:
    """The headers and the first ``count`` data rows, padded to the header's width."""
    with table_open(path, file_format) as table:
        width = len(table.headers)
        rows = []
        for _, cells in table.rows:
            rows.append((cells + [""] * width)[:width])
            if len(rows) == count:
                break
        return table.headers, rows
