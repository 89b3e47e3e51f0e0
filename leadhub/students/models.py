"""Students: protected education records, identified across years and schools.

A student belongs to one district (the district's data, under its control) and is known
by the state student identifier, and by the roster's sourcedId where a OneRoster
import supplied one. Enrollment and student-group membership are per school year, so a
result from 2024 is read against the groups the student was in during 2024.

Every read of student rows goes through ``students/access.py``, which writes the access
event; every aggregate goes through ``leadhub.lib.suppression``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from leadhub.core.models import DistrictScoped, TimeStamped
from leadhub.orgs.models import Grade


class GroupCategory(models.TextChoices):
    PROGRAM = "program", "Program and service"
    RACE_ETHNICITY = "race_ethnicity", "Race and ethnicity"
    STATE = "state", "Defined by the state"


class StudentGroup(models.Model):
    """One entry of the canonical student-group vocabulary every issue shares.

    The built-in groups come from a data migration; a state may define more
    (``state`` set). Codes are stable: imports, exports and the API use them.
    """

    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=100)
    category = models.CharField(max_length=20, choices=GroupCategory.choices)
    state = models.ForeignKey(
        "orgs.State", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["sort_order", "label"]

    def __str__(self) -> str:
        return self.label


class Student(DistrictScoped, TimeStamped):
    state_student_id = models.CharField("state student identifier", max_length=32)
    sourced_id = models.CharField("OneRoster sourcedId", max_length=255, blank=True, default="")
    given_name = models.CharField(max_length=100, blank=True, default="")
    family_name = models.CharField(max_length=100, blank=True, default="")
    preferred_name = models.CharField(max_length=100, blank=True, default="")
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["district", "state_student_id"], name="student_unique_state_id"
            ),
            models.UniqueConstraint(
                fields=["district", "sourced_id"],
                condition=~Q(sourced_id=""),
                name="student_unique_sourced_id",
            ),
        ]

    def __str__(self) -> str:
        # Never a name: a student's string form may reach logs and audit trails.
        return f"Student {self.state_student_id}"

    @property
    def display_name(self) -> str:
        given = self.preferred_name or self.given_name
        return f"{given} {self.family_name}".strip() or self.state_student_id


class StudentEnrollment(DistrictScoped):
    """Where a student was enrolled in a school year, and in which grade."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="enrollments")
    school = models.ForeignKey("orgs.School", on_delete=models.PROTECT, related_name="+")
    school_year = models.ForeignKey("orgs.SchoolYear", on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(max_length=2, choices=Grade.choices, blank=True, default="")
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["student", "school", "school_year"], name="enrollment_unique_year"
            )
        ]
        indexes = [models.Index(fields=["school", "school_year", "grade"])]


class StudentGroupMembership(DistrictScoped):
    """A student's membership of a group in one school year."""

    class Source(models.TextChoices):
        ROSTER = "roster", "Roster import"
        ASSESSMENT = "assessment", "Assessment import"
        MANUAL = "manual", "Entered"

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="group_years")
    school_year = models.ForeignKey("orgs.SchoolYear", on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(StudentGroup, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.ROSTER)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["student", "school_year", "group"], name="group_membership_unique"
            )
        ]
        indexes = [models.Index(fields=["group", "school_year"])]


class Section(DistrictScoped, TimeStamped):
    """A class (OneRoster ``class``): the students a teacher teaches, in one school year."""

    school = models.ForeignKey("orgs.School", on_delete=models.PROTECT, related_name="sections")
    school_year = models.ForeignKey("orgs.SchoolYear", on_delete=models.PROTECT, related_name="+")
    sourced_id = models.CharField(max_length=255, blank=True, default="")
    title = models.CharField(max_length=200)
    course_title = models.CharField(max_length=200, blank=True, default="")
    class_code = models.CharField(max_length=100, blank=True, default="")
    grades = models.CharField(max_length=60, blank=True, default="")
    subjects = models.CharField(max_length=200, blank=True, default="")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "sourced_id"],
                condition=~Q(sourced_id=""),
                name="section_unique_sourced_id",
            )
        ]

    def __str__(self) -> str:
        return self.title


class SectionStudent(DistrictScoped):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="students")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="sections")
    sourced_id = models.CharField(max_length=255, blank=True, default="")
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["section", "student"], name="section_student_unique")
        ]


class SectionTeacher(DistrictScoped):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="teachers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="taught_sections"
    )
    sourced_id = models.CharField(max_length=255, blank=True, default="")
    primary = models.BooleanField(default=True)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["section", "user"], name="section_teacher_unique")
        ]


class StudentAccessGrant(DistrictScoped, TimeStamped):
    """An explicit grant to read a district's (or one school's) student rows for a purpose.

    Evaluators read student rows only through grants (a study names what it covers);
    the grant is dated and names who granted it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="student_grants"
    )
    school = models.ForeignKey(
        "orgs.School", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    purpose = models.CharField(max_length=200)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
