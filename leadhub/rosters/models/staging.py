"""Staging tables: a run reads each CSV of the package into these, in chunks, then checks
and resolves references with set queries over them before writing anything.

They are working tables, not data: rows live only while their run does (``run`` is the
import's id, deliberately not a foreign key), and backups, restores and the district
walk skip them (``leadhub.lifecycle.tables.TRANSIENT_TABLES``). Only what LeadHub keeps
is staged: never passwords, birth dates or other demographics.
"""

from __future__ import annotations

from django.db import models


class Staged(models.Model):
    run = models.UUIDField()
    line = models.PositiveIntegerField()
    sourced_id = models.CharField(max_length=255)
    # False for a row marked ``tobedeleted`` (in a delta, or in a bulk file that fills status).
    present = models.BooleanField(default=True)

    class Meta:
        abstract = True
        indexes = [models.Index(fields=["run", "sourced_id"])]

    def __str__(self) -> str:
        return f"{type(self).__name__} line {self.line}"


class StagedOrg(Staged):
    name = models.CharField(max_length=255, blank=True, default="")
    org_type = models.CharField(max_length=40, blank=True, default="")
    identifier = models.CharField(max_length=255, blank=True, default="")
    parent_sourced_id = models.CharField(max_length=255, blank=True, default="")
    resolves_to_school = models.BooleanField(default=False)

    class Meta(Staged.Meta):
        indexes = [models.Index(fields=["run", "sourced_id"], name="rosters_sorg_run_sid")]


class StagedSession(Staged):
    session_type = models.CharField(max_length=40, blank=True, default="")
    school_year = models.PositiveSmallIntegerField(null=True)
    parent_sourced_id = models.CharField(max_length=255, blank=True, default="")

    class Meta(Staged.Meta):
        indexes = [models.Index(fields=["run", "sourced_id"], name="rosters_sses_run_sid")]


class StagedCourse(Staged):
    title = models.CharField(max_length=200, blank=True, default="")
    org_sourced_id = models.CharField(max_length=255, blank=True, default="")

    class Meta(Staged.Meta):
        indexes = [models.Index(fields=["run", "sourced_id"], name="rosters_scrs_run_sid")]


class StagedClass(Staged):
    title = models.CharField(max_length=200, blank=True, default="")
    grades = models.CharField(max_length=60, blank=True, default="")
    course_sourced_id = models.CharField(max_length=255, blank=True, default="")
    class_code = models.CharField(max_length=100, blank=True, default="")
    school_sourced_id = models.CharField(max_length=255, blank=True, default="")
    term_sourced_id = models.CharField(max_length=255, blank=True, default="")
    subjects = models.CharField(max_length=200, blank=True, default="")

    class Meta(Staged.Meta):
        indexes = [models.Index(fields=["run", "sourced_id"], name="rosters_scls_run_sid")]


class StagedUser(Staged):
    enabled = models.BooleanField(default=True)
    identifier = models.CharField(max_length=255, blank=True, default="")
    email = models.CharField(max_length=254, blank=True, default="")
    given_name = models.CharField(max_length=100, blank=True, default="")
    family_name = models.CharField(max_length=100, blank=True, default="")
    preferred_name = models.CharField(max_length=100, blank=True, default="")
    grade = models.CharField(max_length=2, blank=True, default="")
    primary_org_sourced_id = models.CharField(max_length=255, blank=True, default="")
    # Set from the roles and enrollments of the package (and what LeadHub already knows).
    is_student = models.BooleanField(default=False)
    is_staff = models.BooleanField(default=False)
    is_guardian = models.BooleanField(default=False)

    class Meta(Staged.Meta):
        indexes = [models.Index(fields=["run", "sourced_id"], name="rosters_susr_run_sid")]


class StagedRole(Staged):
    user_sourced_id = models.CharField(max_length=255, blank=True, default="")
    role = models.CharField(max_length=40, blank=True, default="")
    org_sourced_id = models.CharField(max_length=255, blank=True, default="")
    begin_date = models.DateField(null=True)
    end_date = models.DateField(null=True)

    class Meta(Staged.Meta):
        indexes = [
            models.Index(fields=["run", "sourced_id"], name="rosters_srol_run_sid"),
            models.Index(fields=["run", "user_sourced_id"], name="rosters_srol_run_user"),
        ]


class StagedEnrollment(Staged):
    class_sourced_id = models.CharField(max_length=255, blank=True, default="")
    school_sourced_id = models.CharField(max_length=255, blank=True, default="")
    user_sourced_id = models.CharField(max_length=255, blank=True, default="")
    role = models.CharField(max_length=40, blank=True, default="")
    primary = models.BooleanField(null=True)

    class Meta(Staged.Meta):
        indexes = [
            models.Index(fields=["run", "sourced_id"], name="rosters_senr_run_sid"),
            models.Index(fields=["run", "user_sourced_id"], name="rosters_senr_run_user"),
        ]


class StagedDemographic(Staged):
    """The race and ethnicity groups a student's demographics row names (group codes)."""

    groups = models.CharField(max_length=200, blank=True, default="")

    class Meta(Staged.Meta):
        indexes = [models.Index(fields=["run", "sourced_id"], name="rosters_sdem_run_sid")]


class StagedStudentEnrollment(models.Model):
    """School enrollments a run asserted, so a bulk run can deactivate the others."""

    run = models.UUIDField()
    enrollment_id = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["run", "enrollment_id"], name="rosters_sse_run_id")]

    def __str__(self) -> str:
        return f"Asserted enrollment {self.enrollment_id}"


STAGING_MODELS: tuple[type[models.Model], ...] = (
    StagedOrg,
    StagedSession,
    StagedCourse,
    StagedClass,
    StagedUser,
    StagedRole,
    StagedEnrollment,
    StagedDemographic,
    StagedStudentEnrollment,
)
