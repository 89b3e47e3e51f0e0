"""The files page of a school, downloads and deletes. Thin: gate, form, service."""

from __future__ import annotations

import logging
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leadhub.core.access import not_found
from leadhub.files import access, selectors, services
from leadhub.files.content import max_upload_bytes
from leadhub.files.forms import UploadForm
from leadhub.files.responses import stored_file_response

logger = logging.getLogger(__name__)


@login_required
@require_http_methods(["GET", "POST"])
@cache_control(private=True, no_store=True)  # file names can name students
def school_files(request: HttpRequest, pk: int) -> HttpResponse:
    school = access.school_files_get_for_user(request.user, pk)
    limit = max_upload_bytes()
    form = UploadForm(max_bytes=limit)
    if request.method == "POST":
        access.file_require_upload(request.user, district=school.district, school=school)
        form = UploadForm(request.POST, request.FILES, max_bytes=limit)
    if form.is_bound and form.is_valid():
        try:
            stored = services.file_store(
                uploaded=form.cleaned_data["file"],
                district=school.district,
                school=school,
                uploaded_by=request.user,  # type: ignore[arg-type]
                request=request,
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, f"“{stored.original_name}” is now in {school.name}'s files.")
            return redirect("files:school_files", pk=school.pk)
    files = list(selectors.school_files(school))
    return render(
        request,
        "files/school_files.html",
        {
            "school": school,
            "files": files,
            "deletable": {f.pk for f in files if access.file_can_delete(request.user, f)},
            "form": form,
            "can_upload": access.file_can_upload(
                request.user, district=school.district, school=school
            ),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def download(request: HttpRequest, pk: uuid.UUID) -> HttpResponseBase:
    stored = access.file_get_for_user(request.user, pk)
    try:
        response = stored_file_response(stored, as_attachment="download" in request.GET)
    except FileNotFoundError:
        logger.error("Stored file %s has no bytes in storage", stored.pk)
        not_found()
    services.file_record_download(
        stored_file=stored,
        actor=request.user,  # type: ignore[arg-type]
        request=request,
    )
    return response


@login_required
@require_POST
def delete(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    stored = access.file_get_for_user(request.user, pk)
    access.file_require_delete(request.user, stored)
    services.file_delete(stored_file=stored, actor=request.user, request=request)  # type: ignore[arg-type]
    messages.success(request, f"“{stored.original_name}” was deleted.")
    if stored.school_id is None:
        return redirect("core:home")
    return redirect("files:school_files", pk=stored.school_id)
