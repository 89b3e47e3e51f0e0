"""Who may use the roster import pages.

Importing rosters is for those who manage a district: its district leaders and state
administrators. Others who can see the district (its schools' staff, the hub serving it,
state evaluators) get 403 on one of its imports; everyone else 404, as for an import
that does not exist. The list and upload page is 404 for anyone who manages no district.
"""

from __future__ import annotations

from typing import Any

from leadhub.core.tests import matrix
from leadhub.core.tests.matrix import Row, not_allowed_methods, only, rows
from leadhub.rosters.models import ImportStatus, RosterImport

MANAGERS = ["state_admin", "district_leader"]
DISTRICT_READERS = [
    "state_admin",
    "evaluator",
    "hub_director",
    "hub_coach",
    "network_facilitator",
    "district_leader",
    "principal",
    "assistant_principal",
    "teacher",
    "instructional_coach",
    "other_school_teacher",
]


def readers_else_403(allowed_status: int) -> dict[str, int | tuple[int, ...]]:
    return matrix.readers_else_403(DISTRICT_READERS, MANAGERS, allowed_status)


def an_import(world: Any) -> list[Any]:
    """A finished check of a package in the world's district (its package not kept)."""
    roster_import = RosterImport.objects.create(
        district=world.district,
        original_name="roster.zip",
        dry_run=True,
        status=ImportStatus.CHECKED,
    )
    return [roster_import.pk]


ROWS: list[Row] = [
    *rows(
        "rosters:import_list",
        get=only(MANAGERS, 200),
        # Nothing chosen: the form comes back with its messages.
        post=only(MANAGERS, 400),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "rosters:import_detail",
        args=an_import,
        get=readers_else_403(200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "rosters:import_report",
        args=an_import,
        get=readers_else_403(200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "rosters:import_run",
        args=an_import,
        # Without its package the check cannot run again: back to the page, with a message.
        post=readers_else_403(302),
        **not_allowed_methods("get", "put", "delete"),
    ),
]
