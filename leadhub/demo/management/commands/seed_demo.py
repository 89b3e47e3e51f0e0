"""``manage.py seed_demo``: build the demo state for the current school year."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction
from django.utils import timezone

from leadhub.accounts.models import User
from leadhub.assessments.models import Assessment, AssessmentResult
from leadhub.demo.builder import write_plan
from leadhub.demo.plan import build_plan
from leadhub.demo.scales import SCALES
from leadhub.health.models import HealthSnapshot
from leadhub.measures.models import ChartSetting, Measure, MeasureAnnotation, MeasureValue
from leadhub.meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Decision,
    IntakeItem,
    Meeting,
    MeetingSeries,
    ReportBack,
)
from leadhub.orgs.models import (
    District,
    DistrictCalendar,
    Hub,
    HubServiceArea,
    Membership,
    NonInstructionalDay,
    ProgramParticipation,
    School,
    SchoolProfile,
    SchoolYear,
    SpecialProgram,
    State,
)
from leadhub.orgs.schoolyears import school_year_label, school_year_of
from leadhub.students.models import (
    Section,
    SectionStudent,
    SectionTeacher,
    Student,
    StudentEnrollment,
    StudentGroupMembership,
)
from leadhub.surveys.models import Administration, Answer, Invitation, Item, Response
from leadhub.teams.models import Team, TeamMembership

REFUSAL = (
    "seed_demo builds public demo sign-ins and refuses to run in production "
    "(LEADHUB_ENV=production)."
)

# In the order the summary names them.
SUMMARY_LABELS: tuple[tuple[type[models.Model], str, str], ...] = (
    (State, "state", "states"),
    (SchoolYear, "school year", "school years"),
    (Hub, "hub", "hubs"),
    (District, "district", "districts"),
    (HubServiceArea, "service area", "service areas"),
    (School, "school", "schools"),
    (SpecialProgram, "special program", "special programs"),
    (ProgramParticipation, "program participation", "program participations"),
    (SchoolProfile, "school profile", "school profiles"),
    (DistrictCalendar, "district calendar", "district calendars"),
    (NonInstructionalDay, "non-instructional day", "non-instructional days"),
    (User, "person", "people"),
    (Membership, "membership", "memberships"),
    (Team, "team", "teams"),
    (TeamMembership, "team membership", "team memberships"),
    (MeetingSeries, "meeting series", "meeting series"),
    (Meeting, "meeting", "meetings"),
    (Attendance, "attendance record", "attendance records"),
    (AgendaItem, "agenda item", "agenda items"),
    (Decision, "decision", "decisions"),
    (ActionItem, "action item", "action items"),
    (ReportBack, "report-back", "report-backs"),
    (IntakeItem, "proposed issue", "proposed issues"),
    (Student, "student", "students"),
    (StudentEnrollment, "enrollment", "enrollments"),
    (StudentGroupMembership, "student group membership", "student group memberships"),
    (Section, "class", "classes"),
    (SectionTeacher, "class teacher", "class teachers"),
    (SectionStudent, "class roster entry", "class roster entries"),
    (Assessment, "assessment", "assessments"),
    (AssessmentResult, "assessment result", "assessment results"),
    (Measure, "measure", "measures"),
    (MeasureValue, "measure value", "measure values"),
    (MeasureAnnotation, "chart note", "chart notes"),
    (ChartSetting, "chart setting", "chart settings"),
    (Administration, "survey administration", "survey administrations"),
    (Item, "survey statement", "survey statements"),
    (Invitation, "survey invitation", "survey invitations"),
    (Response, "survey response", "survey responses"),
    (Answer, "survey answer", "survey answers"),
    (HealthSnapshot, "health snapshot", "health snapshots"),
)


def describe_created(created: Counter[type[models.Model]], *, where: str) -> str:
    parts = [
        f"{created[model]:,} {singular if created[model] == 1 else plural}"
        for model, singular, plural in SUMMARY_LABELS
        if created[model]
    ]
    if not parts:
        return f"Demo state already complete {where}: nothing to create."
    return f"Created {', '.join(parts)}: {sum(created.values()):,} rows {where}."


class Command(BaseCommand):
    help = (
        "Build a deterministic demo state (Illinois) for the current school year: hubs, "
        "districts, schools, calendars, profiles, people, teams with two school years of "
        "meetings, students with classes and three school years of assessment results, "
        "measures with their values, the culture pulse survey, and the published demo "
        "sign-ins. "
        "Adds only what is missing; never changes existing rows."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            choices=list(SCALES),
            default="demo",
            help="tiny for tests, demo for trying LeadHub (default), state for load testing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Read at run time, so a test can switch it on with the settings fixture.
        if settings.PRODUCTION:
            raise CommandError(REFUSAL)
        scale = SCALES[options["scale"]]
        started = time.perf_counter()
        anchor_year = school_year_of(timezone.localdate())
        plan = build_plan(scale, anchor_year)
        planned = time.perf_counter()
        hashed: list[str] = []

        def demo_password_hash() -> str:
            # Hashing is slow on purpose; every demo person shares the one hash.
            if not hashed:
                hashed.append(make_password(settings.LEADHUB_DEMO_PASSWORD))
            return hashed[0]

        with transaction.atomic():
            created = write_plan(plan, password_hash=demo_password_hash)
        finished = time.perf_counter()
        where = f"at {scale.name} scale for {school_year_label(anchor_year)}"
        self.stdout.write(describe_created(created, where=where))
        self.stdout.write(
            f"Took {finished - started:.1f} s "
            f"({planned - started:.1f} s planning, {finished - planned:.1f} s writing)."
        )
