"""One run of a roster package, from the ZIP to the import log.

1. Open the ZIP with its guards and read the manifest (a OneRoster 1.1 package stops here).
2. Stage each file the manifest declares, a chunk at a time.
3. Check the staged package set by set (duplicates, orgs, references, who is who).
4. Any problem: the package is refused and nothing is written.
5. A bulk package that would deactivate more than a tenth of a kind of record stops and
   asks for a confirmation, unless it was given.
6. Otherwise everything is written in one transaction: a failure anywhere changes
   nothing. A check (dry run) writes everything the same way, counts it, and rolls back.

The staging rows go when the run ends, however it ends.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from django.db import transaction
from django.utils import timezone

from leadhub.audit.models import AuditEvent
from leadhub.audit.services import audit_record
from leadhub.orgs.models import District
from leadhub.rosters.checks import check_package
from leadhub.rosters.commit.classes import commit_classes, school_years_ensure
from leadhub.rosters.commit.deactivate import deactivate, deactivation_guard
from leadhub.rosters.commit.demographics import commit_demographics
from leadhub.rosters.commit.enrollments import commit_enrollments
from leadhub.rosters.commit.orgs import commit_orgs
from leadhub.rosters.commit.people import commit_staff, commit_students, count_left_out
from leadhub.rosters.commit.roles import commit_roles
from leadhub.rosters.context import Context
from leadhub.rosters.issues import Issue, Issues, Refused
from leadhub.rosters.models import ImportStatus, IssueSeverity, RosterImport, RosterIssue
from leadhub.rosters.models.imports import ACTIVE_STATUSES
from leadhub.rosters.models.staging import STAGING_MODELS
from leadhub.rosters.package import Package
from leadhub.rosters.spec import READ_FILES
from leadhub.rosters.stage import stage_file, staging_clear

Report = Callable[[int, int], None]
OBJECT_TYPE = "rosters.RosterImport"


def run_import(roster_import: RosterImport, *, source: BinaryIO, report: Report) -> None:
    """Run the package against its district and record the outcome on ``roster_import``."""
    _clear_abandoned_staging()
    roster_import.status = ImportStatus.RUNNING
    roster_import.started_at = timezone.now()
    roster_import.save(update_fields=["status", "started_at", "updated_at"])
    issues = Issues()
    try:
        ctx = _read(roster_import, source, issues, report)
        if ctx is None or issues.refused:
            _finish(roster_import, ImportStatus.REFUSED, issues, ctx)
            return
        if not _write(ctx, roster_import):
            _finish(roster_import, ImportStatus.NEEDS_CONFIRMATION, issues, ctx)
            return
        status = ImportStatus.CHECKED if roster_import.dry_run else ImportStatus.IMPORTED
        _finish(roster_import, status, issues, ctx)
    except BaseException:
        roster_import.status = ImportStatus.FAILED
        roster_import.message = "Something went wrong while importing, and nothing was changed."
        roster_import.finished_at = timezone.now()
        roster_import.save(update_fields=["status", "message", "finished_at", "updated_at"])
        audit_record(
            action="roster_import.failed",
            actor=roster_import.uploaded_by,
            object_type=OBJECT_TYPE,
            object_id=roster_import.pk,
            outcome=AuditEvent.Outcome.FAILED,
            district_id=roster_import.district_id,
        )
        raise
    finally:
        staging_clear(roster_import.pk)
        total = len(READ_FILES) + 2
        report(total, total)


def _read(
    roster_import: RosterImport, source: BinaryIO, issues: Issues, report: Report
) -> Context | None:
    """Open, stage and check the package; None when it cannot be read at all."""
    total = len(READ_FILES) + 2
    try:
        package = Package(source, issues)
    except Refused:
        return None
    try:
        package.check()
        ctx = Context(
            run=roster_import.pk,
            district=roster_import.district,
            modes={name: pf.mode for name, pf in package.files.items()},
            members={name: pf.member for name, pf in package.files.items()},
            issues=issues,
            site_administrator_role=roster_import.site_administrator_role,
            today=timezone.localdate(),
        )
        roster_import.modes = {name: mode.value for name, mode in ctx.modes.items()}
        if not package.files and not issues.refused:
            issues.problem(
                "manifest.csv",
                None,
                "",
                "nothing_to_import",
                "The manifest declares none of the files LeadHub reads (orgs, "
                "academicSessions, courses, classes, users, roles, enrollments, "
                "demographics) as bulk or delta.",
            )
        if issues.refused:
            return ctx
        for done, spec in enumerate(READ_FILES, start=1):
            if spec.name in package.files:
                stage_file(run=roster_import.pk, package=package, spec=spec, issues=issues)
            report(done, total)
        if not issues.refused:
            check_package(ctx)
        report(total - 1, total)
        return ctx
    except Refused:
        return None
    finally:
        package.close()


def _write(ctx: Context, roster_import: RosterImport) -> bool:
    """Write the package in one transaction (rolled back for a check); False when a large
    deactivation stopped it for a confirmation, before anything was written."""
    with transaction.atomic():
        # One import of a district at a time: a second waits here for the first to finish,
        # then judges its deactivations against what the first left.
        District.objects.select_for_update().filter(pk=ctx.district.pk).first()
        roster_import.deactivation = deactivation_guard(ctx)
        if roster_import.deactivation and not (
            roster_import.dry_run or roster_import.confirm_deactivation
        ):
            return False
        if ctx.reads("orgs"):
            commit_orgs(ctx)
        session_years = school_years_ensure(ctx)
        if ctx.reads("classes"):
            commit_classes(ctx, session_years)
        if ctx.reads("users"):
            commit_students(ctx)
            commit_staff(ctx)
            count_left_out(ctx)
        asserted: set[int] = set()
        if ctx.reads("roles"):
            commit_roles(ctx, asserted)
        if ctx.reads("enrollments"):
            commit_enrollments(ctx, asserted)
        if ctx.reads("demographics"):
            commit_demographics(ctx)
        deactivate(ctx)
        if roster_import.dry_run:
            transaction.set_rollback(True)
    return True


def _finish(roster_import: RosterImport, status: str, issues: Issues, ctx: Context | None) -> None:
    roster_import.status = status
    roster_import.problem_count = issues.problem_total
    roster_import.warning_count = len(issues.warnings)
    if ctx is not None:
        roster_import.school_year = ctx.school_year or None
        roster_import.summary = ctx.summary.as_json()
        roster_import.created_schools = ctx.created_schools
    roster_import.message = _message(roster_import)
    roster_import.finished_at = timezone.now()
    roster_import.save()
    RosterIssue.objects.filter(roster_import=roster_import).delete()
    order = _reading_order(ctx)
    issues.problems.sort(key=order)
    ordered_warnings = sorted(issues.warnings, key=order)
    RosterIssue.objects.bulk_create(
        [
            RosterIssue(
                roster_import=roster_import,
                severity=IssueSeverity.PROBLEM,
                file=p.file[:100],
                line=p.line,
                column=p.column[:100],
                code=p.code,
                message=p.message[:500],
                value=p.value,
            )
            for p in issues.problems
        ]
        + [
            RosterIssue(
                roster_import=roster_import,
                severity=IssueSeverity.WARNING,
                file=w.file[:100],
                line=w.line,
                column=w.column[:100],
                code=w.code,
                message=w.message[:500],
                value=w.value,
                occurrences=w.occurrences,
            )
            for w in ordered_warnings
        ]
    )
    audit_record(
        action=f"roster_import.{status}",
        actor=roster_import.uploaded_by,
        object_type=OBJECT_TYPE,
        object_id=roster_import.pk,
        outcome=AuditEvent.Outcome.FAILED
        if status == ImportStatus.REFUSED
        else AuditEvent.Outcome.OK,
        district_id=roster_import.district_id,
    )


def _reading_order(ctx: Context | None) -> Callable[[Issue], tuple[int, int]]:
    """Issues as a person reads the package: the manifest, then each file in turn, by line."""
    members = ctx.members if ctx is not None else {}
    rank = {"manifest.csv": 0} | {
        members.get(spec.name, spec.file_name): n for n, spec in enumerate(READ_FILES, start=1)
    }
    return lambda issue: (rank.get(issue.file, len(rank)), issue.line or 0)


def _message(roster_import: RosterImport) -> str:
    label = roster_import.school_year_label
    year = f" for {label}" if label else ""
    if roster_import.status == ImportStatus.REFUSED:
        n = roster_import.problem_count
        return (
            f"The package has {n:,} problem{'s' if n != 1 else ''} to correct. Nothing was changed."
        )
    if roster_import.status == ImportStatus.NEEDS_CONFIRMATION:
        return (
            "Stopped before changing anything: this package would make more than a tenth of "
            "some of the district's roster records inactive. Confirm to go ahead."
        )
    if roster_import.status == ImportStatus.CHECKED:
        return f"The package can be imported{year}. Nothing was changed."
    return f"The roster{year} is imported."


def _clear_abandoned_staging() -> None:
    """Staging rows of runs that died without clearing them (a killed worker)."""
    running = RosterImport.objects.filter(status__in=ACTIVE_STATUSES).values("pk")
    for model in STAGING_MODELS:
        model._default_manager.exclude(run__in=running).delete()
