"""School Improvement Plans: self-assessment, needs, SMARTe goals, strategies, action steps,
checkpoints, and the approval of each version.

A plan's *content* (needs, goals with their targets, strategies) freezes when the School
Improvement Team approves a version: the approved content is kept as a snapshot in
:class:`PlanVersion`, and changing a goal or a target afterwards starts the next version,
which needs approval again. *Monitoring* (checkpoints, action-step status, comments,
agenda links) goes on all year on the same rows. A goal is one row across every version,
so whatever links to it (agenda items, inquiry cycles, coaching goals) keeps working.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from leadhub.core.history import track_history
from leadhub.core.models import DistrictScoped, TimeStamped
from leadhub.lib.concurrency import Versioned

# The self-assessment's indicator sets -----------------------------------------------------


class IndicatorSet(TimeStamped):
    """The indicators a school rates itself against. The built-in set (no state, no
    district) is ours; a state or a district adapts a copy of it for its schools."""

    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    state = models.ForeignKey(
        "orgs.State", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    district = models.ForeignKey(
        "orgs.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    adapted_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="adaptations"
    )
    builtin = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~(Q(state__isnull=False) & Q(district__isnull=False)),
                name="indicator_set_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    indicator_set = models.ForeignKey(
        IndicatorSet, on_delete=models.CASCADE, related_name="indicators"
    )
    domain = models.CharField(max_length=120)
    code = models.SlugField(max_length=40)
    text = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["indicator_set", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["indicator_set", "code"], name="indicator_code_unique")
        ]

    def __str__(self) -> str:
        return self.text


class Rating(models.IntegerChoices):
    NOT_STARTED = 1, "Not yet in place"
    BEGINNING = 2, "Beginning"
    DEVELOPING = 3, "Well under way"
    IN_PLACE = 4, "Fully in place"


class DistrictPlanPolicy(Versioned, DistrictScoped, TimeStamped):
    """How a district runs its schools' plans: which indicator set they rate themselves
    against and whether the district reviews a plan after its School Improvement Team
    approves it."""

    indicator_set = models.ForeignKey(
        IndicatorSet, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    district_review_required = models.BooleanField(
        "the district reviews each plan before it is published", default=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["district"], name="one_plan_policy_per_district")
        ]


# The plan and its versions ---------------------------------------------------------------


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Waiting for the School Improvement Team"
    RETURNED = "returned", "Returned with comments"
    DISTRICT_REVIEW = "district_review", "Waiting for the district's review"
    PUBLISHED = "published", "Approved and published"


# While a version is being written (or rewritten after a return) its content can change.
EDITABLE_STATUSES = frozenset({PlanStatus.DRAFT, PlanStatus.RETURNED})


@track_history
class SchoolPlan(Versioned, DistrictScoped, TimeStamped):
    """One school's improvement plan for a school year (or several: ``last_year``)."""

    school = models.ForeignKey("orgs.School", on_delete=models.PROTECT, related_name="plans")
    school_year = models.ForeignKey("orgs.SchoolYear", on_delete=models.PROTECT, related_name="+")
    last_year = models.ForeignKey(
        "orgs.SchoolYear", on_delete=models.PROTECT, related_name="+", help_text="Through"
    )
    title = models.CharField(max_length=150)
    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    # The version being written or last approved; earlier ones are kept in PlanVersion.
    current_number = models.PositiveSmallIntegerField(default=1, editable=False)
    published_version = models.ForeignKey(
        "PlanVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )

    class Meta:
        ordering = ["-school_year", "school__name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "school_year"], name="one_plan_per_year"),
            models.CheckConstraint(
                condition=Q(last_year__gte=F("school_year")), name="plan_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:plan", args=[self.pk])

    @property
    def content_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class PlanVersion(DistrictScoped, TimeStamped):
    """One version of a plan. ``content`` is the snapshot frozen when the School
    Improvement Team approved it (empty while the version is being written)."""

    plan = models.ForeignKey(SchoolPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    content = models.JSONField(default=dict, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan} · version {self.number}"

    @property
    def is_frozen(self) -> bool:
        return self.approved_at is not None


class PlanTransition(DistrictScoped):
    """Every change of a plan's status: who, when, from what to what, and what they said."""

    plan = models.ForeignKey(SchoolPlan, on_delete=models.CASCADE, related_name="transitions")
    version_number = models.PositiveSmallIntegerField()
    from_status = models.CharField(max_length=16, choices=PlanStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=PlanStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "at", "pk"]


class PlanComment(DistrictScoped, TimeStamped):
    """A comment on the plan, or on one of its goals, written while monitoring it."""

    plan = models.ForeignKey(SchoolPlan, on_delete=models.CASCADE, related_name="comments")
    goal = models.ForeignKey(
        "Goal", on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()

    class Meta:
        ordering = ["created_at", "pk"]


# Self-assessment and needs -----------------------------------------------------------------


@track_history
class SelfAssessmentRating(Versioned, DistrictScoped, TimeStamped):
    plan = models.ForeignKey(SchoolPlan, on_delete=models.CASCADE, related_name="ratings")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(choices=Rating.choices, null=True, blank=True)
    evidence = models.TextField("evidence notes", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "indicator"], name="one_rating_per_indicator")
        ]


class RatingFile(DistrictScoped):
    """A file kept as evidence for a self-assessment rating (stored through leadhub.files)."""

    rating = models.ForeignKey(SelfAssessmentRating, on_delete=models.CASCADE, related_name="files")
    stored_file = models.OneToOneField(
        "files.StoredFile", on_delete=models.CASCADE, related_name="+"
    )


@track_history
class Need(Versioned, DistrictScoped, TimeStamped):
    """A need the plan answers, with its root causes and the evidence for it."""

    plan = models.ForeignKey(SchoolPlan, on_delete=models.CASCADE, related_name="needs")
    position = models.PositiveSmallIntegerField(default=0)
    statement = models.CharField(max_length=300)
    root_causes = models.TextField(blank=True, help_text="One root cause per line.")
    evidence = models.TextField(blank=True, help_text="What in the data shows this need.")
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="+")
    measure = models.ForeignKey(
        "measures.Measure", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["plan", "position", "pk"]

    def __str__(self) -> str:
        return self.statement

    @property
    def root_cause_list(self) -> list[str]:
        return [line.strip() for line in self.root_causes.splitlines() if line.strip()]


# Goals -------------------------------------------------------------------------------------


class GoalFields(models.Model):
    """The structured SMARTe fields a school goal and a driver diagram's aim share."""

    outcome = models.CharField(
        max_length=300, blank=True, help_text="The one result for students this goal is about."
    )
    measure = models.ForeignKey(
        "measures.Measure", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    student_group = models.ForeignKey(
        "students.StudentGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The student group whose gap the goal closes. Empty: all students.",
    )
    baseline_value = models.FloatField(null=True, blank=True)
    baseline_date = models.DateField(null=True, blank=True)
    target_value = models.FloatField(null=True, blank=True)
    deadline = models.DateField(null=True, blank=True)
    achievability_note = models.TextField(
        "why this is achievable",
        blank=True,
        help_text="Needed when the yearly change asked for is more than history shows.",
    )

    class Meta:
        abstract = True


@track_history
class Goal(GoalFields, Versioned, DistrictScoped, TimeStamped):
    """A SMARTe goal. One row across every version of its plan; a goal dropped from a
    later version is retired, never deleted, so links to it keep resolving."""

    plan = models.ForeignKey(SchoolPlan, on_delete=models.CASCADE, related_name="goals")
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    position = models.PositiveSmallIntegerField(default=0)
    need = models.ForeignKey(
        Need, on_delete=models.SET_NULL, null=True, blank=True, related_name="goals"
    )
    serves_node = models.ForeignKey(
        "strategy.DriverNode",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="school_goals",
        verbose_name="district strategy it serves",
    )
    retired = models.BooleanField(default=False)
    # The version this goal first appeared in; a goal copied to next year's plan is new.
    since_version = models.PositiveSmallIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["plan", "position", "pk"]

    def __str__(self) -> str:
        return self.outcome or "Goal without an outcome yet"

    def get_absolute_url(self) -> str:
        return reverse("plans:goal", args=[self.pk])


class InterimTarget(DistrictScoped):
    """A milestone on the way: a value expected by a date, on the goal's measure (empty
    ``measure``) or on an interim measure such as a benchmark window or walkthrough
    counts. An interim measure may carry its own baseline to draw a trajectory from."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="interim_targets")
    measure = models.ForeignKey(
        "measures.Measure", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    label = models.CharField(max_length=150)
    baseline_value = models.FloatField(null=True, blank=True)
    target_value = models.FloatField()
    due_on = models.DateField()

    class Meta:
        ordering = ["goal", "due_on", "pk"]

    def __str__(self) -> str:
        return self.label


class Checkpoint(DistrictScoped, TimeStamped):
    """A measured value on a date: of the goal's measure, or of one interim target's."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="checkpoints")
    interim_target = models.ForeignKey(
        InterimTarget,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="checkpoints",
    )
    measured_on = models.DateField()
    value = models.FloatField()
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["goal", "measured_on", "pk"]


class GoalAgendaLink(DistrictScoped, TimeStamped):
    """A goal-monitoring agenda item's goal: the meeting sees its latest checkpoint."""

    agenda_item = models.OneToOneField(
        "meetings.AgendaItem", on_delete=models.CASCADE, related_name="goal_link"
    )
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="agenda_links")

    class Meta:
        indexes = [models.Index(fields=["goal", "created_at"])]


# Strategies and action steps -----------------------------------------------------------


class EvidenceTier(models.IntegerChoices):
    """The four levels of evidence the Every Student Succeeds Act names."""

    STRONG = 1, "Tier 1 · strong evidence"
    MODERATE = 2, "Tier 2 · moderate evidence"
    PROMISING = 3, "Tier 3 · promising evidence"
    RATIONALE = 4, "Tier 4 · demonstrates a rationale"


@track_history
class Strategy(Versioned, DistrictScoped, TimeStamped):
    plan = models.ForeignKey(SchoolPlan, on_delete=models.CASCADE, related_name="strategies")
    goal = models.ForeignKey(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="strategies"
    )
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    evidence_tier = models.PositiveSmallIntegerField(
        choices=EvidenceTier.choices, null=True, blank=True
    )
    evidence_note = models.TextField(
        blank=True, help_text="The study or rationale the evidence level rests on."
    )

    class Meta:
        ordering = ["plan", "position", "pk"]
        verbose_name_plural = "strategies"

    def __str__(self) -> str:
        return self.title


class StepStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DELAYED = "delayed", "Delayed"
    DROPPED = "dropped", "Dropped"


OPEN_STEP_STATUSES = frozenset({StepStatus.NOT_STARTED, StepStatus.IN_PROGRESS, StepStatus.DELAYED})


@track_history
class ActionStep(Versioned, DistrictScoped, TimeStamped):
    """A step of a strategy. Adjusting it (owner, dates, status) never needs a new version."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="steps")
    plan = models.ForeignKey(SchoolPlan, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_steps",
    )
    start_on = models.DateField(null=True, blank=True)
    end_on = models.DateField(null=True, blank=True)
    professional_learning = models.TextField("professional learning it needs", blank=True)
    status = models.CharField(
        max_length=12, choices=StepStatus.choices, default=StepStatus.NOT_STARTED
    )
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["strategy", "position", "pk"]
        indexes = [models.Index(fields=["owner", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True)
                | Q(start_on__isnull=True)
                | Q(end_on__gte=F("start_on")),
                name="step_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.description

    def get_absolute_url(self) -> str:
        return reverse("plans:step", args=[self.pk])


class StepResource(DistrictScoped):
    step = models.ForeignKey(ActionStep, on_delete=models.CASCADE, related_name="resources")
    description = models.CharField(max_length=200)
    cost = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    funding_source = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["step", "pk"]

    def __str__(self) -> str:
        return self.description
