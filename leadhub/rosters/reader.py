"""Reading one CSV of a package: its header against the standard, then its rows, checked.

Headers are matched by name: a difference in capitals or a known misspelling is read
as the column meant, with a warning; ``metadata.*`` extension columns and unknown
columns are set aside with a warning. A missing column LeadHub needs refuses the file;
a missing column it does not need is a warning.

Short rows are read when they can be: the cells missing at the end are taken as blank
(a warning), and only if one of them needed a value is the line a problem. Rows marked
``tobedeleted`` are checked for their sourcedId only, since all a removal needs is to
know what is removed.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from leadhub.rosters.issues import Issues
from leadhub.rosters.package import Package, PackageFile
from leadhub.rosters.spec import (
    KNOWN_MISSPELLINGS,
    STATUSES,
    USERS_OLDER_COLUMN,
    Column,
    FileSpec,
    Kind,
    Mode,
)

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
YEAR = re.compile(r"^\d{4}$")
MAX_ID_LENGTH = 255
# Values a message may quote: codes, dates and flags, never names or identifiers.
QUOTABLE = frozenset({Kind.ENUM, Kind.DATE, Kind.BOOLEAN, Kind.YEAR, Kind.STATUS, Kind.MODIFIED})


@dataclass
class Row:
    line: int
    present: bool
    values: dict[str, Any]


@dataclass
class _Header:
    index: dict[str, int]
    width: int
    password: int | None


class _FileReader:
    def __init__(self, spec: FileSpec, pf: PackageFile, issues: Issues) -> None:
        self.spec, self.file, self.mode, self.issues = spec, pf.member, pf.mode, issues

    # Header ----------------------------------------------------------------------

    def header(self, cells: list[str]) -> _Header | None:
        names = {c.name for c in self.spec.columns}
        by_lower = {c.name.lower(): c.name for c in self.spec.columns}
        index: dict[str, int] = {}
        metadata: list[str] = []
        password = None
        ok = True
        for position, raw in enumerate(cells):
            name = raw.strip()
            canonical = self._canonical(name, names, by_lower, position)
            if name.lower().startswith("metadata."):
                metadata.append(name)
                continue
            if canonical is None:
                continue
            if canonical in index:
                self.issues.problem(
                    self.file,
                    1,
                    canonical,
                    "column_duplicate",
                    "This column appears twice in the header; LeadHub cannot tell which to read.",
                )
                ok = False
                continue
            index[canonical] = position
            if canonical == "password":
                password = position
        if metadata:
            self.issues.warn(
                self.file,
                1,
                ", ".join(metadata)[:100],
                "metadata_columns",
                "LeadHub does not read metadata extension columns; they were set aside.",
            )
        for column in self.spec.columns:
            if column.name not in index:
                ok = self._missing_column(column) and ok
        return _Header(index, len(cells), password) if ok else None

    def _canonical(
        self, name: str, names: set[str], by_lower: dict[str, str], position: int
    ) -> str | None:
        if name in names:
            return name
        if not name:
            self.issues.warn(
                self.file,
                1,
                "",
                "column_unnamed",
                f"Column {position + 1} of the header has no name; it was set aside.",
                key=str(position),
            )
            return None
        if self.spec.name == "users" and name == USERS_OLDER_COLUMN:
            return None  # the first 1.2 binding's column: accepted, not read
        if name.lower().startswith("metadata."):
            return None
        lower = name.lower()
        if lower in by_lower:
            self.issues.warn(
                self.file,
                1,
                name[:100],
                "header_case",
                f"The column should be named {by_lower[lower]} (capitals differ); it was "
                "read as that.",
            )
            return by_lower[lower]
        meant = KNOWN_MISSPELLINGS.get(lower)
        if meant in names:
            self.issues.warn(
                self.file,
                1,
                name[:100],
                "header_spelling",
                f"The column should be named {meant}; it was read as that.",
            )
            return meant
        self.issues.warn(
            self.file,
            1,
            name[:100],
            "column_unknown",
            "OneRoster 1.2 has no such column in this file; it was set aside.",
        )
        return None

    def _missing_column(self, column: Column) -> bool:
        needed = (column.required and column.read) or (
            self.mode is Mode.DELTA and column.kind in (Kind.STATUS, Kind.MODIFIED)
        )
        if needed:
            self.issues.problem(
                self.file,
                1,
                column.name,
                "column_missing",
                "The header lacks this column, which LeadHub needs.",
            )
            return False
        self.issues.warn(
            self.file,
            1,
            column.name,
            "column_missing_optional",
            "The header lacks this column; its values were taken as blank.",
        )
        return True

    # Rows --------------------------------------------------------------------------

    def row(self, cells: list[str], line: int, header: _Header) -> Row | None:
        if len(cells) < header.width:
            self.issues.warn(
                self.file,
                line,
                "",
                "short_rows",
                f"The line has fewer cells than the header ({len(cells)} of {header.width}); "
                "the missing cells at the end were taken as blank.",
            )
        elif len(cells) > header.width and any(c.strip() for c in cells[header.width :]):
            self.issues.warn(
                self.file,
                line,
                "",
                "extra_cells",
                "The line has more cells than the header; the extra cells were set aside.",
            )
        if header.password is not None and _cell(cells, header.password):
            self.issues.warn(
                self.file,
                line,
                "password",
                "passwords_present",
                "The file carries passwords. LeadHub never reads or keeps them; leave them "
                "out of the export if the system allows.",
            )
        status = self._status(cells, line, header)
        present = status is not False
        values: dict[str, Any] = {}
        for column in self.spec.columns:
            if not column.read or column.kind in (Kind.STATUS, Kind.MODIFIED):
                continue
            position = header.index.get(column.name)
            raw = _cell(cells, position) if position is not None else ""
            check = present or column.name == "sourcedId"
            values[column.name] = self._value(column, raw, line, quiet=not check)
        # A row with a problem is staged all the same (the package is refused anyway), so
        # rows pointing at it are not reported as pointing at nothing.
        return Row(line, present, values) if values["sourcedId"] else None

    def _status(self, cells: list[str], line: int, header: _Header) -> bool | None:
        """Whether the row is present (True) or removed (False); None for a bad status
        (a problem, recorded here)."""
        status = _cell(cells, header.index.get("status"))
        modified = _cell(cells, header.index.get("dateLastModified"))
        canonical = next((s for s in STATUSES if s == status.lower()), None)
        if self.mode is Mode.BULK:
            if status:
                self.issues.warn(
                    self.file,
                    line,
                    "status",
                    "bulk_status_filled",
                    "In a bulk file status is left blank. LeadHub read “tobedeleted” as a "
                    "removal and took every other row as present.",
                    status,
                )
            if modified:
                self.issues.warn(
                    self.file,
                    line,
                    "dateLastModified",
                    "bulk_modified_filled",
                    "In a bulk file dateLastModified is left blank; it was set aside.",
                    modified,
                )
            return canonical != "tobedeleted"
        ok = True
        if canonical is None:
            self.issues.problem(
                self.file,
                line,
                "status",
                "value_invalid" if status else "value_missing",
                "A delta row needs its status: active or tobedeleted.",
                status,
            )
            ok = False
        elif canonical != status:
            self.issues.warn(
                self.file,
                line,
                "status",
                "enum_case",
                f"OneRoster writes status in lower case; read as “{canonical}”.",
                status,
            )
        if _datetime(modified) is None:
            self.issues.problem(
                self.file,
                line,
                "dateLastModified",
                "value_invalid" if modified else "value_missing",
                "A delta row needs dateLastModified as an ISO 8601 date and time, such as "
                "2026-03-14T08:00:00Z.",
                modified,
            )
            ok = False
        return canonical != "tobedeleted" if ok else None

    def _value(self, column: Column, raw: str, line: int, *, quiet: bool) -> Any:
        """The typed value of a cell; a bad value is reported (unless ``quiet``) and blank."""
        if column.kind is Kind.LIST:
            items = [item.strip() for item in raw.split(",") if item.strip()]
            if not items and column.required and not quiet:
                self._missing(column, line)
            return items
        if not raw:
            if column.required and not quiet:
                self._missing(column, line)
            return _blank(column)
        if column.kind is Kind.ID and len(raw) > MAX_ID_LENGTH:
            if not quiet:
                self.issues.problem(
                    self.file,
                    line,
                    column.name,
                    "value_too_long",
                    f"A sourcedId can be at most {MAX_ID_LENGTH} characters long.",
                )
            return ""
        parsed = _parse(column, raw)
        if parsed is None:
            if not quiet:
                self._bad(column, raw, line)
            return _blank(column)
        value, exact = parsed
        if not exact and not quiet:
            self._case_warning(column, raw, value, line)
        return value

    def _missing(self, column: Column, line: int) -> None:
        self.issues.problem(
            self.file, line, column.name, "value_missing", "This column needs a value."
        )

    def _bad(self, column: Column, raw: str, line: int) -> None:
        expected = _expected(column)
        quoted = raw if column.kind in QUOTABLE else ""
        if column.required:
            self.issues.problem(
                self.file, line, column.name, "value_invalid", f"{expected}.", quoted
            )
        else:
            self.issues.warn(
                self.file,
                line,
                column.name,
                "value_ignored",
                f"{expected}; the value was set aside.",
                quoted,
            )

    def _case_warning(self, column: Column, raw: str, value: Any, line: int) -> None:
        if column.kind is Kind.BOOLEAN:
            self.issues.warn(
                self.file,
                line,
                column.name,
                "boolean_case",
                f"OneRoster writes true and false in lower case; read as “{str(value).lower()}”.",
                raw,
            )
        else:
            self.issues.warn(
                self.file,
                line,
                column.name,
                "enum_case",
                f"The value differs from the standard's only in capitals; read as “{value}”.",
                raw,
            )


def read_rows(package: Package, pf: PackageFile, spec: FileSpec, issues: Issues) -> Iterator[Row]:
    """The rows of one file that passed their checks; problems go to ``issues``."""
    reader = _FileReader(spec, pf, issues)
    with package.open_text(pf.member) as text:
        yield from _rows(reader, text, issues)


def _rows(reader: _FileReader, text: IO[str], issues: Issues) -> Iterator[Row]:
    lines = csv.reader(text)
    try:
        first = next(lines, None)
        if first is None:
            issues.problem(
                reader.file,
                None,
                "",
                "file_empty",
                "The file is empty. A file with nothing to send is declared absent in the "
                "manifest instead.",
            )
            return
        header = reader.header(first)
        if header is None:
            return
        previous = lines.line_num
        for cells in lines:
            line, previous = previous + 1, lines.line_num
            if not any(cell.strip() for cell in cells):
                continue
            row = reader.row(cells, line, header)
            if row is not None:
                yield row
    except UnicodeDecodeError:
        issues.problem(
            reader.file,
            lines.line_num + 1,
            "",
            "not_utf8",
            "The file is not in UTF-8 from this line on. Save or export it as UTF-8 CSV.",
        )
    except csv.Error as error:
        issues.problem(
            reader.file,
            lines.line_num,
            "",
            "csv_malformed",
            f"The CSV cannot be read here ({error}). Check the quotes on this line.",
        )
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        issues.problem(
            reader.file,
            None,
            "",
            "zip_damaged",
            f"The ZIP is damaged and this file cannot be read to the end ({error}).",
        )


def _cell(cells: list[str], position: int | None) -> str:
    if position is None or position >= len(cells):
        return ""
    return cells[position].strip()


def _blank(column: Column) -> Any:
    return "" if column.kind in (Kind.TEXT, Kind.ID, Kind.ENUM) else None


def _parse(column: Column, raw: str) -> tuple[Any, bool] | None:
    """(value, exactly as the standard writes it) or None when it cannot be read."""
    if column.kind in (Kind.TEXT, Kind.ID):
        return raw, True
    if column.kind is Kind.ENUM:
        if raw in column.choices or raw.startswith("ext:"):
            return raw, True
        lowered = {choice.lower(): choice for choice in column.choices}
        found = lowered.get(raw.lower())
        return (found, False) if found is not None else None
    if column.kind is Kind.BOOLEAN:
        if raw in ("true", "false"):
            return raw == "true", True
        if raw.lower() in ("true", "false"):
            return raw.lower() == "true", False
        return None
    if column.kind is Kind.DATE:
        return (_date(raw), True) if _date(raw) is not None else None
    if column.kind is Kind.YEAR:
        if YEAR.match(raw) and 1990 <= int(raw) <= 2100:
            return int(raw), True
        return None
    raise ValueError(f"No parser for {column.kind}")


def _date(raw: str) -> dt.date | None:
    if not DATE.match(raw):
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return None


def _datetime(raw: str) -> dt.datetime | None:
    if not raw or not raw[:1].isdigit():
        return None
    try:
        return dt.datetime.fromisoformat(raw)
    except ValueError:
        return None


def _expected(column: Column) -> str:
    if column.kind is Kind.ENUM:
        return "Must be one of " + ", ".join(column.choices) + " (or an ext: value)"
    if column.kind is Kind.BOOLEAN:
        return "Must be true or false"
    if column.kind is Kind.DATE:
        return "Must be a date written YYYY-MM-DD"
    if column.kind is Kind.YEAR:
        return "Must be the school year's ending year, written YYYY"
    return "Cannot be read"
