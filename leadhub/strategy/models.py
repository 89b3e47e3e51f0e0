"""District and hub strategic plans: systems analysis, theories of action, driver
diagrams, implementation road maps and the capacity-building framework.

A strategic plan belongs to a district or to a hub. Its driver diagram's aim is a SMARTe
goal (the same fields a school goal has); drivers and change ideas form a tree under it,
and a school goal names the district strategy (a node) it serves, which is what the
line-of-sight view follows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from leadhub.core.history import track_history
from leadhub.core.models import TimeStamped
from leadhub.lib.concurrency import Versioned
from leadhub.orgs.models import ProgramParticipation
from leadhub.plans.models import GoalFields


class StrategicPlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "In use"
    ARCHIVED = "archived", "Archived"


@track_history
class StrategicPlan(Versioned, TimeStamped):
    """A district's or a hub's strategic plan (exactly one of ``district`` and ``hub``)."""

    district = models.ForeignKey(
        "orgs.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="strategic_plans",
    )
    hub = models.ForeignKey(
        "orgs.Hub", on_delete=models.PROTECT, null=True, blank=True, related_name="strategic_plans"
    )
    title = models.CharField(max_length=150)
    first_year = models.ForeignKey("orgs.SchoolYear", on_delete=models.PROTECT, related_name="+")
    last_year = models.ForeignKey("orgs.SchoolYear", on_delete=models.PROTECT, related_name="+")
    vision = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=StrategicPlanStatus.choices, default=StrategicPlanStatus.DRAFT
    )

    class Meta:
        ordering = ["-first_year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(district__isnull=False) & Q(hub__isnull=True))
                | (Q(district__isnull=True) & Q(hub__isnull=False)),
                name="strategic_plan_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")), name="strategic_plan_years_in_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("strategy:plan", args=[self.pk])

    @property
    def owner_name(self) -> str:
        return str(self.district or self.hub)


class AnalysisKind(models.TextChoices):
    NEED = "need", "Need"
    CHALLENGE = "challenge", "Challenge"
    ROOT_CAUSE = "root_cause", "Root cause"


@track_history
class AnalysisItem(Versioned, TimeStamped):
    """One finding of the systems analysis, with the evidence for it. A root cause names
    the need or challenge it explains."""

    plan = models.ForeignKey(StrategicPlan, on_delete=models.CASCADE, related_name="analysis")
    kind = models.CharField(max_length=10, choices=AnalysisKind.choices)
    statement = models.CharField(max_length=300)
    evidence = models.TextField(blank=True)
    cause_of = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="root_causes"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "position", "pk"]

    def __str__(self) -> str:
        return self.statement


@track_history
class TheoryOfAction(Versioned, TimeStamped):
    """If … then … statements about how the work leads to the result. One model for every
    place that needs one: a strategic plan, a school goal, a driver-diagram node (the
    inquiry issue adds problems of practice)."""

    title = models.CharField(max_length=150)
    district = models.ForeignKey(
        "orgs.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    hub = models.ForeignKey(
        "orgs.Hub", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    school = models.ForeignKey(
        "orgs.School", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    strategic_plan = models.ForeignKey(
        StrategicPlan,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="theories",
    )
    goal = models.ForeignKey(
        "plans.Goal", on_delete=models.SET_NULL, null=True, blank=True, related_name="theories"
    )
    driver_node = models.ForeignKey(
        "DriverNode", on_delete=models.SET_NULL, null=True, blank=True, related_name="theories"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["title", "pk"]
        verbose_name_plural = "theories of action"

    def __str__(self) -> str:
        return self.title


class ActionStatement(models.Model):
    theory = models.ForeignKey(TheoryOfAction, on_delete=models.CASCADE, related_name="statements")
    position = models.PositiveSmallIntegerField(default=0)
    if_clause = models.TextField("if")
    then_clause = models.TextField("then")

    class Meta:
        ordering = ["theory", "position", "pk"]

    def __str__(self) -> str:
        return f"If {self.if_clause}, then {self.then_clause}"


@track_history
class DriverDiagram(GoalFields, Versioned, TimeStamped):
    """The plan's driver diagram; its aim is a SMARTe goal in the shared goal fields."""

    plan = models.OneToOneField(StrategicPlan, on_delete=models.CASCADE, related_name="diagram")

    def __str__(self) -> str:
        return self.outcome or f"Driver diagram of {self.plan}"


class NodeKind(models.TextChoices):
    PRIMARY = "primary", "Primary driver"
    SECONDARY = "secondary", "Secondary driver"
    CHANGE_IDEA = "change_idea", "Change idea"


# Under the aim come primary drivers, under them secondary drivers, then change ideas.
CHILD_KIND = {
    None: NodeKind.PRIMARY,
    NodeKind.PRIMARY: NodeKind.SECONDARY,
    NodeKind.SECONDARY: NodeKind.CHANGE_IDEA,
}


class Approach(models.TextChoices):
    TECHNICAL = "technical", "Technical"
    ADAPTIVE = "adaptive", "Adaptive"


class DriverNode(TimeStamped):
    """A driver or change idea. ``parent`` empty: a primary driver under the aim."""

    diagram = models.ForeignKey(DriverDiagram, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    kind = models.CharField(max_length=12, choices=NodeKind.choices)
    text = models.CharField(max_length=300)
    approach = models.CharField(max_length=10, choices=Approach.choices, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    measures = models.ManyToManyField("measures.Measure", blank=True, related_name="+")

    class Meta:
        ordering = ["diagram", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class Phase(TimeStamped):
    plan = models.ForeignKey(StrategicPlan, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(max_length=120)
    start_on = models.DateField()
    end_on = models.DateField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "start_on", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__gte=F("start_on")), name="phase_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    AT_RISK = "at_risk", "At risk"
    MISSED = "missed", "Missed"


@track_history
class Milestone(Versioned, TimeStamped):
    plan = models.ForeignKey(StrategicPlan, on_delete=models.CASCADE, related_name="milestones")
    phase = models.ForeignKey(
        Phase, on_delete=models.SET_NULL, null=True, blank=True, related_name="milestones"
    )
    node = models.ForeignKey(
        DriverNode, on_delete=models.SET_NULL, null=True, blank=True, related_name="milestones"
    )
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="strategy_milestones",
    )
    start_on = models.DateField(null=True, blank=True)
    due_on = models.DateField()
    status = models.CharField(
        max_length=12, choices=MilestoneStatus.choices, default=MilestoneStatus.PLANNED
    )

    class Meta:
        ordering = ["plan", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class TierSupport(TimeStamped):
    """What each tier of the capacity-building framework receives. Which schools are in
    which tier is read from and written to ``orgs.ProgramParticipation``."""

    plan = models.ForeignKey(StrategicPlan, on_delete=models.CASCADE, related_name="tier_support")
    tier = models.CharField(max_length=12, choices=ProgramParticipation.Tier.choices)
    support = models.TextField()

    class Meta:
        ordering = ["plan", "tier"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "tier"], name="one_support_per_tier")
        ]
