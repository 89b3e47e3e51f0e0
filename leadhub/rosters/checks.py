"""Checks over the staged package, set by set: duplicates, the orgs and what each stands
for, references between files, and who is a student and who is staff.

A reference to a user, class or school that is neither in the package nor already in
LeadHub refuses the package. A reference to something the same package removes is a
warning: the row is treated as removed too. A missing optional parent (an org's parent,
a session's parent, a class's course or term) is a warning.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Min, Q, QuerySet

from leadhub.orgs.models import School
from leadhub.orgs.selectors import current_school_year
from leadhub.rosters.context import Context, OrgTarget, Target
from leadhub.rosters.issues import MAX_PROBLEMS_KEPT
from leadhub.rosters.models import (
    RosterOrg,
    RosterPerson,
    StagedClass,
    StagedCourse,
    StagedDemographic,
    StagedEnrollment,
    StagedOrg,
    StagedRole,
    StagedSession,
    StagedUser,
)
from leadhub.rosters.models.imports import SiteAdministratorRole
from leadhub.rosters.models.staging import Staged
from leadhub.students.models import Section, Student

STAFF_ROLES = frozenset({"teacher", "principal", "siteAdministrator", "districtAdministrator"})
GUARDIAN_ROLES = frozenset({"guardian", "parent", "relative"})
MAX_SCHOOL_STATE_ID = 30
PARENT_DEPTH = 5

FILES: dict[type[Staged], str] = {
    StagedOrg: "orgs",
    StagedSession: "academicSessions",
    StagedCourse: "courses",
    StagedClass: "classes",
    StagedUser: "users",
    StagedRole: "roles",
    StagedEnrollment: "enrollments",
    StagedDemographic: "demographics",
}


def check_package(ctx: Context) -> None:
    """Every check, in order; problems and warnings go to ``ctx.issues``."""
    checker = _Checker(ctx)
    checker.duplicates()
    checker.orgs()
    checker.sessions()
    checker.classes()
    checker.people_references()
    checker.classify_users()
    ctx.school_year = package_school_year(ctx)


def package_school_year(ctx: Context) -> int:
    """The school year the package is for: its schoolYear session, else its latest session
    year, else the current school year."""
    sessions = StagedSession.objects.filter(run=ctx.run, present=True, school_year__isnull=False)
    years = [
        y
        for y in sessions.filter(session_type="schoolYear").values_list("school_year", flat=True)
        if y
    ]
    every = [y for y in sessions.values_list("school_year", flat=True) if y]
    return max(years or every or [current_school_year()])


class _Checker:
    def __init__(self, ctx: Context) -> None:
        self.ctx, self.issues = ctx, ctx.issues

    def file(self, name: str) -> str:
        return self.ctx.file(name)

    def staged[S: Staged](self, model: type[S], **filters: object) -> QuerySet[S]:
        return model._default_manager.filter(run=self.ctx.run, **filters)

    # Duplicates ------------------------------------------------------------------

    def duplicates(self) -> None:
        for model, name in FILES.items():
            repeated = (
                self.staged(model)
                .values("sourced_id")
                .annotate(n=Count("pk"), first=Min("line"))
                .filter(n__gt=1)
            )
            firsts = {r["sourced_id"]: r["first"] for r in repeated[:MAX_PROBLEMS_KEPT]}
            if not firsts:
                continue
            rows = self.staged(model, sourced_id__in=list(firsts)).exclude(
                line__in=list(firsts.values())
            )
            for sourced_id, line in rows.order_by("line").values_list("sourced_id", "line")[
                :MAX_PROBLEMS_KEPT
            ]:
                self.issues.problem(
                    self.file(name),
                    line,
                    "sourcedId",
                    "duplicate_sourced_id",
                    f"This sourcedId is already on line {firsts[sourced_id]:,}; each row "
                    "needs its own.",
                )

    # Orgs ------------------------------------------------------------------------------

    def orgs(self) -> None:
        ctx = self.ctx
        staged = {o.sourced_id: o for o in self.staged(StagedOrg)}
        known = {r.sourced_id: r for r in RosterOrg.objects.filter(district=ctx.district)}
        wanted = [o.identifier for o in staged.values() if o.present and o.org_type == "school"]
        by_state_id = {
            s.state_id: s
            for s in School.objects.filter(state_id__in=[i for i in wanted if i]).select_related(
                "district"
            )
        }
        for sourced_id, record in known.items():
            ctx.orgs[sourced_id] = _known_target(record)
        for org in staged.values():
            if not org.present:
                if org.sourced_id not in known:
                    ctx.orgs[org.sourced_id] = OrgTarget(Target.REMOVED, line=org.line)
                continue
            ctx.orgs[org.sourced_id] = self._org_target(org, known, by_state_id)
        self._same_identifier(staged)
        for org in staged.values():
            if org.present and org.org_type not in ("school", "district"):
                ctx.orgs[org.sourced_id] = self._parent_school(org, staged, known)
            if org.present and org.parent_sourced_id and org.parent_sourced_id not in ctx.orgs:
                self.issues.warn(
                    self.file("orgs"),
                    org.line,
                    "parentSourcedId",
                    "parent_missing",
                    "The parent org is neither in the package nor in LeadHub; the org was "
                    "read without it.",
                )
        schools = [o.sourced_id for o in staged.values() if _is_school(ctx.orgs[o.sourced_id])]
        self.staged(StagedOrg, sourced_id__in=schools).update(resolves_to_school=True)

    def _org_target(
        self, org: StagedOrg, known: dict[str, RosterOrg], by_state_id: dict[str, School]
    ) -> OrgTarget:
        ctx, file = self.ctx, self.file("orgs")
        if org.org_type == "district":
            if org.identifier and org.identifier != ctx.district.state_id:
                self.issues.problem(
                    file,
                    org.line,
                    "identifier",
                    "district_mismatch",
                    f"This package's district has another state identifier than "
                    f"{ctx.district.name} ({ctx.district.state_id}). Check that you chose the "
                    "district the package comes from.",
                    org.identifier,
                )
            return OrgTarget(Target.DISTRICT, line=org.line, org_type=org.org_type)
        if org.org_type != "school":
            return OrgTarget(Target.OTHER, line=org.line, org_type=org.org_type)
        record = known.get(org.sourced_id)
        if record is not None and record.school_id is not None:
            return OrgTarget(Target.SCHOOL, record.school_id, line=org.line, org_type="school")
        if not org.identifier:
            self.issues.problem(
                file,
                org.line,
                "identifier",
                "school_identifier_missing",
                "This school has no identifier. LeadHub finds (or creates) each school by "
                "its state school code in the identifier column: add it and upload again.",
            )
            return OrgTarget(Target.INVALID, line=org.line, org_type=org.org_type)
        if len(org.identifier) > MAX_SCHOOL_STATE_ID:
            self.issues.problem(
                file,
                org.line,
                "identifier",
                "value_too_long",
                f"A state school code has at most {MAX_SCHOOL_STATE_ID} characters.",
            )
            return OrgTarget(Target.INVALID, line=org.line, org_type=org.org_type)
        school = by_state_id.get(org.identifier)
        if school is not None and school.district_id != ctx.district.pk:
            self.issues.problem(
                file,
                org.line,
                "identifier",
                "school_in_other_district",
                f"LeadHub has the school with this state code in another district "
                f"({school.district.name}). A package brings the schools of one district.",
                org.identifier,
            )
            return OrgTarget(Target.INVALID, line=org.line, org_type=org.org_type)
        if school is not None:
            return OrgTarget(Target.SCHOOL, school.pk, line=org.line, org_type="school")
        return OrgTarget(Target.SCHOOL, new_school=org.sourced_id, line=org.line, org_type="school")

    def _same_identifier(self, staged: dict[str, StagedOrg]) -> None:
        seen: dict[str, int] = {}
        for org in sorted(staged.values(), key=lambda o: o.line):
            if not (org.present and org.org_type == "school" and org.identifier):
                continue
            target = self.ctx.orgs[org.sourced_id]
            if not target.new_school:
                continue
            if org.identifier in seen:
                self.issues.problem(
                    self.file("orgs"),
                    org.line,
                    "identifier",
                    "duplicate_identifier",
                    f"The school on line {seen[org.identifier]:,} has the same state code.",
                    org.identifier,
                )
            seen.setdefault(org.identifier, org.line)

    def _parent_school(
        self, org: StagedOrg, staged: dict[str, StagedOrg], known: dict[str, RosterOrg]
    ) -> OrgTarget:
        """A department (or another org that is not a school) stands for its school."""
        parent = org.parent_sourced_id
        for _ in range(PARENT_DEPTH):
            target = self.ctx.orgs.get(parent)
            if target is None:
                break
            if _is_school(target):
                return OrgTarget(
                    Target.SCHOOL,
                    target.school_id,
                    new_school=target.new_school,
                    line=org.line,
                    org_type=org.org_type,
                )
            following = staged.get(parent) or known.get(parent)
            parent = following.parent_sourced_id if following is not None else ""
        return OrgTarget(Target.OTHER, line=org.line, org_type=org.org_type)

    # Sessions and classes --------------------------------------------------------------

    def sessions(self) -> None:
        if not self.ctx.reads("academicSessions"):
            return
        orphans = (
            self.staged(StagedSession, present=True)
            .exclude(parent_sourced_id="")
            .exclude(parent_sourced_id__in=self.staged(StagedSession).values("sourced_id"))
        )
        for line in orphans.order_by("line").values_list("line", flat=True)[:MAX_PROBLEMS_KEPT]:
            self.issues.warn(
                self.file("academicSessions"),
                line,
                "parentSourcedId",
                "parent_missing",
                "The parent session is not in the package; the session was read without it.",
            )

    def classes(self) -> None:
        if not self.ctx.reads("classes"):
            return
        file = self.file("classes")
        present = self.staged(StagedClass, present=True)
        self.org_references(StagedClass, "classes", "school_sourced_id", "schoolSourcedId")
        courses = self.staged(StagedCourse, present=True).values("sourced_id")
        for line in (
            present.exclude(course_sourced_id__in=courses)
            .order_by("line")
            .values_list("line", flat=True)[:MAX_PROBLEMS_KEPT]
        ):
            self.issues.warn(
                file,
                line,
                "courseSourcedId",
                "course_missing",
                "The class's course is not in the package: a new class has no course title, "
                "and a class LeadHub has keeps its own.",
            )
        terms = self.staged(StagedSession, present=True).values("sourced_id")
        for line in (
            present.exclude(term_sourced_id__in=terms)
            .order_by("line")
            .values_list("line", flat=True)[:MAX_PROBLEMS_KEPT]
        ):
            self.issues.warn(
                file,
                line,
                "termSourcedIds",
                "term_missing",
                "The class's term is not in the package: a new class is placed in the "
                "package's school year, and a class LeadHub has keeps its own.",
            )
        if self.ctx.reads("courses"):
            for line in (
                self.staged(StagedCourse, present=True)
                .exclude(org_sourced_id__in=list(self.ctx.orgs))
                .order_by("line")
                .values_list("line", flat=True)[:MAX_PROBLEMS_KEPT]
            ):
                self.issues.warn(
                    self.file("courses"),
                    line,
                    "orgSourcedId",
                    "parent_missing",
                    "The course's org is neither in the package nor in LeadHub; the course "
                    "was read without it.",
                )

    def org_references(
        self, model: type[Staged], name: str, field: str, column: str, *, district_ok: bool = False
    ) -> None:
        """Rows pointing at an org that is not a school (or the district, where allowed)."""
        allowed = {Target.SCHOOL, Target.DISTRICT} if district_ok else {Target.SCHOOL}
        good = [sid for sid, t in self.ctx.orgs.items() if t.target in allowed and _resolved(t)]
        removed = [sid for sid, t in self.ctx.orgs.items() if t.target is Target.REMOVED]
        bad = self.staged(model, present=True).exclude(**{f"{field}__in": good}).order_by("line")
        file = self.file(name)
        for line, sourced in bad.values_list("line", field)[:MAX_PROBLEMS_KEPT]:
            target = self.ctx.orgs.get(sourced)
            if target is None:
                self.issues.problem(
                    file,
                    line,
                    column,
                    "reference_missing",
                    "Points at a school that is neither in the package nor in LeadHub.",
                )
            elif target.target in (Target.REMOVED, Target.INVALID):
                continue  # removed with the org, or refused with the org's own problem
            elif target.line is not None:
                self.issues.problem(
                    file,
                    line,
                    column,
                    "org_not_school",
                    f"Points at the org on line {target.line:,} of orgs.csv, a "
                    f"{target.org_type or 'org'} that belongs to no school LeadHub knows.",
                )
            else:
                self.issues.problem(
                    file,
                    line,
                    column,
                    "org_not_school",
                    "Points at an org LeadHub knows that is not a school.",
                )
        self._removed(model, name, field, column, removed, "org")

    def _removed(
        self, model: type[Staged], name: str, field: str, column: str, removed: Any, what: str
    ) -> None:
        """Rows pointing at something this package removes are removed with it."""
        rows = self.staged(model, present=True, **{f"{field}__in": removed})
        for line in rows.order_by("line").values_list("line", flat=True)[:MAX_PROBLEMS_KEPT]:
            self.issues.warn(
                self.file(name),
                line,
                column,
                "reference_removed",
                f"Points at a{'n' if what[0] in 'aeiou' else ''} {what} this package removes "
                "(status tobedeleted), so the row was taken as removed too.",
            )
        rows.update(present=False)

    # People ------------------------------------------------------------------------------

    def people_references(self) -> None:
        ctx = self.ctx
        users = self.staged(StagedUser).values("sourced_id")
        students = Student.objects.filter(district=ctx.district).exclude(sourced_id="")
        staff = RosterPerson.objects.filter(district=ctx.district)
        removed_users = self.staged(StagedUser, present=False).values("sourced_id")
        linked: tuple[tuple[type[StagedRole] | type[StagedEnrollment], str], ...] = (
            (StagedRole, "roles"),
            (StagedEnrollment, "enrollments"),
        )
        for model, name in linked:
            if not ctx.reads(name):
                continue
            missing = (
                self.staged(model, present=True)
                .exclude(user_sourced_id__in=users)
                .exclude(user_sourced_id__in=students.values("sourced_id"))
                .exclude(user_sourced_id__in=staff.values("sourced_id"))
            )
            for line in missing.order_by("line").values_list("line", flat=True)[:MAX_PROBLEMS_KEPT]:
                self.issues.problem(
                    self.file(name),
                    line,
                    "userSourcedId",
                    "reference_missing",
                    "Points at a person who is neither in the package nor in LeadHub.",
                )
            self._removed(model, name, "user_sourced_id", "userSourcedId", removed_users, "person")
        if ctx.reads("roles"):
            self.org_references(
                StagedRole, "roles", "org_sourced_id", "orgSourcedId", district_ok=True
            )
        if ctx.reads("enrollments"):
            self._enrollment_classes()
            self.org_references(
                StagedEnrollment, "enrollments", "school_sourced_id", "schoolSourcedId"
            )
        if ctx.reads("users"):
            for line in (
                self.staged(StagedUser, present=True)
                .exclude(primary_org_sourced_id="")
                .exclude(primary_org_sourced_id__in=list(ctx.orgs))
                .order_by("line")
                .values_list("line", flat=True)[:MAX_PROBLEMS_KEPT]
            ):
                self.issues.warn(
                    self.file("users"),
                    line,
                    "primaryOrgSourcedId",
                    "parent_missing",
                    "The person's primary org is neither in the package nor in LeadHub; "
                    "it was set aside.",
                )
        if ctx.reads("demographics"):
            unknown = (
                self.staged(StagedDemographic, present=True)
                .exclude(sourced_id__in=users)
                .exclude(sourced_id__in=students.values("sourced_id"))
            )
            for line in unknown.order_by("line").values_list("line", flat=True)[:MAX_PROBLEMS_KEPT]:
                self.issues.warn(
                    self.file("demographics"),
                    line,
                    "sourcedId",
                    "demographics_unknown",
                    "These demographics are for a person who is neither in the package nor "
                    "in LeadHub; they were set aside.",
                )

    def _enrollment_classes(self) -> None:
        classes = self.staged(StagedClass).values("sourced_id")
        sections = Section.objects.filter(district=self.ctx.district).exclude(sourced_id="")
        missing = (
            self.staged(StagedEnrollment, present=True)
            .exclude(class_sourced_id__in=classes)
            .exclude(class_sourced_id__in=sections.values("sourced_id"))
        )
        for line in missing.order_by("line").values_list("line", flat=True)[:MAX_PROBLEMS_KEPT]:
            self.issues.problem(
                self.file("enrollments"),
                line,
                "classSourcedId",
                "reference_missing",
                "Points at a class that is neither in the package nor in LeadHub.",
            )
        removed = self.staged(StagedClass, present=False).values("sourced_id")
        self._removed(
            StagedEnrollment, "enrollments", "class_sourced_id", "classSourcedId", removed, "class"
        )

    def classify_users(self) -> None:
        """Who is staff, who is a student and who is a guardian, from the package's roles
        and class enrollments, and for people the package gives no role, from LeadHub."""
        ctx = self.ctx
        staff_roles = set(STAFF_ROLES)
        if ctx.site_administrator_role == SiteAdministratorRole.IGNORE:
            staff_roles.discard("siteAdministrator")
        roles = self.staged(StagedRole, present=True)
        enrollments = self.staged(StagedEnrollment, present=True)
        users = self.staged(StagedUser)

        def holding(query: QuerySet[StagedRole] | QuerySet[StagedEnrollment]) -> Q:
            return Q(sourced_id__in=query.values("user_sourced_id"))

        users.filter(
            holding(roles.filter(role__in=staff_roles))
            | holding(enrollments.filter(role="teacher"))
        ).update(is_staff=True)
        users.filter(
            holding(roles.filter(role="student")) | holding(enrollments.filter(role="student"))
        ).update(is_student=True)
        users.filter(holding(roles.filter(role__in=GUARDIAN_ROLES))).update(is_guardian=True)
        unplaced = users.filter(is_staff=False, is_student=False, is_guardian=False)
        unplaced.filter(
            sourced_id__in=Student.objects.filter(district=ctx.district).values("sourced_id")
        ).update(is_student=True)
        unplaced.filter(
            sourced_id__in=RosterPerson.objects.filter(district=ctx.district).values("sourced_id")
        ).update(is_staff=True)
        both = users.filter(present=True, is_staff=True, is_student=True)
        for line in both.order_by("line").values_list("line", flat=True)[:MAX_PROBLEMS_KEPT]:
            self.issues.warn(
                self.file("users"),
                line,
                "",
                "staff_and_student",
                "The person has a staff role and a student role. Students are never LeadHub "
                "accounts, so LeadHub kept them as staff and left out the student role.",
            )
        self._student_identifiers()

    def _student_identifiers(self) -> None:
        students = self.staged(StagedUser, present=True, is_student=True, is_staff=False).exclude(
            identifier=""
        )
        repeated = (
            students.values("identifier").annotate(n=Count("pk"), first=Min("line")).filter(n__gt=1)
        )
        firsts = {r["identifier"]: r["first"] for r in repeated[:MAX_PROBLEMS_KEPT]}
        if not firsts:
            return
        rows = students.filter(identifier__in=list(firsts)).exclude(line__in=list(firsts.values()))
        for identifier, line in rows.order_by("line").values_list("identifier", "line")[
            :MAX_PROBLEMS_KEPT
        ]:
            self.issues.problem(
                self.file("users"),
                line,
                "identifier",
                "duplicate_identifier",
                f"The student on line {firsts[identifier]:,} has the same identifier; each "
                "student needs their own.",
            )


def _known_target(record: RosterOrg) -> OrgTarget:
    if record.school_id is not None:
        return OrgTarget(Target.SCHOOL, record.school_id, org_type=record.org_type)
    if record.org_type == "district":
        return OrgTarget(Target.DISTRICT, org_type=record.org_type)
    return OrgTarget(Target.OTHER, org_type=record.org_type)


def _is_school(target: OrgTarget) -> bool:
    return target.target is Target.SCHOOL and _resolved(target)


def _resolved(target: OrgTarget) -> bool:
    return target.target is not Target.SCHOOL or bool(target.school_id or target.new_school)
