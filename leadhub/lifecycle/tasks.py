from __future__ import annotations

from django.tasks import task
from django.urls import reverse

from leadhub.accounts.models import User
from leadhub.core.progress import tracked
from leadhub.lifecycle.services import district_export
from leadhub.orgs.models import District


@task
def export_district(progress_id: str, district_id: int) -> str:
    with tracked(progress_id) as (progress, report):
        export = district_export(
            district=District.objects.get(pk=district_id),
            requested_by=User.objects.get(pk=progress.owner_id),
            report=report,
        )
        tables = len(export.tables)
        rows = sum(export.tables.values())
        progress.message = f"The export holds {rows:,} rows from {tables} tables, and the files."
        progress.result_url = reverse("lifecycle:export_download", args=[export.pk])
    return str(export.pk)
