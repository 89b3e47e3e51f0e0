"""Student assessment results: one row per student, assessment, subject, year and window.

The natural key (student, assessment, subject, school year, window) makes a corrected
re-import update a result rather than add a second one. Results are student-level
data: rows are read only through ``students/access.py``; figures from them go through
the suppression helper.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from leadhub.core.models import DistrictScoped, TimeStamped
from leadhub.orgs.models import Grade


class Subject(models.TextChoices):
    ELA = "ela", "English language arts"
    MATH = "math", "Mathematics"
    SCIENCE = "science", "Science"
    SOCIAL_STUDIES = "social_studies", "Social studies"
    OTHER = "other", "Other"


class Window(models.TextChoices):
    FALL = "fall", "Fall"
    WINTER = "winter", "Winter"
    SPRING = "spring", "Spring"
    ANNUAL = "annual", "Annual"


WINDOW_ORDER = [Window.FALL, Window.WINTER, Window.SPRING, Window.ANNUAL]


class Assessment(TimeStamped):
    """An assessment as the state or a district gives it, and what its levels mean.

    ``proficient_level`` is the lowest performance level that counts as meeting the
    standard: "at or above" measures count results from that level up.
    """

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    level_count = models.PositiveSmallIntegerField(
        "number of performance levels",
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(10)],
    )
    proficient_level = models.PositiveSmallIntegerField(
        default=4, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    is_interim = models.BooleanField(
        default=False, help_text="Benchmark given in fall, winter and spring, not the state test."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AssessmentResult(DistrictScoped):
    id = models.BigAutoField(primary_key=True)
    student = models.ForeignKey(
        "students.Student", on_delete=models.CASCADE, related_name="assessment_results"
    )
    school = models.ForeignKey("orgs.School", on_delete=models.PROTECT, related_name="+")
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="results")
    subject = models.CharField(max_length=20, choices=Subject.choices)
    grade = models.CharField(max_length=2, choices=Grade.choices)
    school_year = models.ForeignKey("orgs.SchoolYear", on_delete=models.PROTECT, related_name="+")
    window = models.CharField(max_length=10, choices=Window.choices)
    scale_score = models.FloatField(null=True, blank=True)
    performance_level = models.PositiveSmallIntegerField(null=True, blank=True)
    imported_by = models.ForeignKey(
        "imports.DataImport", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["student", "assessment", "subject", "school_year", "window"],
                name="assessment_result_natural_key",
            )
        ]
        indexes = [
            models.Index(
                fields=["school", "school_year", "assessment", "subject", "window"],
                name="result_school_window",
            ),
            models.Index(fields=["district", "school_year"], name="result_district_year"),
        ]
