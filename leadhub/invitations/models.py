"""Invitations: how staff join LeadHub before any roster import exists.

A district leader or principal invites a person by email with a role at a school
(or at the district office, for district leaders). The link in the email carries a
random token; only its SHA-256 hash is stored, so a copy of the database cannot be
used to accept anyone's invitation.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from leadhub.accounts.models import normalize_email_address
from leadhub.core.history import confidential, track_history
from leadhub.core.models import DistrictScoped, TimeStamped
from leadhub.orgs.models import Role, School

INVITABLE_ROLES = (
    Role.DISTRICT_LEADER,
    Role.PRINCIPAL,
    Role.ASSISTANT_PRINCIPAL,
    Role.TEACHER,
    Role.INSTRUCTIONAL_COACH,
)
INVITABLE_ROLE_CHOICES = [(role.value, role.label) for role in INVITABLE_ROLES]


def invitation_days() -> int:
    return int(getattr(settings, "LEADHUB_INVITATION_DAYS", 14))


def default_expiry() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=invitation_days())


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def open(self) -> InvitationQuerySet:
        """Neither accepted nor revoked: pending, or expired without an answer."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)

    def pending(self) -> InvitationQuerySet:
        return self.open().filter(expires_at__gt=timezone.now())

    def expired(self) -> InvitationQuerySet:
        return self.open().filter(expires_at__lte=timezone.now())

    def accepted(self) -> InvitationQuerySet:
        return self.filter(accepted_at__isnull=False)

    def revoked(self) -> InvitationQuerySet:
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=False)

    def with_status(self, status: str) -> InvitationQuerySet:
        by_status = {
            Invitation.Status.PENDING: self.pending,
            Invitation.Status.ACCEPTED: self.accepted,
            Invitation.Status.EXPIRED: self.expired,
            Invitation.Status.REVOKED: self.revoked,
        }
        return by_status[Invitation.Status(status)]()

    def pending_first(self) -> InvitationQuerySet:
        pending = Q(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        return self.annotate(
            waiting=models.Case(models.When(pending, then=models.Value(0)), default=models.Value(1))
        ).order_by("waiting", "-created_at", "-pk")


@track_history
class Invitation(DistrictScoped, TimeStamped):
    """One person invited by email to one role at a school or district office."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        EXPIRED = "expired", "Expired"
        REVOKED = "revoked", "Revoked"

    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
        help_text="Empty for district leaders, who work for the whole district.",
    )
    email = models.EmailField("email address", max_length=254)
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=24, choices=INVITABLE_ROLE_CHOICES)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField(default=default_expiry)
    sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When the latest invitation email went out."
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    # SHA-256 of the token in the emailed link. Empty until an email is sent and
    # again after a resend is asked for, so no older link keeps working.
    token_hash = confidential(
        models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                "email",
                "district",
                Coalesce("school", models.Value(0), output_field=models.BigIntegerField()),
                "role",
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_invitation_per_person_place_role",
            ),
            models.CheckConstraint(
                condition=Q(role__in=[role.value for role in INVITABLE_ROLES]),
                name="invitation_role_is_invitable",
            ),
            models.CheckConstraint(
                condition=(
                    Q(role=Role.DISTRICT_LEADER, school__isnull=True)
                    | (~Q(role=Role.DISTRICT_LEADER) & Q(school__isnull=False))
                ),
                name="invitation_place_matches_role",
            ),
        ]
        indexes = [
            models.Index(fields=["district", "school"]),
            models.Index(fields=["email"]),
        ]

    def __str__(self) -> str:
        return f"Invitation of {self.full_name} as {self.get_role_display()}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.email = normalize_email_address(self.email)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def status(self) -> str:
        if self.accepted_at is not None:
            return self.Status.ACCEPTED
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    @property
    def status_label(self) -> str:
        return self.Status(self.status).label

    @property
    def is_open(self) -> bool:
        """Still answerable by its inviter: it can be resent or revoked."""
        return self.accepted_at is None and self.revoked_at is None

    @property
    def place_name(self) -> str:
        if self.school is not None:
            return self.school.name
        return f"{self.district.name} (district office)"
