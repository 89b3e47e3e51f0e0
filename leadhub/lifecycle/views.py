"""A district's data: whole exports for the district, disposal for the state."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leadhub.audit.services import audit_record
from leadhub.core.headers import no_store
from leadhub.core.progress import progress_create
from leadhub.files.storage import private_storage
from leadhub.lib.exports import content_disposition
from leadhub.lifecycle import access, services
from leadhub.lifecycle.forms import PurgeForm
from leadhub.lifecycle.models import DistrictExport
from leadhub.lifecycle.tasks import export_district
from leadhub.orgs.scope import org_scope_for


@login_required
@require_http_methods(["GET", "POST"])
def district_data(request: HttpRequest, pk: int) -> HttpResponse:
    district = access.district_data_get_for_user(request.user, pk)
    is_state_admin = org_scope_for(request.user).is_state_admin
    preview = (
        services.district_purge_preview(district=district) if "preview" in request.GET else None
    )
    form = PurgeForm(district=district)
    status = 200
    if request.method == "POST":
        access.district_require_purge(request.user)
        form = PurgeForm(request.POST, district=district)
        if form.is_valid():
            record = services.district_purge(
                district=district,
                disposed_by=request.user,  # type: ignore[arg-type]
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, f"{record.district_name}'s data was disposed of.")
            return redirect("lifecycle:disposal_detail", pk=record.pk)
        status = 400
    return render(
        request,
        "lifecycle/district_data.html",
        {
            "district": district,
            "exports": DistrictExport.objects.filter(district=district)[:10],
            "is_state_admin": is_state_admin,
            "preview": preview,
            "preview_total": sum(preview.values()) if preview else 0,
            "form": form,
        },
        status=status,
    )


@login_required
@require_POST
def export_start(request: HttpRequest, pk: int) -> HttpResponse:
    district = access.district_data_get_for_user(request.user, pk)
    progress = progress_create(
        kind="lifecycle.export_district",
        label=f"Export of all of {district}'s data",
        owner=request.user,  # type: ignore[arg-type]
        district=district,
    )
    export_district.enqueue(str(progress.pk), district.pk)
    return redirect("core:task_detail", pk=progress.pk)


@login_required
@require_GET
@no_store
def export_download(request: HttpRequest, pk: uuid.UUID) -> HttpResponseBase:
    export = access.export_get_for_user(request.user, pk)
    audit_record(
        action="district.export.download",
        object_type="district_export",
        object_id=export.pk,
        district_id=export.district_id,
        request=request,
    )
    response = FileResponse(
        private_storage.open(export.storage_name), content_type="application/zip"
    )
    filename = f"{export.district.name} data {export.created_at:%Y-%m-%d}.zip"
    response["Content-Disposition"] = content_disposition(filename)
    return response


@login_required
@require_GET
def disposal_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    record = access.disposal_get_for_user(request.user, pk)
    total = sum(record.rows_removed.values())
    return render(request, "lifecycle/disposal_detail.html", {"record": record, "total": total})
