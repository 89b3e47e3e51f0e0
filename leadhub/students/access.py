"""The only gate to student rows (students, enrollments, groups, classes, assessment results).

Who sees which students, and why:

- **District leaders**: every student of the districts they lead.
- **Principals and assistant principals**: students enrolled in their schools.
- **Teachers** (anyone who teaches a class): the students enrolled in their active
  classes, the legitimate educational interest the inquiry cycle needs.
- **Grants** (evaluators for a study, or anyone a district names): the district's, or
  one school's, students while the grant runs.

No one else reads rows: hub staff, coaches and state staff see aggregates only, through
the suppression helper. Out of scope answers 404, like a student who does not exist.
Every page or export that shows rows calls :func:`record_student_access`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from leadhub.accounts.models import User
from leadhub.audit.services import audit_record
from leadhub.core.access import not_found
from leadhub.orgs.models import Role, School
from leadhub.orgs.scope import org_scope_for
from leadhub.students.models import (
    Section,
    SectionStudent,
    Student,
    StudentAccessGrant,
    StudentEnrollment,
)

Person = User | AnonymousUser

SCHOOL_LEADER_ROLES = frozenset({Role.PRINCIPAL, Role.ASSISTANT_PRINCIPAL})
OBJECT_TYPE = "students.Student"


@dataclass(frozen=True)
class StudentReach:
    """Where a person's reach to student rows comes from."""

    district_ids: frozenset[int]
    school_ids: frozenset[int]
    teaches: bool

    @property
    def any(self) -> bool:
        return bool(self.district_ids or self.school_ids or self.teaches)


def student_reach(user: Person) -> StudentReach:
    if not user.is_authenticated or not user.is_active:
        return StudentReach(frozenset(), frozenset(), teaches=False)
    scope = org_scope_for(user)
    today = timezone.localdate()
    grants = (
        StudentAccessGrant.objects.filter(user=user, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .values_list("district_id", "school_id")
    )
    grant_districts = {district for district, school in grants if school is None}
    grant_schools = {school for _, school in grants if school is not None}
    led_schools = {
        school for school, roles in scope.school_roles.items() if roles & SCHOOL_LEADER_ROLES
    }
    return StudentReach(
        district_ids=frozenset(scope.led_district_ids | grant_districts),
        school_ids=frozenset(led_schools | grant_schools),
        teaches=active_sections_taught_by(user).exists(),
    )


def active_sections_taught_by(user: Person) -> QuerySet[Section]:
    if not user.is_authenticated:
        return Section.objects.none()
    return Section.objects.filter(
        active=True, teachers__user=user, teachers__active=True
    ).distinct()


def students_visible_to(user: Person) -> QuerySet[Student]:
    reach = student_reach(user)
    if not reach.any:
        return Student.objects.none()
    condition = Q(district_id__in=reach.district_ids)
    if reach.school_ids:
        condition |= Q(
            pk__in=StudentEnrollment.objects.filter(school_id__in=reach.school_ids).values(
                "student_id"
            )
        )
    if reach.teaches:
        condition |= Q(
            pk__in=SectionStudent.objects.filter(
                active=True, section__in=active_sections_taught_by(user)
            ).values("student_id")
        )
    return Student.objects.filter(condition)


def student_get_for_user(user: Person, pk: int) -> Student:
    student = students_visible_to(user).filter(pk=pk).first()
    return student if student is not None else not_found()


def school_student_rows_visible(user: Person, school: School) -> bool:
    """Whether ``user`` reads every student row of ``school`` (not only their own classes)."""
    reach = student_reach(user)
    return school.district_id in reach.district_ids or school.pk in reach.school_ids


def section_get_for_user(user: Person, pk: int) -> Section:
    """A class: its teachers, and those who read every student of its school."""
    section = Section.objects.select_related("school").filter(pk=pk).first()
    if section is None:
        not_found()
    if school_student_rows_visible(user, section.school):
        return section
    if active_sections_taught_by(user).filter(pk=section.pk).exists():
        return section
    not_found()


def record_student_access(
    *,
    action: str,
    actor: Person,
    district_id: int | None,
    object_type: str = OBJECT_TYPE,
    object_id: object = "",
    request: HttpRequest | None = None,
) -> None:
    """The access event for a view or export of student rows (identifiers only, never names).

    ``action`` is ``students.view`` or ``students.export``, optionally qualified
    (``students.view.section``); ``object_id`` names the student, class or school shown.
    """
    audit_record(
        action=action,
        actor=actor,
        object_type=object_type,
        object_id=object_id,
        district_id=district_id,
        request=request,
    )
