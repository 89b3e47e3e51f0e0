"""``manage.py demo_signins``: the published demo sign-ins and their password."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Q

from leadhub.accounts.models import User
from leadhub.demo.signins import KNOWN_BY_ROLE, KNOWN_SIGNINS
from leadhub.orgs.models import Membership, Role
from leadhub.students.models import Section


def where(membership: Membership) -> str:
    """The organization, with the district a school belongs to."""
    if membership.school is not None:
        return f"{membership.school.name}, {membership.school.district.name}"
    organization = membership.organization
    return str(organization) if organization is not None else ""


class Command(BaseCommand):
    help = "List the demo sign-ins (one per role) and the shared demo password."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("The demo sign-ins do not exist in production.")
        emails = [signin.email for signin in KNOWN_SIGNINS]
        users = {user.email: user for user in User.objects.filter(email__in=emails)}
        if not users:
            self.stdout.write(
                "No demo sign-ins yet. Run `python manage.py seed_demo` to build the demo state."
            )
            return
        memberships: dict[int, list[Membership]] = {}
        for membership in (
            Membership.objects.current()
            .filter(user__in=users.values())
            .select_related("state", "hub", "district", "school__district")
        ):
            memberships.setdefault(membership.user_id, []).append(membership)
        rows: list[tuple[str, str, str]] = []
        for signin in KNOWN_SIGNINS:
            user = users.get(signin.email)
            if user is None:
                continue
            current = memberships.get(user.pk, [])
            rows += [(signin.email, str(m.get_role_display()), where(m)) for m in current]
            if not current:
                rows.append((signin.email, "no current role", ""))
        widths = [max(len(row[column]) for row in rows) for column in range(2)]
        self.stdout.write("Demo sign-ins:")
        for email, role, place in rows:
            self.stdout.write(f"  {email:<{widths[0]}}  {role:<{widths[1]}}  {place}")
        self.stdout.write(f"Password for all of them: {settings.LEADHUB_DEMO_PASSWORD}")
        teacher = users.get(KNOWN_BY_ROLE[Role.TEACHER].email)
        if teacher is not None:
            self.stdout.write(student_data_note(teacher))


def student_data_note(teacher: User) -> str:
    """Which sign-ins see student rows, and the demo teacher's classes this year."""
    reach = (
        "Student data: the principal and assistant principal see their school's students, "
        "the district leader the district's"
    )
    classes = (
        Section.objects.filter(active=True, teachers__user=teacher, teachers__active=True)
        .annotate(student_count=Count("students", filter=Q(students__active=True), distinct=True))
        .order_by("title")
    )
    if not classes:
        return f"{reach}."
    taught = ", ".join(f"{section.title} ({section.student_count} students)" for section in classes)
    return f"{reach}; {teacher.email} teaches {taught}, shown under “My students”."
