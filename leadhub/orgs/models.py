"""The organization tree (state, hubs, districts, schools), school years and calendars,
school characteristics per year, programs, and dated memberships that give people roles."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from leadhub.core.history import track_history
from leadhub.core.models import DistrictScoped, TimeStamped
from leadhub.lib.concurrency import Versioned
from leadhub.orgs.schoolyears import school_year_bounds, school_year_label


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not an IANA time zone such as America/Chicago.")


percent_validators = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class DatedQuerySet(models.QuerySet):
    """Rows valid over ``start_date`` … ``end_date`` (inclusive; no end date means open)."""

    def active_on(self, day: dt.date) -> DatedQuerySet:
        return self.filter(Q(start_date__lte=day), Q(end_date__isnull=True) | Q(end_date__gte=day))


@track_history
class State(TimeStamped):
    name = models.CharField(max_length=100, unique=True)
    code = models.CharField(max_length=2, unique=True, help_text="Postal abbreviation, e.g. IL.")
    time_zone = models.CharField(
        max_length=64, default="America/Chicago", validators=[validate_time_zone]
    )

    def __str__(self) -> str:
        return self.name


@track_history
class Hub(TimeStamped):
    """A regional leadership hub with a service area of districts."""

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="hubs")
    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    host_organization = models.CharField(
        max_length=150, blank=True, help_text="The office that hosts the hub, e.g. a ROE."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:hub_detail", args=[self.slug])


@track_history
class District(TimeStamped):
    # Not named ``state``: its column would clash with ``state_id``, the state's district code.
    parent_state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="districts")
    name = models.CharField(max_length=150)
    state_id = models.CharField(
        "state identifier", max_length=30, unique=True, help_text="The state's district code."
    )
    nces_id = models.CharField(
        "NCES identifier",
        max_length=7,
        unique=True,
        null=True,
        blank=True,
        validators=[RegexValidator(r"^\d{7}$", "An NCES district identifier has 7 digits.")],
    )
    time_zone = models.CharField(
        max_length=64, default="America/Chicago", validators=[validate_time_zone]
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:district_detail", args=[self.pk])

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


@track_history
class HubServiceArea(DistrictScoped, TimeStamped):
    """A hub serves a district from ``start_date`` until ``end_date`` (inclusive)."""

    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="service_areas")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="service_area_ends_after_start",
            )
        ]
        indexes = [models.Index(fields=["district", "start_date"])]

    def __str__(self) -> str:
        return f"{self.hub} serves {self.district}"


@track_history
class School(DistrictScoped, TimeStamped):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(max_length=150)
    state_id = models.CharField(
        "state identifier", max_length=30, unique=True, help_text="The state's school code."
    )
    nces_id = models.CharField(
        "NCES identifier",
        max_length=12,
        unique=True,
        null=True,
        blank=True,
        validators=[RegexValidator(r"^\d{12}$", "An NCES school identifier has 12 digits.")],
    )
    city = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:school_detail", args=[self.pk])


class SchoolYear(models.Model):
    """A school year, keyed by its ending year (2026 = 2025–26)."""

    year = models.PositiveSmallIntegerField(
        primary_key=True, validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    start_date = models.DateField()
    end_date = models.DateField()

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return school_year_label(self.year)

    @classmethod
    def ensure(cls, year: int) -> SchoolYear:
        start, end = school_year_bounds(year)
        obj, _ = cls.objects.get_or_create(
            year=year, defaults={"start_date": start, "end_date": end}
        )
        return obj


@track_history
class DistrictCalendar(Versioned, DistrictScoped, TimeStamped):
    """A district's instructional calendar for one school year."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="calendars")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    first_day = models.DateField("first instructional day")
    last_day = models.DateField("last instructional day")

    class Meta:
        ordering = ["-school_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "school_year"], name="one_calendar_per_district_year"
            ),
            models.CheckConstraint(
                condition=Q(last_day__gt=models.F("first_day")), name="calendar_last_after_first"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district} calendar {self.school_year_id}"

    def clean(self) -> None:
        if self.first_day and self.last_day and self.last_day <= self.first_day:
            raise ValidationError({"last_day": "The last day must come after the first day."})
        if self.school_year_id and self.first_day and self.last_day:
            start, end = school_year_bounds(self.school_year_id)
            if not (start <= self.first_day and self.last_day <= end):
                raise ValidationError(
                    f"Instructional days must fall between {start:%-d %B %Y} and {end:%-d %B %Y}."
                )

    def non_instructional_dates(self) -> set[dt.date]:
        dates: set[dt.date] = set()
        for block in self.closures.all():
            day = block.start_date
            while day <= block.end_date:
                dates.add(day)
                day += dt.timedelta(days=1)
        return dates

    def is_instructional(self, day: dt.date) -> bool:
        if not (self.first_day <= day <= self.last_day) or day.weekday() >= 5:
            return False
        return day not in self.non_instructional_dates()

    def instructional_day_count(self) -> int:
        closed = self.non_instructional_dates()
        count = 0
        day = self.first_day
        while day <= self.last_day:
            if day.weekday() < 5 and day not in closed:
                count += 1
            day += dt.timedelta(days=1)
        return count


@track_history
class NonInstructionalDay(DistrictScoped, TimeStamped):
    """A break, holiday or other day (or run of days) without instruction."""

    class Kind(models.TextChoices):
        BREAK = "break", "Break"
        HOLIDAY = "holiday", "Holiday"
        PROFESSIONAL = "professional", "Staff development day"
        OTHER = "other", "Other non-instructional day"

    calendar = models.ForeignKey(
        DistrictCalendar, on_delete=models.CASCADE, related_name="closures"
    )
    start_date = models.DateField()
    end_date = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.HOLIDAY)
    label = models.CharField(max_length=100)

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="closure_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.label


class Grade(models.TextChoices):
    PRE_K = "PK", "Pre-K"
    KINDERGARTEN = "KG", "Kindergarten"
    G1 = "01", "Grade 1"
    G2 = "02", "Grade 2"
    G3 = "03", "Grade 3"
    G4 = "04", "Grade 4"
    G5 = "05", "Grade 5"
    G6 = "06", "Grade 6"
    G7 = "07", "Grade 7"
    G8 = "08", "Grade 8"
    G9 = "09", "Grade 9"
    G10 = "10", "Grade 10"
    G11 = "11", "Grade 11"
    G12 = "12", "Grade 12"


GRADE_ORDER = [g.value for g in Grade]


def grade_span_label(low: str, high: str) -> str:
    def short(code: str) -> str:
        return {"PK": "PK", "KG": "K"}.get(code) or str(int(code))

    return f"{short(low)}–{short(high)}" if low != high else short(low)


@track_history
class SchoolProfile(Versioned, DistrictScoped, TimeStamped):
    """A school's characteristics in one school year.

    Kept per year so the impact evaluation can match schools on baseline-year values.
    """

    class Locale(models.TextChoices):
        CITY = "city", "City"
        SUBURB = "suburb", "Suburb"
        TOWN = "town", "Town"
        RURAL = "rural", "Rural"

    class Designation(models.TextChoices):
        NONE = "none", "No federal support designation"
        TSI = "tsi", "Targeted support and improvement (TSI)"
        ATSI = "atsi", "Additional targeted support (ATSI)"
        CSI = "csi", "Comprehensive support and improvement (CSI)"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="profiles")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    lowest_grade = models.CharField(max_length=2, choices=Grade.choices)
    highest_grade = models.CharField(max_length=2, choices=Grade.choices)
    locale = models.CharField(max_length=10, choices=Locale.choices)
    enrollment = models.PositiveIntegerField(validators=[MaxValueValidator(20000)])
    pct_low_income = models.DecimalField(
        "low-income students (%)", max_digits=5, decimal_places=1, validators=percent_validators
    )
    pct_english_learners = models.DecimalField(
        "English learners (%)", max_digits=5, decimal_places=1, validators=percent_validators
    )
    pct_iep = models.DecimalField(
        "students with IEPs (%)", max_digits=5, decimal_places=1, validators=percent_validators
    )
    federal_designation = models.CharField(
        max_length=8, choices=Designation.choices, default=Designation.NONE
    )

    class Meta:
        ordering = ["-school_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year"], name="one_profile_per_school_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} in {school_year_label(self.school_year_id)}"

    @property
    def grades_label(self) -> str:
        return grade_span_label(self.lowest_grade, self.highest_grade)

    def clean(self) -> None:
        if (
            self.lowest_grade
            and self.highest_grade
            and GRADE_ORDER.index(self.lowest_grade) > GRADE_ORDER.index(self.highest_grade)
        ):
            raise ValidationError(
                {"highest_grade": "The highest grade cannot be below the lowest grade."}
            )


@track_history
class SpecialProgram(DistrictScoped, TimeStamped):
    """A special program a school runs; ILT membership later checks each is represented."""

    class Kind(models.TextChoices):
        BILINGUAL = "bilingual", "Bilingual / English learner program"
        SPECIAL_EDUCATION = "special_education", "Special education"
        GIFTED = "gifted", "Gifted and talented"
        EARLY_CHILDHOOD = "early_childhood", "Early childhood"
        CAREER_TECHNICAL = "career_technical", "Career and technical education"
        ARTS = "arts", "Fine arts"
        OTHER = "other", "Other"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="special_programs")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "kind", "name"], name="unique_special_program_per_school"
            )
        ]

    def __str__(self) -> str:
        return self.name or self.get_kind_display()


@track_history
class ProgramParticipation(DistrictScoped, TimeStamped):
    """A school's participation in a hub's program, from a school year, at a support tier."""

    class Tier(models.TextChoices):
        UNIVERSAL = "universal", "Tier 1 · universal support"
        TARGETED = "targeted", "Tier 2 · targeted support"
        INTENSIVE = "intensive", "Tier 3 · intensive support"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="participations")
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="participations")
    start_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    end_year = models.ForeignKey(
        SchoolYear, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    support_tier = models.CharField(max_length=12, choices=Tier.choices)

    class Meta:
        ordering = ["-start_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(end_year__gte=models.F("start_year")),
                name="participation_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} in {self.hub} from {school_year_label(self.start_year_id)}"

    def covers(self, year: int) -> bool:
        return self.start_year_id <= year and (self.end_year_id is None or year <= self.end_year_id)


class Role(models.TextChoices):
    STATE_ADMIN = "state_admin", "State administrator"
    EVALUATOR = "evaluator", "Evaluator"
    HUB_DIRECTOR = "hub_director", "Hub director"
    HUB_COACH = "hub_coach", "Hub coach"
    NETWORK_FACILITATOR = "network_facilitator", "Network facilitator"
    DISTRICT_LEADER = "district_leader", "District leader"
    PRINCIPAL = "principal", "Principal"
    ASSISTANT_PRINCIPAL = "assistant_principal", "Assistant principal"
    TEACHER = "teacher", "Teacher"
    INSTRUCTIONAL_COACH = "instructional_coach", "Instructional coach"


class Level(models.TextChoices):
    STATE = "state", "State"
    HUB = "hub", "Hub"
    DISTRICT = "district", "District"
    SCHOOL = "school", "School"


ROLE_LEVEL: dict[str, str] = {
    Role.STATE_ADMIN: Level.STATE,
    Role.EVALUATOR: Level.STATE,
    Role.HUB_DIRECTOR: Level.HUB,
    Role.HUB_COACH: Level.HUB,
    Role.NETWORK_FACILITATOR: Level.HUB,
    Role.DISTRICT_LEADER: Level.DISTRICT,
    Role.PRINCIPAL: Level.SCHOOL,
    Role.ASSISTANT_PRINCIPAL: Level.SCHOOL,
    Role.TEACHER: Level.SCHOOL,
    Role.INSTRUCTIONAL_COACH: Level.SCHOOL,
}
HUB_ROLES = frozenset({Role.HUB_DIRECTOR, Role.HUB_COACH, Role.NETWORK_FACILITATOR})
SCHOOL_LEADER_ROLES = frozenset({Role.PRINCIPAL, Role.ASSISTANT_PRINCIPAL})


class MembershipQuerySet(DatedQuerySet):
    def current(self) -> MembershipQuerySet:
        from django.utils import timezone

        return self.active_on(timezone.localdate())  # type: ignore[return-value]


@track_history
class Membership(TimeStamped):
    """A person's role at one organization, valid from ``start_date`` to ``end_date``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=24, choices=Role.choices)
    level = models.CharField(max_length=10, choices=Level.choices, editable=False)
    state = models.ForeignKey(
        State, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    hub = models.ForeignKey(
        Hub, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    title = models.CharField(
        max_length=120, blank=True, help_text="Job title as the person uses it."
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        level=Level.STATE,
                        state__isnull=False,
                        hub__isnull=True,
                        district__isnull=True,
                        school__isnull=True,
                    )
                    | Q(
                        level=Level.HUB,
                        hub__isnull=False,
                        district__isnull=True,
                        school__isnull=True,
                    )
                    | Q(
                        level=Level.DISTRICT,
                        district__isnull=False,
                        hub__isnull=True,
                        school__isnull=True,
                    )
                    | Q(
                        level=Level.SCHOOL,
                        school__isnull=False,
                        district__isnull=False,
                        hub__isnull=True,
                    )
                ),
                name="membership_scope_matches_level",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "end_date"]),
            models.Index(fields=["school", "role"]),
            models.Index(fields=["district", "role"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.organization}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.level = ROLE_LEVEL[self.role]
        if self.school is not None and not self.district_id:
            self.district_id = self.school.district_id
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def organization(self) -> State | Hub | District | School | None:
        return self.school or self.district or self.hub or self.state

    @property
    def is_current(self) -> bool:
        from django.utils import timezone

        today = timezone.localdate()
        return self.start_date <= today and (self.end_date is None or self.end_date >= today)
