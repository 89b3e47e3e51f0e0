"""Who may export, purge and read disposal records of a district's data.

The district's leaders and state administrators export; only state administrators
dispose of data and read disposal records. Others who can read the district get 403.
"""

from __future__ import annotations

import io
from typing import Any

from leadhub.core.tests.matrix import Row, not_allowed_methods, only, rows
from leadhub.orgs.tests.permission_table import (
    DISTRICT_MANAGERS,
    DISTRICT_READERS,
    readers_else_403,
)


def an_export(world: Any) -> list[Any]:
    from leadhub.files.storage import private_storage
    from leadhub.lifecycle.models import DistrictExport

    name = private_storage.save("exports/matrix.zip", io.BytesIO(b"PK\x05\x06" + b"\x00" * 18))
    export = DistrictExport.objects.create(
        district=world.district, requested_by=world.people["district_leader"], storage_name=name
    )
    return [export.pk]


def a_disposal(world: Any) -> list[Any]:
    from leadhub.lifecycle.models import DisposalRecord

    record = DisposalRecord.objects.create(district_state_id="99-999", district_name="Gone SD")
    return [record.pk]


ROWS: list[Row] = [
    *rows(
        "lifecycle:district_data",
        args=lambda w: [w.district.pk],
        get=readers_else_403(DISTRICT_READERS, DISTRICT_MANAGERS, 200),
        post=readers_else_403(DISTRICT_READERS, ["state_admin"], 400),
        **not_allowed_methods("put", "delete"),
    ),
    *rows(
        "lifecycle:export_start",
        args=lambda w: [w.district.pk],
        post=readers_else_403(DISTRICT_READERS, DISTRICT_MANAGERS, 302),
        **not_allowed_methods("get", "put", "delete"),
    ),
    *rows(
        "lifecycle:export_download",
        args=an_export,
        get=readers_else_403(DISTRICT_READERS, DISTRICT_MANAGERS, 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
    *rows(
        "lifecycle:disposal_detail",
        args=a_disposal,
        get=only(["state_admin"], 200),
        **not_allowed_methods("post", "put", "delete"),
    ),
]
