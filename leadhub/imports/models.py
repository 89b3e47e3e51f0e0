"""Tabular data imports (CSV or XLSX): upload, map columns, validate, commit.

An import is read in chunks into a staging table, validated and resolved set by set in
SQL, then upserted on the target's natural key. The commit is all-or-nothing per
checkpoint: ``committed_through`` records the last staged line written, so a commit
that stopped resumes from there rather than starting again or leaving half an import.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse

from leadhub.core.models import DistrictScoped, TimeStamped


class ImportKind(models.TextChoices):
    ASSESSMENT_RESULTS = "assessment_results", "Assessment results"
    MEASURE_VALUES = "measure_values", "School measure values"


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", "Waiting for the column mapping"
    VALIDATING = "validating", "Checking the rows"
    READY = "ready", "Checked, ready to import"
    COMMITTING = "committing", "Importing"
    DONE = "done", "Imported"
    REFUSED = "refused", "Not imported: the file has problems"
    FAILED = "failed", "Stopped: can be resumed"
    CANCELLED = "cancelled", "Cancelled"


class DataImport(DistrictScoped, TimeStamped):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=24, choices=ImportKind.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    original_name = models.CharField("file name", max_length=200)
    storage_name = models.CharField(max_length=200, editable=False)
    file_format = models.CharField(max_length=4, choices=[("csv", "CSV"), ("xlsx", "Excel")])
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    mapping = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=12, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    progress = models.ForeignKey(
        "core.TaskProgress", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    total_rows = models.PositiveIntegerField(default=0)
    error_rows = models.PositiveIntegerField(default=0)
    created_rows = models.PositiveIntegerField(default=0)
    updated_rows = models.PositiveIntegerField(default=0)
    students_created = models.PositiveIntegerField(default=0)
    school = models.ForeignKey(
        "orgs.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="A principal's import: every row must be for this school.",
    )
    committed_through = models.PositiveIntegerField(
        default=0, help_text="Last staged line written by the commit: where a resume starts."
    )
    error_report_name = models.CharField(max_length=200, blank=True, default="", editable=False)
    message = models.CharField(max_length=300, blank=True, default="")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"

    def get_absolute_url(self) -> str:
        return reverse("imports:detail", args=[self.pk])


# Working tables. Rows live only while an import is being checked and committed: the
# commit's last step, a cancel and a new mapping delete them. Text columns hold the
# file's cells as read (trimmed), so nothing is lost before the checks explain it; the
# resolved columns (after them) hold what the cells mean, filled by one UPDATE … FROM
# the ResolvedValue rows. The link to the import carries no database constraint: COPY
# into a staging table then checks no foreign key per row, and the services delete
# staged rows themselves.


def _staging_import_link() -> models.ForeignKey[DataImport]:
    # No index of its own: each table's indexes start with the import.
    return models.ForeignKey(
        DataImport,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )


class StagedAssessmentRow(models.Model):
    """One row of an assessment results file, as text, with its line in the file."""

    id = models.BigAutoField(primary_key=True)
    data_import = _staging_import_link()
    line = models.PositiveIntegerField()
    student = models.TextField(default="")
    school = models.TextField(default="")
    assessment = models.TextField(default="")
    subject = models.TextField(default="")
    grade = models.TextField(default="")
    school_year = models.TextField(default="")
    window = models.TextField(default="")
    scale_score = models.TextField(default="")
    performance_level = models.TextField(default="")
    el = models.TextField(default="")
    swd = models.TextField(default="")
    low_income = models.TextField(default="")
    homeless = models.TextField(default="")
    foster_care = models.TextField(default="")
    migrant = models.TextField(default="")
    has_problem = models.BooleanField(db_default=False)
    # Resolved (NULL or empty where the cell has a problem).
    school_pk = models.IntegerField(null=True)
    assessment_pk = models.IntegerField(null=True)
    subject_code = models.CharField(max_length=20, db_default="")
    grade_code = models.CharField(max_length=2, db_default="")
    year = models.SmallIntegerField(null=True)
    window_code = models.CharField(max_length=10, db_default="")
    level_number = models.SmallIntegerField(null=True)
    score_number = models.FloatField(null=True)

    class Meta:
        indexes = [models.Index(fields=["data_import", "line"], name="staged_result_line")]

    def __str__(self) -> str:
        return f"Staged line {self.line}"


class StagedMeasureRow(models.Model):
    """One row of a school measure values file, as text, with its line in the file.

    ``period`` is the date column as read, or the school year and the window or month
    joined with a space when the file gives those instead.
    """

    id = models.BigAutoField(primary_key=True)
    data_import = _staging_import_link()
    line = models.PositiveIntegerField()
    school = models.TextField(default="")
    measure = models.TextField(default="")
    period = models.TextField(default="")
    value = models.TextField(default="")
    numerator = models.TextField(default="")
    denominator = models.TextField(default="")
    has_problem = models.BooleanField(db_default=False)
    # Resolved (NULL or empty where the cell has a problem).
    school_pk = models.IntegerField(null=True)
    scope_key = models.CharField(max_length=30, db_default="")
    measure_pk = models.IntegerField(null=True)
    period_start = models.DateField(null=True)
    period_label = models.CharField(max_length=60, db_default="")
    year = models.SmallIntegerField(null=True)
    window_code = models.CharField(max_length=10, db_default="")
    value_number = models.FloatField(null=True)
    numerator_number = models.FloatField(null=True)
    denominator_number = models.FloatField(null=True)

    class Meta:
        indexes = [models.Index(fields=["data_import", "line"], name="staged_measure_line")]

    def __str__(self) -> str:
        return f"Staged line {self.line}"


class ResolvedValue(models.Model):
    """What one distinct text of one column means: the set-based checks join to this.

    A file of a million rows has a handful of schools, windows and years: each distinct
    text is resolved once (``code``/``number``/``detail``/``label``, or a ``problem``)
    and every row finds its meaning by a join.
    """

    data_import = _staging_import_link()
    field = models.CharField(max_length=30)
    raw = models.TextField()
    code = models.CharField(max_length=40, blank=True, default="")
    number = models.BigIntegerField(null=True, blank=True)
    detail = models.CharField(max_length=20, blank=True, default="")
    label = models.CharField(max_length=60, blank=True, default="")
    problem = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["data_import", "field", "raw"], name="resolved_value_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.field}: {self.raw}"


class ImportProblem(models.Model):
    """One problem with one row: the error report. ``value`` is empty for identifiers."""

    id = models.BigAutoField(primary_key=True)
    data_import = models.ForeignKey(
        DataImport, on_delete=models.CASCADE, db_index=False, related_name="problems"
    )
    line = models.PositiveIntegerField()
    field = models.CharField(max_length=30)
    problem = models.CharField(max_length=200)
    value = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        ordering = ["line", "id"]
        indexes = [models.Index(fields=["data_import", "line"], name="import_problem_line")]

    def __str__(self) -> str:
        return f"Line {self.line}, {self.field}: {self.problem}"
