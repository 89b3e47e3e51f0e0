"""Measures and their values over time, per school, team or district.

A measure says what is counted, in which unit, and which direction is better. Its values
are entered in the page, imported, or computed (from assessment results: the share of
students at or above a performance level, by student group and window). Later issues
link plan goals, PDSA cycles and driver-diagram nodes to a measure.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from leadhub.core.history import track_history
from leadhub.core.models import DistrictScoped, TimeStamped
from leadhub.lib.concurrency import Versioned


class Unit(models.TextChoices):
    PERCENT = "percent", "Percent"
    COUNT = "count", "Count"
    SCORE = "score", "Score"
    RATE = "rate", "Rate"
    DAYS = "days", "Days"
    MINUTES = "minutes", "Minutes"


class Direction(models.TextChoices):
    UP = "up", "Higher is better"
    DOWN = "down", "Lower is better"


class MeasureLevel(models.TextChoices):
    STUDENT = "student", "Student"
    CLASSROOM = "classroom", "Classroom"
    TEAM = "team", "Team"
    SCHOOL = "school", "School"
    DISTRICT = "district", "District"


class MeasureSource(models.TextChoices):
    ENTERED = "entered", "Entered in LeadHub"
    IMPORTED = "imported", "Imported from a file"
    COMPUTED = "computed", "Computed from assessment results"


@track_history
class Measure(Versioned, TimeStamped):
    """What is measured. ``district`` empty means a state-wide measure every school can use.

    A computed measure names its assessment, subject, window and the performance level
    counted as "at or above"; its values are the share of tested students at or above
    that level, per school, year, window and student group.
    """

    name = models.CharField(max_length=150)
    description = models.TextField(blank=True, default="")
    unit = models.CharField(max_length=10, choices=Unit.choices)
    direction = models.CharField(max_length=4, choices=Direction.choices, default=Direction.UP)
    level = models.CharField(max_length=10, choices=MeasureLevel.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_measures",
    )
    district = models.ForeignKey(
        "orgs.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    school = models.ForeignKey(
        "orgs.School", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey(
        "teams.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="measures"
    )
    numerator_label = models.CharField(max_length=120, blank=True, default="")
    denominator_label = models.CharField(max_length=120, blank=True, default="")
    source = models.CharField(
        max_length=10, choices=MeasureSource.choices, default=MeasureSource.ENTERED
    )
    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measures",
    )
    subject = models.CharField(max_length=20, blank=True, default="")
    at_or_above_level = models.PositiveSmallIntegerField(null=True, blank=True)
    archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("measures:detail", args=[self.pk])

    @property
    def has_ratio(self) -> bool:
        return bool(self.denominator_label)


class MeasureValue(DistrictScoped, TimeStamped):
    """One value of a measure, for one school, team or district, one period and group.

    ``scope_key`` ("school:12", "team:5", "district:3") and ``group_code`` ("" for all
    students) make the natural key unique on every database, nulls included.
    ``student_count`` is how many students stand behind the value; the suppression
    helper hides it when that is fewer than the minimum.
    """

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="values")
    school = models.ForeignKey(
        "orgs.School", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey(
        "teams.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    scope_key = models.CharField(max_length=30, editable=False)
    student_group = models.ForeignKey(
        "students.StudentGroup", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    group_code = models.CharField(max_length=40, blank=True, default="", editable=False)
    period_start = models.DateField(help_text="The first day of the period the value covers.")
    period_label = models.CharField(max_length=60, blank=True, default="")
    school_year = models.ForeignKey(
        "orgs.SchoolYear", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    window = models.CharField(max_length=10, blank=True, default="")
    value = models.FloatField()
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    student_count = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(
        max_length=10, choices=MeasureSource.choices, default=MeasureSource.ENTERED
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_by = models.ForeignKey(
        "imports.DataImport", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "scope_key", "group_code", "period_start"],
                name="measure_value_natural_key",
            )
        ]
        indexes = [models.Index(fields=["school", "measure", "period_start"])]

    def save(self, *args: object, **kwargs: object) -> None:
        self.scope_key = value_scope_key(
            school_id=self.school_id, team_id=self.team_id, district_id=self.district_id
        )
        group = self.student_group if self.student_group_id else None
        self.group_code = group.code if group is not None else ""
        super().save(*args, **kwargs)  # type: ignore[arg-type]


def value_scope_key(*, school_id: int | None, team_id: int | None, district_id: int) -> str:
    if team_id:
        return f"team:{team_id}"
    if school_id:
        return f"school:{school_id}"
    return f"district:{district_id}"


class AnnotationKind(models.TextChoices):
    PDSA = "pdsa", "PDSA cycle began"
    PLAN_ACTION = "plan_action", "Plan action began"
    NOTE = "note", "Note"


class MeasureAnnotation(DistrictScoped, TimeStamped):
    """A dated note on a measure's chart: where a change was tried, so its effect can be read."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="annotations")
    scope_key = models.CharField(max_length=30)
    date = models.DateField()
    kind = models.CharField(max_length=12, choices=AnnotationKind.choices)
    label = models.CharField(max_length=150)
    source_type = models.CharField(max_length=80, blank=True, default="")
    source_id = models.CharField(max_length=64, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["date"]


class RuleSet(models.TextChoices):
    IHI = "ihi", "Run chart: IHI rules"
    ANHOEJ = "anhoej", "Run chart: Anhøj rules"
    XMR = "xmr", "Control chart: XmR (individuals)"
    P_CHART = "p", "Control chart: p-chart"


class ChartSetting(DistrictScoped, TimeStamped):
    """How one series (a measure for one school, team or district) is charted."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="chart_settings")
    scope_key = models.CharField(max_length=30)
    rule_set = models.CharField(max_length=8, choices=RuleSet.choices, default=RuleSet.IHI)
    baseline_start = models.DateField(null=True, blank=True)
    baseline_end = models.DateField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["measure", "scope_key"], name="chart_setting_unique")
        ]
