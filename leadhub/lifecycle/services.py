"""Exporting a whole district, and purging it with a disposal record left behind."""

from __future__ import annotations

import csv
import hashlib
import io
import uuid
import zipfile
from collections.abc import Callable

from django.contrib.sessions.models import Session
from django.db import connection, transaction

from leadhub.accounts.models import User
from leadhub.audit.services import audit_record
from leadhub.files.models import StoredFile
from leadhub.files.storage import private_storage
from leadhub.lib.exports import csv_cell
from leadhub.lifecycle.models import DisposalRecord, DistrictExport, WalkRow
from leadhub.lifecycle.tables import column_names
from leadhub.lifecycle.walk import DistrictRows, district_rows
from leadhub.orgs.models import District

Report = Callable[[int, int], None]


def district_export(
    *, district: District, requested_by: User, report: Report = lambda done, total: None
) -> DistrictExport:
    """Write every row of the district (one CSV per table) and its files into one ZIP."""
    name = f"exports/district-{district.pk}-{uuid.uuid4().hex}.zip"
    buffer = io.BytesIO()
    written: dict[str, int] = {}
    with (
        district_rows(district) as plan,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        models_in_plan = [m for m, rows in plan.by_model.items() if rows.exists()]
        total = len(models_in_plan) + 1
        for index, model in enumerate(models_in_plan):
            table = model._meta.db_table
            written[table] = _write_table_csv(archive, plan, model, table)
            report(index + 1, total)
        for stored in StoredFile.objects.filter(district=district):
            with private_storage.open(stored.storage_name) as handle:
                archive.writestr(f"files/{stored.pk}-{stored.original_name}", handle.read())
        report(total, total)
    data = buffer.getvalue()
    private_storage.save(name, io.BytesIO(data))
    export = DistrictExport.objects.create(
        district=district,
        requested_by=requested_by,
        storage_name=name,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        tables=written,
    )
    audit_record(
        action="district.export",
        actor=requested_by,
        object_type="district",
        object_id=district.pk,
        district_id=district.pk,
    )
    return export


def _write_table_csv(archive: zipfile.ZipFile, plan: DistrictRows, model: type, table: str) -> int:
    columns = column_names(model)
    rows = plan.by_model[model].order_by("pk").values_list(*columns)
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(columns)
    count = 0
    for row in rows.iterator(chunk_size=2000):
        writer.writerow([csv_cell(v) for v in row])
        count += 1
    archive.writestr(f"tables/{table}.csv", "\ufeff" + text.getvalue())
    return count


def district_purge_preview(*, district: District) -> dict[str, int]:
    """The dry run: how many rows of each table a purge would remove."""
    with district_rows(district) as plan:
        return plan.counts()


@transaction.atomic
def district_purge(
    *, district: District, disposed_by: User | None, reason: str = ""
) -> DisposalRecord:
    """Remove every row and file linked to the district and its people; keep a record.

    Foreign keys are checked when the transaction commits, so the tables can be emptied
    in any order; a row elsewhere that still points into the district makes the whole
    purge fail and change nothing.
    """
    record_fields = {"district_state_id": district.state_id, "district_name": district.name}
    with district_rows(district) as plan:
        counts = plan.counts()
        people_ids = list(plan.people.values_list("pk", flat=True))
        files = list(
            StoredFile._base_manager.filter(district=district).values_list(
                "storage_name", flat=True
            )
        )
        _allow_audit_purge()
        # Each table's query reads the walk's staging rows, not the other tables: deleting
        # one table does not change which rows another table's delete finds.
        for rows in plan.by_model.values():
            rows._raw_delete(connection.alias)
    # The staging rows of this walk went with the plan; any left by an earlier walk of
    # the district that was interrupted go too.
    WalkRow.objects.filter(district_id=district.pk)._raw_delete(connection.alias)
    _purge_sessions(set(people_ids))
    _forbid_audit_purge()
    record = DisposalRecord.objects.create(
        **record_fields,
        disposed_by=disposed_by,
        rows_removed=counts,
        files_removed=len(files),
        people_removed=len(people_ids),
        reason=reason[:300],
    )
    transaction.on_commit(lambda: _delete_stored(files))
    audit_record(
        action="district.purge",
        actor=disposed_by,
        object_type="disposal_record",
        object_id=record.pk,
    )
    return record


def _delete_stored(names: list[str]) -> None:
    for name in names:
        private_storage.delete(name)


def _purge_sessions(user_ids: set[int]) -> None:
    doomed = [
        s.session_key
        for s in Session.objects.iterator(chunk_size=1000)
        if str(s.get_decoded().get("_auth_user_id", "")) in {str(i) for i in user_ids}
    ]
    Session.objects.filter(session_key__in=doomed).delete()


def _allow_audit_purge() -> None:
    """Audit rows refuse deletion; a purge is the one sanctioned exception (see audit 0003)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL leadhub.purging = 'on'")
        else:
            cursor.execute("INSERT INTO audit_purge_permit (granted) VALUES (1)")


def _forbid_audit_purge() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL leadhub.purging = 'off'")
        else:
            cursor.execute("DELETE FROM audit_purge_permit")
