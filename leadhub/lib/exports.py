"""Downloads of tabular data as CSV or XLSX, safe to open in a spreadsheet.

CSV follows RFC 4180 (the csv module, CRLF line ends) in UTF-8, with an optional
byte-order mark so older Excel reads the accents right. The header row holds stable
machine names (``Column.name``) so a district can join files year after year; the
workbook shows the human headers and lists the machine names on a second sheet.

Text a person typed can start a formula in a spreadsheet (``=HYPERLINK(…)``). In CSV
such text gets a leading apostrophe; in XLSX it is written as a plain string cell, never
a formula. Numbers stay numbers; dates are ISO 8601.

Every export writes one audit event: who exported what, never the cells themselves.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils.cache import patch_cache_control
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from leadhub.audit.services import audit_record

Format = Literal["csv", "xlsx"]
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
UTF8_BOM = "\ufeff"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8; header=present"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    """One column: its stable machine ``name``, its ``header`` for people, how to read a row."""

    name: str
    header: str
    value: Callable[[Any], object]


def neutralize(text: str) -> str:
    """Text that a spreadsheet would run as a formula, made inert with a leading apostrophe."""
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


def csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return str(value)
    return neutralize(str(value))


def csv_lines(columns: list[Column], rows: Iterable[Any], *, bom: bool) -> Iterator[str]:
    """The CSV text, a line at a time, so a large export never sits whole in memory."""

    class Line:
        def write(self, text: str) -> str:
            return text

    writer = csv.writer(Line(), lineterminator="\r\n")
    yield (UTF8_BOM if bom else "") + writer.writerow([column.name for column in columns])
    for row in rows:
        yield writer.writerow([csv_cell(column.value(row)) for column in columns])


def xlsx_cell(sheet: WriteOnlyWorksheet, value: object) -> WriteOnlyCell:
    if isinstance(value, dt.datetime):
        # Excel has no time zones: keep the offset by writing the ISO 8601 text.
        return xlsx_text_cell(sheet, value.isoformat())
    if value is None or isinstance(value, bool | int | float | Decimal | dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, dt.date):
            cell.number_format = "yyyy-mm-dd"
        return cell
    return xlsx_text_cell(sheet, str(value))


def xlsx_text_cell(sheet: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    """A string cell, whatever the text starts with: openpyxl would otherwise store
    ``=…`` as a formula. quotePrefix keeps Excel from re-reading it as one after an edit."""
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True
    return cell


def xlsx_bytes(columns: list[Column], rows: Iterable[Any], *, sheet_title: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=re.sub(r"[\[\]:*?/\\]", "-", sheet_title)[:31] or "Export")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = xlsx_text_cell(sheet, column.header)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([xlsx_cell(sheet, column.value(row)) for column in columns])
    about = book.create_sheet(title="Columns")
    about.append([xlsx_text_cell(about, "header"), xlsx_text_cell(about, "machine_name")])
    for column in columns:
        about.append([xlsx_text_cell(about, column.header), xlsx_text_cell(about, column.name)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ascii_filename(filename: str) -> str:
    """A plain-ASCII stand-in for clients that ignore ``filename*``: École → Ecole."""
    dashed = filename.translate({0x2013: "-", 0x2014: "-"})
    folded = unicodedata.normalize("NFKD", dashed).encode("ascii", "ignore").decode()
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", folded).strip("-.")
    return safe or "download"


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII ``filename`` and the exact UTF-8 ``filename*`` (RFC 6266)."""
    return (
        f'attachment; filename="{ascii_filename(filename)}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}"
    )


def download_headers(response: HttpResponseBase, *, filename: str) -> HttpResponseBase:
    """Headers every download shares: saved as a file, never kept in a shared cache."""
    response["Content-Disposition"] = content_disposition(filename)
    patch_cache_control(response, no_store=True)
    return response


def export_response(
    *,
    request: HttpRequest,
    filename_stem: str,
    columns: list[Column],
    rows: Iterable[Any],
    fmt: Format,
    bom: bool = False,
    audit_object: tuple[str, object],
    district_id: int | None = None,
) -> HttpResponseBase:
    """A download of ``rows`` as CSV (streamed) or XLSX, with one audit event for it.

    ``audit_object`` is the (type, identifier) of what was exported, e.g. ``("district", 7)``.
    """
    response: HttpResponseBase
    if fmt == "csv":
        response = StreamingHttpResponse(
            csv_lines(columns, rows, bom=bom), content_type=CSV_CONTENT_TYPE
        )
    elif fmt == "xlsx":
        response = HttpResponse(
            xlsx_bytes(columns, rows, sheet_title=filename_stem),
            content_type=XLSX_CONTENT_TYPE,
        )
    else:
        raise ValueError(f"Unknown export format {fmt!r}")
    object_type, object_id = audit_object
    audit_record(
        action="export",
        object_type=object_type,
        object_id=object_id,
        district_id=district_id,
        request=request,
    )
    return download_headers(response, filename=f"{filename_stem}.{fmt}")
