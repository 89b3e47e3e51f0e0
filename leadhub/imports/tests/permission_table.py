"""Who may use the imports pages (the world: conftest.py and students/tests/world.py).

Starting imports: district leaders and state administrators (either kind), principals
(their own school's measure values; the outsider is a principal too, of a school in the
other district). Everyone else signed in gets 403 on the list and the start form. An
import is seen (and acted on) by its district's leaders and state administrators, and
a principal's school import also by that school's principal; anyone else gets 404.
"""

from __future__ import annotations

from leadhub.core.tests.matrix import Row, not_allowed_methods, only, rows
from leadhub.imports.tests.factories import district_import, school_import

IMPORTERS = ["state_admin", "district_leader", "principal", "outsider"]
DISTRICT_IMPORT_READERS = ["state_admin", "district_leader"]
SCHOOL_IMPORT_READERS = ["state_admin", "district_leader", "principal"]


def of_district(w):  # type: ignore[no-untyped-def]
    return [district_import(w).pk]


def of_school(w):  # type: ignore[no-untyped-def]
    return [school_import(w).pk]


def import_rows(name: str, *, get: int | None = None, post: int | None = None) -> list[Row]:
    """Rows for one import URL, for both imports: readers get the status, others 404."""
    found: list[Row] = []
    for args, readers in (
        (of_district, DISTRICT_IMPORT_READERS),
        (of_school, SCHOOL_IMPORT_READERS),
    ):
        methods = {
            method: only(readers, status)
            for method, status in (("get", get), ("post", post))
            if status is not None
        }
        refused = not_allowed_methods(
            *(m for m in ("get", "post", "put", "delete") if m not in methods)
        )
        found += rows(f"imports:{name}", args=args, **methods, **refused)
    return found


ROWS: list[Row] = [
    *rows(
        "imports:list",
        get=only(IMPORTERS, 200, others=403),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "imports:create",
        get=only(IMPORTERS, 200, others=403),
        # No file chosen: the form comes back with its message.
        post=only(IMPORTERS, 400, others=403),
        **not_allowed_methods("put", "delete"),
    ),
    *import_rows("detail", get=200),
    # Nothing chosen: the mapping form comes back with its messages.
    *import_rows("check", post=400),
    # Not checked yet: back to the page with a message.
    *import_rows("commit", post=302),
    *import_rows("remap", post=302),
    *import_rows("cancel", post=302),
    *import_rows("progress", get=200),
    *import_rows("problems", get=200),
]
