"""Reading a list of people to invite: pasted lines or an uploaded CSV file.

Each line is ``email, full name, role`` with an optional fourth value, the state
identifier of the school. An uploaded file must start with the header
``email,full_name,role[,school_state_id]``; pasted text may. Messages name the row
and the column, never the values in them, so no personal data is echoed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import filetype

MAX_ROWS = 500
MAX_UPLOAD_BYTES = 512 * 1024
COLUMNS = ("email", "full_name", "role", "school_state_id")
REQUIRED_COLUMNS = COLUMNS[:3]


class ListUnreadable(ValueError):
    """The list as a whole cannot be read (wrong header, too long, not text)."""


@dataclass(frozen=True)
class ListedRow:
    """One line of the list, as typed: ``line`` is its line number in the text or file."""

    line: int
    email: str
    full_name: str
    role: str
    school_state_id: str
    problem: str = ""


def decode_upload(content: bytes) -> str:
    """UTF-8 text of an uploaded CSV file, with or without a byte-order mark."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise ListUnreadable(
            f"The file is larger than {MAX_UPLOAD_BYTES // 1024} KB; a list of {MAX_ROWS} "
            "people is much smaller. Check that you chose the right file."
        )
    kind = filetype.guess(content[:8192])
    if kind is not None or b"\x00" in content:
        described = f"a .{kind.extension} file" if kind is not None else "not a text file"
        raise ListUnreadable(
            f"This is {described}, not CSV. In your spreadsheet, save the list as "
            "“CSV UTF-8” and upload that file."
        )
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ListUnreadable(
            "The file is not UTF-8 text. In your spreadsheet, save the list as “CSV UTF-8” "
            "and upload that file."
        ) from None


def _is_header(cells: list[str]) -> bool:
    return bool(cells) and cells[0].strip().lower().lstrip("\ufeff") == "email"


def _check_header(cells: list[str]) -> int:
    """How many columns the header names; raises when it is not the expected header."""
    names = [c.strip().lower().lstrip("\ufeff") for c in cells]
    while names and not names[-1]:
        names.pop()
    if tuple(names) in (REQUIRED_COLUMNS, COLUMNS):
        return len(names)
    raise ListUnreadable(
        "The first line must name the columns email,full_name,role — and school_state_id "
        "as a fourth column if rows name a school — in that order, separated by commas."
    )


def parse_rows(text: str, *, header_required: bool) -> list[ListedRow]:
    """The rows of ``text``; blank lines are skipped and keep their line numbers."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), skipinitialspace=True)
    rows: list[ListedRow] = []
    columns = len(COLUMNS)
    first = True
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        if first:
            first = False
            if header_required and "@" in cells[0]:
                raise ListUnreadable(
                    "The file has no header line. Add email,full_name,role as its first line "
                    "(and school_state_id as a fourth column if rows name a school)."
                )
            if header_required or _is_header(cells):
                columns = _check_header(cells)
                continue
        if len(rows) == MAX_ROWS:
            raise ListUnreadable(
                f"At most {MAX_ROWS} people can be invited at once. Split the list and "
                "invite each part in turn."
            )
        rows.append(_row(reader.line_num, [c.strip() for c in cells], columns))
    if not rows:
        raise ListUnreadable("The list has no one to invite yet: add a line for each person.")
    return rows


def _row(line: int, cells: list[str], columns: int) -> ListedRow:
    while len(cells) > 3 and not cells[-1]:
        cells.pop()
    values = dict(zip(COLUMNS, (cells + [""] * len(COLUMNS))[: len(COLUMNS)], strict=True))
    problem = ""
    if len(cells) < 3:
        problem = (
            "Expected an email, a full name and a role separated by commas, "
            f"but found {len(cells)} value{'s' if len(cells) != 1 else ''}."
        )
    elif len(cells) > columns:
        problem = (
            f"Found {len(cells)} values where {columns} were expected. Put a name that "
            "contains a comma in double quotes."
        )
    return ListedRow(line=line, problem=problem, **values)
