"""Pages for data imports. Thin: gate (imports.access), form, service, then the task."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from leadhub.accounts.models import User
from leadhub.core.headers import no_store
from leadhub.files.storage import private_storage
from leadhub.imports import selectors, tasks
from leadhub.imports.access import (
    import_get_for_user,
    import_shows_rows_to,
    imports_visible_to,
    require_import_places,
)
from leadhub.imports.forms import CommitForm, ImportStartForm, MappingForm
from leadhub.imports.kinds import spec_for
from leadhub.imports.models import DataImport, ImportStatus
from leadhub.imports.readers import UnreadableFile, preview_rows
from leadhub.imports.services import lifecycle
from leadhub.imports.services.staging import Mapping
from leadhub.lib.exports import Column, export_response

PREVIEW_ROWS = 10
WORKING = {ImportStatus.VALIDATING, ImportStatus.COMMITTING}


def _start_form(request: HttpRequest, places: Any) -> ImportStartForm:
    return ImportStartForm(
        request.POST or None,
        request.FILES or None,
        places=places,
        max_bytes=lifecycle.max_import_bytes(),
    )


@login_required
@require_http_methods(["GET"])
def import_list(request: HttpRequest) -> HttpResponse:
    places = require_import_places(request.user)
    return render(
        request,
        "imports/import_list.html",
        {
            "imports": selectors.import_list(imports_visible_to(request.user)),
            "form": _start_form(request, places),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_create(request: HttpRequest) -> HttpResponse:
    places = require_import_places(request.user)
    form = _start_form(request, places)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            data_import = lifecycle.import_upload(
                uploaded=data["file"],
                kind=data["kind"],
                district=data["district"],
                school=data["school"],
                actor=cast(User, request.user),
                request=request,
            )
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            return redirect(data_import)
    return render(
        request,
        "imports/import_create.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def _preview(data_import: DataImport) -> tuple[list[str], list[list[str]]] | None:
    """The first rows of the uploaded file, or None once the file is gone or unreadable."""
    if data_import.status in lifecycle.FINISHED or not data_import.storage_name:
        return None
    try:
        return preview_rows(
            Path(private_storage.path(data_import.storage_name)),
            data_import.file_format,
            count=PREVIEW_ROWS,
        )
    except (OSError, UnreadableFile):
        return None


def _detail_context(
    request: HttpRequest,
    data_import: DataImport,
    *,
    mapping_form: MappingForm | None = None,
    commit_form: CommitForm | None = None,
) -> dict[str, Any]:
    headers = data_import.mapping.get("headers", [])
    editable = data_import.status == ImportStatus.UPLOADED
    if mapping_form is None and editable:
        mapping_form = MappingForm(
            spec=spec_for(data_import.kind),
            headers=headers,
            mapping=Mapping.from_json(data_import.mapping),
        )
    shows_rows = import_shows_rows_to(request.user, data_import)
    return {
        "data_import": data_import,
        "preview": _preview(data_import) if shows_rows and editable else None,
        "shows_rows": shows_rows,
        "mapping_form": mapping_form,
        "commit_form": commit_form or CommitForm(),
        "problems": selectors.problem_summary(data_import) if data_import.error_rows else [],
        "resumable": lifecycle.import_is_resumable(data_import),
        "working": data_import.status in WORKING,
        "progress": data_import.progress,
        "importable_rows": data_import.total_rows - data_import.error_rows,
        "cancellable": lifecycle.import_is_cancellable(data_import),
    }


@login_required
@require_http_methods(["GET"])
@no_store
def import_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    data_import = import_get_for_user(request.user, pk)
    return render(request, "imports/import_detail.html", _detail_context(request, data_import))


@login_required
@require_POST
@no_store
def import_check(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    data_import = import_get_for_user(request.user, pk)
    if data_import.status != ImportStatus.UPLOADED:
        messages.error(request, "This import's columns can no longer be changed.")
        return redirect(data_import)
    form = MappingForm(
        request.POST,
        spec=spec_for(data_import.kind),
        headers=data_import.mapping.get("headers", []),
        mapping=Mapping.from_json(data_import.mapping),
    )
    if form.is_valid():
        try:
            progress = lifecycle.import_check_start(
                data_import=data_import,
                mapping=form.mapping(),
                actor=cast(User, request.user),
                request=request,
            )
        except ValidationError as error:
            form.show_problems(error.message_dict if hasattr(error, "error_dict") else {})
            if not hasattr(error, "error_dict"):
                form.add_error(None, error)
        else:
            tasks.import_check.enqueue(str(progress.pk), str(data_import.pk))
            return redirect(data_import)
    return render(
        request,
        "imports/import_detail.html",
        _detail_context(request, data_import, mapping_form=form),
        status=400,
    )


@login_required
@require_POST
def import_commit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    data_import = import_get_for_user(request.user, pk)
    form = CommitForm(request.POST)
    form.is_valid()
    try:
        progress = lifecycle.import_commit_start(
            data_import=data_import,
            actor=cast(User, request.user),
            skip_problem_rows=form.cleaned_data.get("skip_problem_rows", False),
            request=request,
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, problems in error.message_dict.items():
                form.add_error(field, problems)
            return render(
                request,
                "imports/import_detail.html",
                _detail_context(request, data_import, commit_form=form),
                status=400,
            )
        messages.error(request, " ".join(error.messages))
        return redirect(data_import)
    tasks.import_commit.enqueue(str(progress.pk), str(data_import.pk))
    return redirect(data_import)


@login_required
@require_POST
def import_remap(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    data_import = import_get_for_user(request.user, pk)
    try:
        lifecycle.import_mapping_reopen(
            data_import=data_import, actor=cast(User, request.user), request=request
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(data_import)


@login_required
@require_POST
def import_cancel(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    data_import = import_get_for_user(request.user, pk)
    try:
        lifecycle.import_cancel(
            data_import=data_import, actor=cast(User, request.user), request=request
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(data_import)
    messages.success(request, f"The import of {data_import.original_name} is cancelled.")
    return redirect("imports:list")


@login_required
@require_http_methods(["GET"])
def import_progress(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The progress panel htmx polls; once the work has finished, the page reloads to
    show what came of it."""
    data_import = import_get_for_user(request.user, pk)
    progress = data_import.progress
    response = render(
        request,
        "imports/_progress.html",
        {"data_import": data_import, "progress": progress, "working": True},
    )
    if data_import.status not in WORKING or lifecycle.import_is_stalled(data_import):
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_http_methods(["GET"])
def import_problems(request: HttpRequest, pk: uuid.UUID) -> HttpResponseBase:
    """The error report: line, column, problem and the bad value (never an identifier)."""
    data_import = import_get_for_user(request.user, pk)
    names = selectors.column_names(data_import)
    columns = [
        Column("line", "Line", lambda p: p.line),
        Column("column", "Column", lambda p: names.get(p.field, p.field)),
        Column("problem", "Problem", lambda p: p.problem),
        Column("value", "Value", lambda p: p.value),
    ]
    stem = Path(data_import.original_name).stem
    return export_response(
        request=request,
        filename_stem=f"{stem}-problems",
        columns=columns,
        rows=selectors.problem_rows(data_import),
        fmt="csv",
        bom=True,
        audit_object=(lifecycle.OBJECT_TYPE, data_import.pk),
        district_id=data_import.district_id,
    )
