"""Deactivations: what a bulk file no longer lists, and what a delta marks tobedeleted.

Only records the roster brought in (those with a sourcedId, or linked to one) are
considered: a student entered by hand or a role given in LeadHub is never deactivated
by a package that does not know it. Nothing is deleted: students, classes and class
enrollments become inactive, and roles end (yesterday) so their history stays.

Before anything is written, :func:`deactivation_guard` compares what a bulk package
would deactivate with what the district has: above ``CONFIRM_SHARE`` of a kind, the
import stops and asks for a confirmation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from leadhub.orgs.models import Membership
from leadhub.rosters.commit.demographics import race_group_ids
from leadhub.rosters.context import KINDS, Context, chunks
from leadhub.rosters.models import (
    RosterMembership,
    RosterOrg,
    RosterPerson,
    StagedClass,
    StagedDemographic,
    StagedEnrollment,
    StagedOrg,
    StagedRole,
    StagedStudentEnrollment,
    StagedUser,
)
from leadhub.rosters.spec import Mode
from leadhub.students.models import (
    Section,
    SectionStudent,
    SectionTeacher,
    Student,
    StudentEnrollment,
    StudentGroupMembership,
)

CONFIRM_SHARE = 0.10


@dataclass
class Pending:
    """Rows of one kind a package would deactivate, and the kind's active rows."""

    kind: str
    file: str
    doomed: QuerySet[Any]
    active: QuerySet[Any]


def _in_file(ctx: Context, model: Any, *, present: bool) -> QuerySet[Any]:
    return model.objects.filter(run=ctx.run, present=present).values("sourced_id")


def _by_file(
    ctx: Context, file: str, model: Any, active: QuerySet[Any], key: str = "sourced_id"
) -> QuerySet[Any] | None:
    """In a bulk file: the active rows it does not list; in a delta: those it removes."""
    mode = ctx.mode(file)
    if mode is Mode.BULK:
        return active.exclude(**{f"{key}__in": _in_file(ctx, model, present=True)})
    if mode is Mode.DELTA:
        return active.filter(**{f"{key}__in": _in_file(ctx, model, present=False)})
    return None


def pending(ctx: Context) -> list[Pending]:
    d = ctx.district
    found: list[Pending] = []

    def add(kind: str, file: str, model: Any, active: QuerySet[Any]) -> None:
        doomed = _by_file(ctx, file, model, active)
        if doomed is not None:
            found.append(Pending(kind, file, doomed, active))

    students = Student.objects.filter(district=d, active=True).exclude(sourced_id="")
    if ctx.mode("users") is Mode.BULK:
        # A student the package lists under a new sourcedId is matched by identifier.
        identifiers = StagedUser.objects.filter(run=ctx.run, present=True).exclude(identifier="")
        students_doomed = students.exclude(
            sourced_id__in=_in_file(ctx, StagedUser, present=True)
        ).exclude(state_student_id__in=identifiers.values("identifier"))
        found.append(Pending("students", "users", students_doomed, students))
    else:
        add("students", "users", StagedUser, students)
    add("staff", "users", StagedUser, RosterPerson.objects.filter(district=d, active=True))
    add(
        "classes",
        "classes",
        StagedClass,
        Section.objects.filter(district=d, active=True).exclude(sourced_id=""),
    )
    add(
        "staff_roles", "roles", StagedRole, RosterMembership.objects.filter(district=d, active=True)
    )
    add(
        "class_students",
        "enrollments",
        StagedEnrollment,
        SectionStudent.objects.filter(district=d, active=True).exclude(sourced_id=""),
    )
    add(
        "class_teachers",
        "enrollments",
        StagedEnrollment,
        SectionTeacher.objects.filter(district=d, active=True).exclude(sourced_id=""),
    )
    return found


def deactivation_guard(ctx: Context) -> list[dict[str, Any]]:
    """The kinds a bulk package would deactivate more than ``CONFIRM_SHARE`` of."""
    flagged = []
    for item in pending(ctx):
        if ctx.mode(item.file) is not Mode.BULK:
            continue
        doomed, active = item.doomed.count(), item.active.count()
        if active and doomed > CONFIRM_SHARE * active:
            flagged.append(
                {"kind": item.kind, "label": KINDS[item.kind], "count": doomed, "active": active}
            )
    return flagged


def deactivate(ctx: Context) -> None:
    """Apply every deactivation (after the package's records are written)."""
    now = timezone.now()
    yesterday = ctx.today - dt.timedelta(days=1)
    actions: dict[str, Callable[[QuerySet[Any]], int]] = {
        "students": lambda q: q.update(active=False, updated_at=now),
        "staff": lambda q: q.update(active=False, updated_at=now),
        "classes": lambda q: q.update(active=False, updated_at=now),
        "staff_roles": lambda q: _end_roles(q, yesterday),
        "class_students": lambda q: q.update(active=False),
        "class_teachers": lambda q: q.update(active=False),
    }
    for item in pending(ctx):
        ctx.summary.add(item.kind, "deactivated", actions[item.kind](item.doomed))
    _follow_people(ctx, yesterday)
    _school_enrollments(ctx)
    _orgs(ctx)
    _groups(ctx)


def _follow_people(ctx: Context, yesterday: dt.date) -> None:
    """A student or staff member who is gone takes their classes and roles with them."""
    d = ctx.district
    gone_students = Student.objects.filter(district=d, active=False).exclude(sourced_id="")
    ctx.summary.add(
        "class_students",
        "deactivated",
        SectionStudent.objects.filter(district=d, active=True, student__in=gone_students).update(
            active=False
        ),
    )
    gone_staff = RosterPerson.objects.filter(district=d, active=False)
    ctx.summary.add(
        "staff_roles",
        "deactivated",
        _end_roles(
            RosterMembership.objects.filter(district=d, active=True, person__in=gone_staff),
            yesterday,
        ),
    )
    ctx.summary.add(
        "class_teachers",
        "deactivated",
        SectionTeacher.objects.filter(district=d, active=True)
        .exclude(sourced_id="")
        .filter(user_id__in=gone_staff.values("user_id"))
        .exclude(user_id__in=RosterPerson.objects.filter(district=d, active=True).values("user_id"))
        .update(active=False),
    )


def _end_roles(links: QuerySet[RosterMembership], yesterday: dt.date) -> int:
    """End the memberships these role links gave, keeping them in the record.

    A role that has not begun yet (it starts today or later) cannot end yesterday: one
    the roster made is removed, as if never given; one LeadHub had ends on its first day.
    """
    count = 0
    for chunk in chunks(links.select_related("membership")):
        ended, never_began = [], []
        for link in chunk:
            membership = link.membership
            if membership.start_date > yesterday and link.created_membership:
                never_began.append(membership.pk)
            elif membership.end_date is None or membership.end_date > yesterday:
                membership.end_date = max(yesterday, membership.start_date)
                ended.append(membership)
        if ended:
            bulk_update_with_history(ended, Membership, ["end_date"])
        RosterMembership.objects.filter(pk__in=[link.pk for link in chunk]).update(active=False)
        if never_began:
            RosterMembership.objects.filter(membership_id__in=never_began).delete()
            Membership.objects.filter(pk__in=never_began).delete()
        count += len(chunk)
    return count


def _school_enrollments(ctx: Context) -> None:
    """The year's school enrollments of students who are gone, and, when the files that
    place students (roles, enrollments) are complete, those the package no longer gives."""
    d = ctx.district
    active = StudentEnrollment.objects.filter(
        district=d, active=True, school_year_id=ctx.school_year
    ).exclude(student__sourced_id="")
    gone = active.filter(student__active=False)
    count = gone.update(active=False)
    modes = {ctx.mode("roles"), ctx.mode("enrollments")}
    if Mode.BULK in modes and Mode.DELTA not in modes:
        asserted = StagedStudentEnrollment.objects.filter(run=ctx.run).values("enrollment_id")
        count += active.exclude(pk__in=asserted).update(active=False)
    if ctx.mode("roles") is Mode.DELTA:
        count += _removed_student_roles(ctx)
    ctx.summary.add("school_enrollments", "deactivated", count)


def _removed_student_roles(ctx: Context) -> int:
    count = 0
    removed = StagedRole.objects.filter(run=ctx.run, present=False, role="student")
    for chunk in chunks(removed):
        students = dict(
            Student.objects.filter(
                district=ctx.district, sourced_id__in={r.user_sourced_id for r in chunk}
            ).values_list("sourced_id", "pk")
        )
        condition = Q()
        for row in chunk:
            school_id = ctx.school_of(row.org_sourced_id)
            if row.user_sourced_id in students and school_id is not None:
                condition |= Q(student_id=students[row.user_sourced_id], school_id=school_id)
        if condition:
            count += StudentEnrollment.objects.filter(
                condition, school_year_id=ctx.school_year, active=True
            ).update(active=False)
    return count


def _orgs(ctx: Context) -> None:
    doomed = _by_file(
        ctx, "orgs", StagedOrg, RosterOrg.objects.filter(district=ctx.district, active=True)
    )
    if doomed is not None:
        doomed.update(active=False, updated_at=timezone.now())


def _groups(ctx: Context) -> None:
    """Roster race and ethnicity groups of students the demographics no longer cover."""
    held = StudentGroupMembership.objects.filter(
        district=ctx.district,
        school_year_id=ctx.school_year,
        source=StudentGroupMembership.Source.ROSTER,
        group_id__in=race_group_ids().values(),
    )
    doomed = _by_file(ctx, "demographics", StagedDemographic, held, key="student__sourced_id")
    if doomed is not None:
        ctx.summary.add("student_groups", "deactivated", doomed.delete()[0])
