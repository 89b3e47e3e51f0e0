"""Teams: who works together, where the team belongs, and whom each member represents.

A team belongs to a school, a district or a hub and persists across school years; its
members come and go through dated memberships. Cross-school networks and leadership
collectives are teams too (hub level), so their sessions are meetings like any other.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from leadhub.core.history import track_history
from leadhub.core.models import TimeStamped
from leadhub.lib.concurrency import Versioned
from leadhub.orgs.models import DatedQuerySet


class TeamKind(models.TextChoices):
    ILT = "ilt", "Instructional Leadership Team"
    INSTRUCTIONAL = "instructional", "Instructional team"
    ADMINISTRATIVE = "administrative", "Administrative team"
    SIT = "sit", "School Improvement Team"
    DISTRICT = "district", "District team"
    NETWORK = "network", "Principal network"
    COLLECTIVE = "collective", "Leadership collective"


class InstructionalGrouping(models.TextChoices):
    """How an instructional team is organized (only for instructional teams)."""

    GRADE_LEVEL = "grade_level", "Grade level"
    SUBJECT_AREA = "subject_area", "Subject area"
    CLUSTER = "cluster", "Cluster"
    SMALL_LEARNING_COMMUNITY = "slc", "Small learning community"


class TeamLevel(models.TextChoices):
    SCHOOL = "school", "School"
    DISTRICT = "district", "District"
    HUB = "hub", "Hub"


SCHOOL_KINDS = frozenset(
    {TeamKind.ILT, TeamKind.INSTRUCTIONAL, TeamKind.ADMINISTRATIVE, TeamKind.SIT}
)
CROSS_SCHOOL_KINDS = frozenset({TeamKind.NETWORK, TeamKind.COLLECTIVE})
KIND_LEVEL: dict[str, str] = {
    **dict.fromkeys(SCHOOL_KINDS, TeamLevel.SCHOOL),
    TeamKind.DISTRICT: TeamLevel.DISTRICT,
    **dict.fromkeys(CROSS_SCHOOL_KINDS, TeamLevel.HUB),
}


class TeamQuerySet(models.QuerySet["Team"]):
    def active(self) -> TeamQuerySet:
        return self.filter(archived_on__isnull=True)


@track_history
class Team(Versioned, TimeStamped):
    """A standing team. ``district`` is set for school and district teams (hub teams cross
    district lines and have none); ``school`` only for school teams; ``hub`` only for
    cross-school teams."""

    kind = models.CharField(max_length=16, choices=TeamKind.choices)
    grouping = models.CharField(
        "organized by",
        max_length=16,
        choices=InstructionalGrouping.choices,
        blank=True,
        help_text="For instructional teams: grade level, subject area, cluster or community.",
    )
    level = models.CharField(max_length=10, choices=TeamLevel.choices, editable=False)
    name = models.CharField(max_length=120)
    purpose = models.TextField(blank=True, help_text="What the team is for, in a sentence or two.")
    school = models.ForeignKey(
        "orgs.School", on_delete=models.PROTECT, null=True, blank=True, related_name="teams"
    )
    district = models.ForeignKey(
        "orgs.District", on_delete=models.PROTECT, null=True, blank=True, related_name="teams"
    )
    hub = models.ForeignKey(
        "orgs.Hub", on_delete=models.PROTECT, null=True, blank=True, related_name="teams"
    )
    archived_on = models.DateField(null=True, blank=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(level=TeamLevel.SCHOOL, school__isnull=False, district__isnull=False)
                    | Q(level=TeamLevel.DISTRICT, school__isnull=True, district__isnull=False)
                    | Q(
                        level=TeamLevel.HUB,
                        hub__isnull=False,
                        school__isnull=True,
                        district__isnull=True,
                    )
                ),
                name="team_scope_matches_level",
            ),
            models.UniqueConstraint(
                fields=["school"],
                condition=Q(kind=TeamKind.ILT, archived_on__isnull=True),
                name="one_active_ilt_per_school",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "kind"]),
            models.Index(fields=["district", "kind"]),
            models.Index(fields=["hub", "kind"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("teams:team_detail", args=[self.pk])

    def save(self, *args: object, **kwargs: object) -> None:
        self.level = KIND_LEVEL[self.kind]
        if self.school is not None and not self.district_id:
            self.district_id = self.school.district_id
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> None:
        level = KIND_LEVEL.get(self.kind)
        if self.grouping and self.kind != TeamKind.INSTRUCTIONAL:
            raise ValidationError(
                {"grouping": "Only instructional teams are organized by grade, subject or cluster."}
            )
        if level == TeamLevel.SCHOOL and self.school_id is None:
            raise ValidationError({"school": "Choose the school this team belongs to."})
        if level == TeamLevel.HUB and self.hub_id is None:
            raise ValidationError({"hub": "Choose the hub that runs this network."})

    @property
    def is_ilt(self) -> bool:
        return self.kind == TeamKind.ILT

    @property
    def is_cross_school(self) -> bool:
        return self.kind in CROSS_SCHOOL_KINDS

    @property
    def organization(self) -> object:
        return self.school or self.district or self.hub

    @property
    def place_label(self) -> str:
        """Where the team works when its name does not say so (empty when it does)."""
        place = str(self.organization or "")
        return "" if place in self.name else place

    @property
    def name_with_place(self) -> str:
        """The name with where the team works, so two schools' ILTs can be told apart."""
        return f"{self.name} · {self.place_label}" if self.place_label else self.name

    @property
    def time_zone(self) -> str:
        """The zone its meetings are held in: the district's, or the hub's state's."""
        if self.district_id:
            return self.district.time_zone  # type: ignore[union-attr]
        return self.hub.state.time_zone  # type: ignore[union-attr]


class MemberRole(models.TextChoices):
    LEAD = "lead", "Team lead"
    MEMBER = "member", "Member"
    # Parents, community members and high-school students on a School Improvement Team:
    # they read their own team's records and nothing else of the school.
    COMMUNITY = "community", "Community member"


class CommunityKind(models.TextChoices):
    PARENT = "parent", "Parent or guardian"
    COMMUNITY = "community", "Community member"
    STUDENT = "student", "Student"


class TeamMembershipQuerySet(DatedQuerySet):
    def current(self) -> TeamMembershipQuerySet:
        return self.active_on(timezone.localdate())  # type: ignore[return-value]


@track_history
class TeamMembership(TimeStamped):
    """A person's place on a team from ``start_date`` to ``end_date`` (inclusive; open when
    no end), and the instructional team or special program they represent there."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    district = models.ForeignKey(
        "orgs.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="team_memberships"
    )
    role = models.CharField(max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER)
    community_kind = models.CharField(
        "who they are", max_length=10, choices=CommunityKind.choices, blank=True
    )
    represents_team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="representatives",
        help_text="The instructional team this member speaks for.",
    )
    represents_program = models.ForeignKey(
        "orgs.SpecialProgram",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="representatives",
        help_text="The special program this member speaks for.",
    )
    start_date = models.DateField(default=dt.date.today)
    end_date = models.DateField(null=True, blank=True)

    objects = TeamMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="team_membership_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(role="community") | Q(community_kind=""),
                name="community_kind_only_for_community_members",
            ),
        ]
        indexes = [
            models.Index(fields=["team", "end_date"]),
            models.Index(fields=["user", "end_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.team}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.district_id = self.team.district_id
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def active_on(self, day: dt.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)

    @property
    def is_restricted(self) -> bool:
        return self.role == MemberRole.COMMUNITY
