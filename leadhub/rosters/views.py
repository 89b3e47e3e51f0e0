"""Roster import pages. Thin: gate (rosters.access), form, service."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leadhub.core.headers import no_store
from leadhub.lib.exports import Column, export_response
from leadhub.rosters import access, selectors, services
from leadhub.rosters.forms import RosterUploadForm
from leadhub.rosters.models import ImportStatus, IssueSeverity, RosterIssue

ISSUE_COLUMNS = [
    Column("severity", "Kind", lambda i: i.get_severity_display()),
    Column("file", "File", lambda i: i.file),
    Column("line", "Line", lambda i: i.line),
    Column("lines", "Lines with it", lambda i: i.occurrences),
    Column("column", "Column", lambda i: i.column),
    Column("code", "Code", lambda i: i.code),
    Column("message", "What is wrong", lambda i: i.message),
    Column("value", "Value found", lambda i: i.value),
]


@login_required
@require_http_methods(["GET", "POST"])
def import_list(request: HttpRequest) -> HttpResponse:
    districts = access.roster_districts_require(request.user)
    district = None
    if request.GET.get("district", "").isdigit():
        district = access.roster_district_get_for_user(request.user, int(request.GET["district"]))
    elif districts.count() == 1:
        district = districts.get()
    form = RosterUploadForm(
        request.POST or None,
        request.FILES or None,
        districts=districts,
        initial={"district": district},
    )
    if request.method == "POST" and form.is_valid():
        roster_import = services.roster_import_start(
            district=form.cleaned_data["district"],
            uploaded=form.cleaned_data["package"],
            uploaded_by=request.user,  # type: ignore[arg-type]
            dry_run=form.cleaned_data["dry_run"],
            site_administrator_role=form.cleaned_data["site_administrator_role"],
            request=request,
        )
        return redirect(roster_import)
    return render(
        request,
        "rosters/import_list.html",
        {
            "form": form,
            "imports": selectors.imports_for(
                districts.filter(pk=district.pk) if district else districts
            )[: selectors.RECENT_IMPORTS],
            "several_districts": districts.count() > 1,
            "district": district,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
@no_store
def import_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    roster_import = access.roster_import_get_for_user(request.user, pk)
    progress = roster_import.progress
    return render(
        request,
        "rosters/import_detail.html",
        {
            "roster_import": roster_import,
            "progress": progress if progress and progress.owner_id == request.user.pk else None,
            "summary": selectors.summary_rows(roster_import),
            "left_out": selectors.left_out_rows(roster_import),
            "problems": selectors.issues_of(roster_import, IssueSeverity.PROBLEM),
            "warnings": selectors.issues_of(roster_import, IssueSeverity.WARNING),
            "can_rerun": services.roster_import_can_rerun(roster_import),
            "statuses": ImportStatus,
        },
    )


@login_required
@require_GET
@no_store
def import_report(request: HttpRequest, pk: uuid.UUID) -> HttpResponseBase:
    roster_import = access.roster_import_get_for_user(request.user, pk)
    rows = RosterIssue.objects.filter(roster_import=roster_import).order_by("severity", "pk")
    return export_response(
        request=request,
        filename_stem=f"Roster import {roster_import.created_at:%Y-%m-%d} problems and warnings",
        columns=ISSUE_COLUMNS,
        rows=rows,
        fmt="csv",
        bom=True,
        audit_object=("rosters.RosterImport", roster_import.pk),
        district_id=roster_import.district_id,
    )


@login_required
@require_POST
def import_run(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    roster_import = access.roster_import_get_for_user(request.user, pk)
    if not services.roster_import_can_rerun(roster_import):
        messages.error(
            request,
            "This import cannot run again: only a checked package, or one waiting for your "
            "confirmation, can. Upload the package again instead.",
        )
        return redirect(roster_import)
    services.roster_import_rerun(
        roster_import=roster_import,
        actor=request.user,  # type: ignore[arg-type]
        request=request,
    )
    return redirect(roster_import)
