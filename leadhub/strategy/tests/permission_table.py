"""Who may open each strategy URL: the rows of each area's table (plan pages, the driver
diagram and its API, the line of sight)."""

from __future__ import annotations

from leadhub.core.tests.matrix import Row
from leadhub.strategy.tests import (
    permission_table_alignment,
    permission_table_diagram,
    permission_table_plans,
)

ROWS: list[Row] = [
    *permission_table_plans.ROWS,
    *permission_table_diagram.ROWS,
    *permission_table_alignment.ROWS,
]
