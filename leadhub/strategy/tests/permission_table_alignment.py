"""Who may open the line of sight (the world: leadhub/plans/tests/world.py).

A district's line of sight is read by its district leaders, the serving hub's director
and coach, and the state's administrators; everyone else (the schools' staff, the
evaluator, the network facilitator, other districts) gets 404. It is a page to read:
every other method is refused.
"""

from __future__ import annotations

from leadhub.core.tests.matrix import Row, not_allowed_methods, only, rows

LINE_OF_SIGHT_READERS = ["district_leader", "hub_director", "hub_coach", "state_admin"]

ROWS: list[Row] = [
    *rows(
        "strategy:line_of_sight",
        args=lambda w: [w.district.pk],
        get=only(LINE_OF_SIGHT_READERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
]
