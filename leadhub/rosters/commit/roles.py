"""Roles: staff roles become LeadHub memberships; student roles, school enrollments.

siteAdministrator becomes a principal unless the district chose otherwise; principal
a principal; districtAdministrator a district leader; teacher a teacher. Guardians,
parents and relatives, and roles LeadHub has no use for, are counted and left out. A
role already held in LeadHub (same person, role and school) is linked, never doubled.
"""

from __future__ import annotations

from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from leadhub.orgs.models import ROLE_LEVEL, Level, Membership, Role
from leadhub.rosters.commit.school_enrollments import Wanted, school_enrollments_upsert
from leadhub.rosters.context import Context, Target, chunks
from leadhub.rosters.models import RosterMembership, RosterPerson, StagedRole, StagedUser
from leadhub.rosters.models.imports import SiteAdministratorRole
from leadhub.students.models import Student

MEMBERSHIP_FIELDS = ["role", "level", "district", "school", "start_date", "end_date"]


def leadhub_roles(ctx: Context) -> dict[str, str]:
    roles: dict[str, str] = {
        "teacher": Role.TEACHER,
        "principal": Role.PRINCIPAL,
        "districtAdministrator": Role.DISTRICT_LEADER,
    }
    if ctx.site_administrator_role != SiteAdministratorRole.IGNORE:
        roles["siteAdministrator"] = ctx.site_administrator_role
    return roles


def commit_roles(ctx: Context, asserted: set[int]) -> None:
    file = ctx.file("roles")
    mapping = leadhub_roles(ctx)
    present = StagedRole.objects.filter(run=ctx.run, present=True)
    for chunk in chunks(present.filter(role__in=list(mapping))):
        _staff_roles(ctx, file, chunk, mapping)
    for chunk in chunks(present.filter(role="student")):
        _student_roles(ctx, file, chunk, asserted)


def _staff_roles(ctx: Context, file: str, chunk: list[StagedRole], mapping: dict[str, str]) -> None:
    people = {
        p.sourced_id: p
        for p in RosterPerson.objects.filter(
            district=ctx.district, sourced_id__in={r.user_sourced_id for r in chunk}
        )
    }
    links = {
        link.sourced_id: link
        for link in RosterMembership.objects.filter(
            district=ctx.district, sourced_id__in=[r.sourced_id for r in chunk]
        ).select_related("membership")
    }
    held = _held(ctx, [p.user_id for p in people.values()], set(mapping.values()))
    new: list[tuple[StagedRole, RosterPerson, Membership]] = []
    linked: list[RosterMembership] = []
    changed: list[Membership] = []
    relinked: list[RosterMembership] = []
    for row in chunk:
        person = people.get(row.user_sourced_id)
        if person is None:
            ctx.summary.add("staff_roles", "skipped")
            continue
        wanted = _membership(ctx, file, row, person, mapping[row.role])
        if wanted is None:
            continue
        link = links.get(row.sourced_id)
        if link is not None:
            if row.begin_date is None:
                # No date in the roster: the role started when LeadHub first saw it.
                wanted.start_date = link.membership.start_date
            if _differs(link.membership, wanted):
                _copy(wanted, link.membership)
                changed.append(link.membership)
            elif link.active:
                ctx.summary.add("staff_roles", "unchanged")
            if not link.active:
                link.active = True
                relinked.append(link)
            continue
        existing = held.get(_key(wanted))
        if existing is not None:
            linked.append(_link(ctx, row, person, existing))
            ctx.summary.add("staff_roles", "linked")
            continue
        held[_key(wanted)] = wanted
        new.append((row, person, wanted))
    created = bulk_create_with_history([m for _, _, m in new], Membership) if new else []
    links_new = [
        _link(ctx, row, person, membership, created=True)
        for (row, person, _), membership in zip(new, created, strict=True)
    ]
    RosterMembership.objects.bulk_create(links_new + linked)
    if changed:
        bulk_update_with_history(changed, Membership, MEMBERSHIP_FIELDS)
    RosterMembership.objects.bulk_update(relinked, ["active"])
    ctx.summary.add("staff_roles", "created", len(created))
    ctx.summary.add("staff_roles", "updated", len(changed) + len(relinked))


def _membership(
    ctx: Context, file: str, row: StagedRole, person: RosterPerson, role: str
) -> Membership | None:
    start = row.begin_date or ctx.today
    end = row.end_date
    if end is not None and end < start:
        ctx.issues.warn(
            file,
            row.line,
            "endDate",
            "end_before_begin",
            "The role ends before it begins; LeadHub read it without an end date.",
            end.isoformat(),
        )
        end = None
    level = ROLE_LEVEL[role]
    if level == Level.DISTRICT:
        return Membership(
            user_id=person.user_id,
            role=role,
            level=level,
            district=ctx.district,
            start_date=start,
            end_date=end,
        )
    school_id = ctx.school_of(row.org_sourced_id)
    if school_id is None:
        ctx.issues.warn(
            file,
            row.line,
            "orgSourcedId",
            "role_at_district",
            "LeadHub keeps teachers and principals at a school; this role at the district "
            "was left out.",
        )
        ctx.summary.add("staff_roles", "skipped")
        return None
    return Membership(
        user_id=person.user_id,
        role=role,
        level=level,
        district=ctx.district,
        school_id=school_id,
        start_date=start,
        end_date=end,
    )


def _held(
    ctx: Context, user_ids: list[int], roles: set[str]
) -> dict[tuple[int, str, int | None], Membership]:
    """Memberships these people hold in the district now (or from a later start)."""
    found = (
        Membership.objects.filter(user_id__in=user_ids, role__in=roles, district=ctx.district)
        .exclude(end_date__lt=ctx.today)
        .order_by("start_date")
    )
    return {_key(m): m for m in found}


def _key(membership: Membership) -> tuple[int, str, int | None]:
    return (membership.user_id, membership.role, membership.school_id)


def _differs(current: Membership, wanted: Membership) -> bool:
    return any(
        getattr(current, f) != getattr(wanted, f)
        for f in ("role", "school_id", "district_id", "start_date", "end_date")
    )


def _copy(source: Membership, target: Membership) -> None:
    for name in ("role", "level", "school_id", "district_id", "start_date", "end_date"):
        setattr(target, name, getattr(source, name))


def _link(
    ctx: Context,
    row: StagedRole,
    person: RosterPerson,
    membership: Membership,
    *,
    created: bool = False,
) -> RosterMembership:
    return RosterMembership(
        district=ctx.district,
        sourced_id=row.sourced_id,
        person=person,
        membership=membership,
        created_membership=created,
    )


def _student_roles(ctx: Context, file: str, chunk: list[StagedRole], asserted: set[int]) -> None:
    students = dict(
        Student.objects.filter(
            district=ctx.district, sourced_id__in={r.user_sourced_id for r in chunk}
        ).values_list("sourced_id", "pk")
    )
    grades = dict(
        StagedUser.objects.filter(
            run=ctx.run, sourced_id__in={r.user_sourced_id for r in chunk}
        ).values_list("sourced_id", "grade")
    )
    wanted: Wanted = {}
    for row in chunk:
        student_id = students.get(row.user_sourced_id)
        if student_id is None:
            ctx.summary.add("school_enrollments", "skipped")
            continue
        school_id = ctx.school_of(row.org_sourced_id)
        if school_id is None:
            if ctx.orgs[row.org_sourced_id].target is Target.DISTRICT:
                ctx.issues.warn(
                    file,
                    row.line,
                    "orgSourcedId",
                    "student_at_district",
                    "A student's role is at the district, not a school; LeadHub enrolls "
                    "students in schools, so the role was left out.",
                )
            ctx.summary.add("school_enrollments", "skipped")
            continue
        wanted[(student_id, school_id, ctx.school_year)] = grades.get(row.user_sourced_id, "")
    school_enrollments_upsert(ctx, wanted, asserted)
