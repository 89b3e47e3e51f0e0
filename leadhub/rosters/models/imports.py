"""The import log: one record per roster package run, its outcome and its issues."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse

from leadhub.core.models import DistrictScoped, TimeStamped
from leadhub.orgs.schoolyears import school_year_label


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Reading the package"
    NEEDS_CONFIRMATION = "needs_confirmation", "Needs your confirmation"
    CHECKED = "checked", "Checked"
    IMPORTED = "imported", "Imported"
    REFUSED = "refused", "Not imported"
    FAILED = "failed", "Stopped"


ACTIVE_STATUSES = frozenset({ImportStatus.QUEUED, ImportStatus.RUNNING})


class SiteAdministratorRole(models.TextChoices):
    """What a OneRoster ``siteAdministrator`` becomes in LeadHub (a district's choice)."""

    PRINCIPAL = "principal", "Principal"
    ASSISTANT_PRINCIPAL = "assistant_principal", "Assistant principal"
    IGNORE = "ignore", "Leave them out"


class RosterImport(DistrictScoped, TimeStamped):
    """One run of a OneRoster package against one district.

    ``summary`` holds, per kind of record, how many were (or, for a check, would be)
    created, updated, left unchanged and deactivated; ``deactivation`` what a bulk
    package would deactivate when that is more than the share that needs confirmation.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the import ran from the command line.",
    )
    stored_file = models.ForeignKey(
        "files.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    original_name = models.CharField("file name", max_length=200)
    dry_run = models.BooleanField("check only", default=False)
    site_administrator_role = models.CharField(
        max_length=24,
        choices=SiteAdministratorRole.choices,
        default=SiteAdministratorRole.PRINCIPAL,
    )
    confirm_deactivation = models.BooleanField(default=False)
    status = models.CharField(
        max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    progress = models.ForeignKey(
        "core.TaskProgress", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    modes = models.JSONField(default=dict, blank=True)
    school_year = models.PositiveSmallIntegerField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    deactivation = models.JSONField(default=list, blank=True)
    created_schools = models.JSONField(default=list, blank=True)
    problem_count = models.PositiveIntegerField(default=0)
    warning_count = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True, default="")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["district", "created_at"])]

    def __str__(self) -> str:
        return f"Roster import {self.original_name}"

    def get_absolute_url(self) -> str:
        return reverse("rosters:import_detail", args=[self.pk])

    @property
    def school_year_label(self) -> str:
        return school_year_label(self.school_year) if self.school_year else ""

    @property
    def is_finished(self) -> bool:
        return self.status not in ACTIVE_STATUSES


class IssueSeverity(models.TextChoices):
    PROBLEM = "problem", "Problem"
    WARNING = "warning", "Warning"


class RosterIssue(models.Model):
    """A problem (the package is refused) or a warning (imported anyway) found in a package.

    Never a person's name or identifier: ``value`` holds only the bad code, date or
    flag. Repeated warnings of one kind in one column are kept once, with the first
    line and how many lines had it.
    """

    roster_import = models.ForeignKey(RosterImport, on_delete=models.CASCADE, related_name="issues")
    severity = models.CharField(max_length=8, choices=IssueSeverity.choices)
    file = models.CharField(max_length=100, blank=True, default="")
    line = models.PositiveIntegerField(null=True, blank=True)
    column = models.CharField(max_length=100, blank=True, default="")
    code = models.CharField(max_length=40)
    message = models.CharField(max_length=500)
    value = models.CharField(max_length=100, blank=True, default="")
    occurrences = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["roster_import", "severity"])]

    def __str__(self) -> str:
        return f"{self.file} line {self.line}: {self.message}"
