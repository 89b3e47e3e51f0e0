"""Team health: a district's adjustments to the standards, and the monthly snapshots that
district and hub views read (computing every team's indicators on each page view would
not scale to a state)."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from leadhub.core.history import track_history
from leadhub.core.models import TimeStamped
from leadhub.health.indicators import Code
from leadhub.health.standards import Adjustment, Band, Bands
from leadhub.lib.concurrency import Versioned
from leadhub.teams.models import TeamKind

INDICATOR_CHOICES = [(code.value, code.value.replace("_", " ")) for code in Code]


@track_history
class IndicatorStandard(Versioned, TimeStamped):
    """A district's own figures for one indicator of one kind of team, replacing the
    default in :mod:`leadhub.health.standards` for that district's teams."""

    district = models.ForeignKey("orgs.District", on_delete=models.CASCADE, related_name="+")
    team_kind = models.CharField(max_length=16, choices=TeamKind.choices)
    indicator = models.CharField(max_length=24, choices=INDICATOR_CHOICES)
    expectation = models.FloatField(validators=[MinValueValidator(0)])
    strong = models.FloatField(validators=[MinValueValidator(0)])
    developing = models.FloatField(validators=[MinValueValidator(0)])
    min_data = models.PositiveSmallIntegerField("minimum data", validators=[MinValueValidator(1)])

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["district", "team_kind", "indicator"],
                name="one_standard_per_district_kind_indicator",
            )
        ]

    def __str__(self) -> str:
        return f"{self.district}: {self.indicator} for {self.get_team_kind_display()}"

    @property
    def adjustment(self) -> Adjustment:
        return Adjustment(
            team_kind=self.team_kind,
            indicator=self.indicator,
            bands=Bands(self.expectation, self.strong, self.developing, self.min_data),
        )


class Status(models.TextChoices):
    MEASURED = "measured", "Measured"
    NOT_ENOUGH_DATA = "not_enough_data", "Not enough data"
    NO_DATA_YET = "no_data_yet", "No data yet"


BAND_CHOICES = [
    (Band.STRONG, "Strong"),
    (Band.DEVELOPING, "Developing"),
    (Band.ATTENTION, "Needs attention"),
]


class HealthSnapshot(models.Model):
    """One indicator of one team as of one month: over the school year to date and over the
    90 days before ``as_of`` (the month's last day, or the day it was computed for the
    current month). Rewritten whole for a team whenever the team is recomputed.

    ``district``, ``school`` and ``hub`` copy the team's, so district and hub views filter
    and sort one table with indexed conditions."""

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey(
        "orgs.District", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    school = models.ForeignKey(
        "orgs.School", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    hub = models.ForeignKey(
        "orgs.Hub", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    team_kind = models.CharField(max_length=16, choices=TeamKind.choices)
    month = models.DateField(help_text="The first day of the month.")
    as_of = models.DateField()
    indicator = models.CharField(max_length=24, choices=INDICATOR_CHOICES)
    year_status = models.CharField(max_length=16, choices=Status.choices)
    year_value = models.FloatField(null=True, blank=True)
    year_band = models.CharField(max_length=12, choices=BAND_CHOICES, blank=True)
    year_detail = models.CharField(max_length=120, blank=True)
    recent_status = models.CharField(max_length=16, choices=Status.choices)
    recent_value = models.FloatField(null=True, blank=True)
    recent_band = models.CharField(max_length=12, choices=BAND_CHOICES, blank=True)
    recent_detail = models.CharField(max_length=120, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["team", "month", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "month", "indicator"], name="one_snapshot_per_team_month_indicator"
            ),
            models.CheckConstraint(
                condition=Q(year_value__isnull=True) | Q(year_status="measured"),
                name="snapshot_year_value_only_when_measured",
            ),
        ]
        indexes = [
            models.Index(fields=["district", "month", "indicator"]),
            models.Index(fields=["hub", "month", "indicator"]),
            models.Index(fields=["school", "month"]),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} of team {self.team_id} in {self.month:%B %Y}"
