"""Who may use each meeting URL: one table per area, collected here for the matrix."""

from leadhub.core.tests.matrix import Row
from leadhub.meetings.tests.permissions import agenda, api, live, records, roles, schedule

ROWS: list[Row] = [
    *schedule.ROWS,
    *roles.ROWS,
    *live.ROWS,
    *agenda.ROWS,
    *records.ROWS,
    *api.ROWS,
]
