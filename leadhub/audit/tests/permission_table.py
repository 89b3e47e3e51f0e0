"""The audit log is for state administrators only; for everyone else it does not exist."""

from __future__ import annotations

from leadhub.core.tests.matrix import Row, not_allowed_methods, only, rows

ROWS: list[Row] = [
    *rows(
        "audit:list",
        get=only(["state_admin"], 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
]
