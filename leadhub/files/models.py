"""Stored files: uploads kept in private storage and served only through an access check."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse

from leadhub.core.history import track_history
from leadhub.core.models import DistrictScoped

IMAGE_TYPES = frozenset({"image/jpeg", "image/png"})
# Browsers can show these safely themselves; everything else is always a download.
INLINE_TYPES = IMAGE_TYPES | {"application/pdf"}
TYPE_LABELS = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG photo",
    "image/png": "PNG image",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel workbook",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
    "text/csv": "CSV",
    "text/plain": "Text",
}


@track_history
class StoredFile(DistrictScoped):
    """One uploaded file: where it is stored, what it really is, and who may see it.

    ``attached_to`` is empty for the files a school or district shares on its files page;
    a later feature that attaches a file to its own record (a plan step, a coaching
    session) names that record's type there, gates reads itself and serves the file
    with :func:`leadhub.files.responses.stored_file_response`.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(
        "orgs.School", on_delete=models.PROTECT, null=True, blank=True, related_name="files"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    attached_to = models.CharField(max_length=80, blank=True, default="")
    original_name = models.CharField("file name", max_length=120)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField(help_text="Bytes, as stored.")
    sha256 = models.CharField("SHA-256", max_length=64)
    storage_name = models.CharField(max_length=200, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["school", "attached_to", "created_at"]),
            models.Index(fields=["district", "attached_to", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("files:download", args=[self.pk])

    @property
    def type_label(self) -> str:
        return TYPE_LABELS.get(self.content_type, self.content_type)

    @property
    def is_image(self) -> bool:
        return self.content_type in IMAGE_TYPES

    @property
    def opens_in_browser(self) -> bool:
        return self.content_type in INLINE_TYPES
