"""Who may open each plans URL: the rows of each area's table (plan pages and content,
goals and checkpoints, approval, versions, records out and the API)."""

from __future__ import annotations

from leadhub.core.tests.matrix import Row
from leadhub.plans.tests import (
    permission_table_goals,
    permission_table_plan,
    permission_table_workflow,
)

ROWS: list[Row] = [
    *permission_table_plan.ROWS,
    *permission_table_goals.ROWS,
    *permission_table_workflow.ROWS,
]
