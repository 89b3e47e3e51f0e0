"""Problems and warnings found in a package, as a person reads them.

A problem refuses the whole package; a warning is listed and the import goes on. Each
names the file, the line, the column and what is wrong; ``value`` carries the bad value
only for codes, dates and flags, never a name or an identifier of a person. Warnings of
one kind in one column are counted once, with the first line where they occur.
"""

from __future__ import annotations

from dataclasses import dataclass

# Enough to correct a package; the count of the rest is kept.
MAX_PROBLEMS_KEPT = 1000
MAX_VALUE_LENGTH = 40


@dataclass
class Issue:
    file: str
    line: int | None
    column: str
    code: str
    message: str
    value: str = ""
    occurrences: int = 1

    def where(self) -> str:
        parts = [self.file] if self.file else []
        if self.line is not None:
            parts.append(f"line {self.line:,}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def describe(self) -> str:
        text = f"{self.where()}: {self.message}" if self.where() else self.message
        if self.value:
            text += f" (found “{self.value}”)"
        if self.occurrences > 1:
            text += f" [{self.occurrences:,} lines]"
        return text


class Refused(Exception):
    """Raised to stop reading at a problem nothing can be read past (a broken ZIP)."""


class Issues:
    def __init__(self) -> None:
        self.problems: list[Issue] = []
        self.problem_total = 0
        self._warnings: dict[tuple[str, str, str], Issue] = {}

    def problem(
        self, file: str, line: int | None, column: str, code: str, message: str, value: str = ""
    ) -> None:
        self.problem_total += 1
        if len(self.problems) < MAX_PROBLEMS_KEPT:
            self.problems.append(Issue(file, line, column, code, message, _clip(value)))

    def refuse(self, file: str, line: int | None, column: str, code: str, message: str) -> Refused:
        """Record a problem and return the exception that stops reading the package."""
        self.problem(file, line, column, code, message)
        return Refused(message)

    def warn(
        self,
        file: str,
        line: int | None,
        column: str,
        code: str,
        message: str,
        value: str = "",
        *,
        key: str = "",
    ) -> None:
        """Record a warning; one per file, column and kind (and ``key``, when given)."""
        key_ = (file, column or key, code)
        seen = self._warnings.get(key_)
        if seen is None:
            self._warnings[key_] = Issue(file, line, column, code, message, _clip(value))
        else:
            seen.occurrences += 1

    @property
    def warnings(self) -> list[Issue]:
        return list(self._warnings.values())

    @property
    def refused(self) -> bool:
        return self.problem_total > 0

    def has_problem_in(self, file: str) -> bool:
        return any(p.file == file for p in self.problems)


def _clip(value: str) -> str:
    return value if len(value) <= MAX_VALUE_LENGTH else value[: MAX_VALUE_LENGTH - 1] + "…"
