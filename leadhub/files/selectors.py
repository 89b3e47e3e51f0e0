"""Reads of stored files that pages share. Callers gate first (access.py)."""

from __future__ import annotations

from django.db.models import QuerySet

from leadhub.files.models import StoredFile
from leadhub.orgs.models import School


def school_files(school: School) -> QuerySet[StoredFile]:
    """The files a school shares on its files page, newest first."""
    return StoredFile.objects.filter(school=school, attached_to="").select_related("uploaded_by")
