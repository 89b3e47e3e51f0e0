"""My work is every signed-in person's own inbox: it lists only their items."""

from __future__ import annotations

from leadhub.core.tests.matrix import Row, expect, not_allowed_methods, rows

ROWS: list[Row] = [
    *rows("work:inbox", get=expect(200), **not_allowed_methods("post", "put", "delete")),
]
