"""Surveys: instruments of constructs and items, administrations sent to recipients, and
the anonymous responses that come back.

One engine serves every survey in LeadHub: the culture-of-inquiry pulse a school sends
its staff, and (later) a team's health self-assessment. An :class:`Instrument` groups
:class:`Item` statements under :class:`Construct` themes, answered on the five-point
:class:`Agreement` scale. An :class:`Administration` sends one instrument (plus any
items the school adds) to a set of people for a window of dates.

Who answered and what was answered are never joined
---------------------------------------------------
Each recipient has an :class:`Invitation` (WHO: the person, the hash of their
single-use link, when it was emailed, whether it was used). What they answer is a
:class:`Response` with its :class:`Answer` rows (WHAT). Both are written in one
transaction when the answers are sent, and nothing links them afterwards:

* A response has no person, no invitation and no time: besides its key, it records
  only its administration (and that administration's district).
* Responses and answers are keyed by random UUIDs, not counters. Counter keys would
  number the responses in the order they arrived, and arrival times (a web server's
  access log, a colleague seen answering at 8 a.m.) would then name the author.
  Nothing in LeadHub orders responses or answers by key.
* An invitation keeps a bare ``responded`` flag: no ``responded_at``, no
  ``updated_at`` (so it is not :class:`TimeStamped`) and no history table (a history
  row is stamped with the time of the change). ``sent_at`` is the moment the links
  were emailed, the same for everyone sent together.
* Answering writes no audit event. The session holds which invitation a link opened
  only until the answers are in, then only that they were sent, until the thank-you
  page has been shown.
* Results appear only after the window closes and only with at least five responses
  (:mod:`leadhub.surveys.results`), so the response count, which rises live, cannot
  be matched with a change in the results.

What this cannot hide: an operator with direct access to the database server can see
the physical order in which rows were written (on PostgreSQL, row positions and the
write-ahead log). That is outside what an application can control; access to the
database server belongs to operators bound by the district agreement.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from leadhub.core.history import track_history
from leadhub.core.models import DistrictScoped, TimeStamped
from leadhub.lib.concurrency import Versioned


class InstrumentKind(models.TextChoices):
    CULTURE_PULSE = "culture_pulse", "Culture of inquiry pulse"
    TEAM_HEALTH = "team_health", "Team health self-assessment"
    CUSTOM = "custom", "A school's own survey"


class Agreement(models.IntegerChoices):
    """The five-point agreement scale every item is answered on."""

    STRONGLY_DISAGREE = 1, "Strongly disagree"
    DISAGREE = 2, "Disagree"
    NEUTRAL = 3, "Neither agree nor disagree"
    AGREE = 4, "Agree"
    STRONGLY_AGREE = 5, "Strongly agree"


# Agree or strongly agree, once a reverse-scored item's answer has been turned around.
FAVOURABLE_FROM = Agreement.AGREE
SCALE_TOP = Agreement.STRONGLY_AGREE


class Instrument(TimeStamped):
    """A survey: built into LeadHub (no school) or a school's own."""

    kind = models.CharField(max_length=20, choices=InstrumentKind.choices)
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    school = models.ForeignKey(
        "orgs.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_instruments",
    )
    district = models.ForeignKey(
        "orgs.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(school__isnull=True, district__isnull=True)
                | Q(school__isnull=False, district__isnull=False),
                name="survey_instrument_owner_has_district",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_built_in(self) -> bool:
        return self.school_id is None


class Construct(models.Model):
    """A theme an instrument measures, such as relational trust."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="constructs")
    slug = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)
    description = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["instrument", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "slug"], name="unique_construct_slug_per_instrument"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Item(TimeStamped):
    """One statement to agree or disagree with.

    An instrument's own items have ``instrument`` set; the items a school adds to one
    administration have ``administration`` set instead. ``construct`` is empty for a
    school's item that belongs to none of the themes.
    """

    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, null=True, blank=True, related_name="items"
    )
    administration = models.ForeignKey(
        "Administration",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="own_items",
    )
    construct = models.ForeignKey(
        Construct, on_delete=models.PROTECT, null=True, blank=True, related_name="items"
    )
    text = models.CharField("statement", max_length=300)
    order = models.PositiveSmallIntegerField(default=0)
    reverse_scored = models.BooleanField(
        default=False, help_text="Agreeing is the unfavourable answer."
    )

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(instrument__isnull=False, administration__isnull=True)
                | Q(instrument__isnull=True, administration__isnull=False),
                name="survey_item_belongs_to_instrument_or_administration",
            )
        ]

    def __str__(self) -> str:
        return self.text


class AdministrationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENT = "sent", "Sent"
    CLOSED = "closed", "Closed"


class Phase(models.TextChoices):
    """Where an administration stands at a moment: its status read against its window."""

    DRAFT = "draft", "Draft"
    SCHEDULED = "scheduled", "Sent, opens soon"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


@track_history
class Administration(Versioned, DistrictScoped, TimeStamped):
    """One sending of an instrument to a school's staff (or a team), for a window."""

    school = models.ForeignKey(
        "orgs.School", on_delete=models.PROTECT, related_name="survey_administrations"
    )
    team = models.ForeignKey(
        "teams.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_administrations",
        help_text="Set when the survey is for one team's members.",
    )
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="administrations"
    )
    title = models.CharField(max_length=150)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=AdministrationStatus.choices, default=AdministrationStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="survey_administration_closes_after_opening",
            )
        ]
        indexes = [models.Index(fields=["school", "instrument", "closes_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:detail", args=[self.pk])

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return self.district.zone

    @property
    def last_day(self) -> dt.date:
        """The last day answers are taken, in the district's zone (the window ends at the
        midnight after it, or at the moment it was closed early)."""
        return (self.closes_at - dt.timedelta(microseconds=1)).astimezone(self.zone).date()

    @property
    def first_day(self) -> dt.date:
        return self.opens_at.astimezone(self.zone).date()

    def phase(self, now: dt.datetime) -> Phase:
        if self.status == AdministrationStatus.DRAFT:
            return Phase.DRAFT
        if self.status == AdministrationStatus.CLOSED or now >= self.closes_at:
            return Phase.CLOSED
        return Phase.OPEN if now >= self.opens_at else Phase.SCHEDULED


class Invitation(DistrictScoped):
    """WHO: one recipient of an administration and their single-use link.

    Deliberately without timestamps other than ``sent_at`` and without history: see
    the module docstring.
    """

    administration = models.ForeignKey(
        Administration, on_delete=models.CASCADE, related_name="invitations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="survey_invitations"
    )
    token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    responded = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["administration", "user"], name="one_survey_invitation_per_person"
            )
        ]
        indexes = [models.Index(fields=["user", "responded"])]

    def __str__(self) -> str:
        return f"Invitation {self.pk} to {self.administration_id}"


class Response(DistrictScoped):
    """WHAT: one person's answers, with nothing that says whose or when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    administration = models.ForeignKey(
        Administration, on_delete=models.CASCADE, related_name="responses"
    )

    def __str__(self) -> str:
        return f"Response to {self.administration_id}"


class Answer(models.Model):
    """The value chosen for one item in one response; empty when the item was skipped."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers")
    value = models.PositiveSmallIntegerField(choices=Agreement.choices, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="one_answer_per_item"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=1, value__lte=5),
                name="survey_answer_on_the_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"Answer to item {self.item_id}"


class SealedFigures(models.Model):
    """The totals of a closed administration, fixed the first time they are read after it
    closed: released results are read from here, never recomputed from answers, so no
    answer stored afterwards (however it got there) can change what people have seen.

    Only totals per item and per construct, never a response: nothing here says who
    answered or in what order.
    """

    administration = models.OneToOneField(
        Administration, on_delete=models.CASCADE, primary_key=True, related_name="sealed"
    )
    responses = models.PositiveIntegerField()
    # {"items": {item id: [answers, total, favourable]},
    #  "constructs": {construct id: [answers, people, total, favourable]}}
    figures = models.JSONField()

    def __str__(self) -> str:
        return f"Sealed figures of {self.administration_id}"
