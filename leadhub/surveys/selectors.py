"""Reads that several survey pages share. Results live in :mod:`leadhub.surveys.results`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from leadhub.accounts.models import User
from leadhub.orgs.models import Membership, Role, School
from leadhub.surveys.models import (
    Administration,
    AdministrationStatus,
    Instrument,
    InstrumentKind,
    Invitation,
    Item,
    Response,
)

ROLE_LABELS = dict(Role.choices)


@dataclass(frozen=True)
class StaffMember:
    user: User
    roles: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.user.full_name} · {', '.join(self.roles)}"


def school_staff(school: School) -> list[StaffMember]:
    """The school's current staff with an active account, each once, by name."""
    memberships = (
        Membership.objects.current()
        .filter(school=school, user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user_id", "role")
    )
    roles: dict[int, list[str]] = defaultdict(list)
    users: dict[int, User] = {}
    for membership in memberships:
        users[membership.user_id] = membership.user
        label = ROLE_LABELS.get(membership.role, membership.role)
        if label not in roles[membership.user_id]:
            roles[membership.user_id].append(label)
    return [StaffMember(user=user, roles=tuple(roles[pk])) for pk, user in users.items()]


def instruments_for_school(school: School) -> QuerySet[Instrument]:
    """What a school may send its staff: the built-in pulse and its own instruments.
    Team self-assessments are sent from a team, not from here."""
    return (
        Instrument.objects.filter(Q(school__isnull=True) | Q(school=school))
        .exclude(kind=InstrumentKind.TEAM_HEALTH)
        .order_by("school_id", "name")
    )


def survey_items(administration: Administration) -> list[Item]:
    """The instrument's items in order, then the school's own."""
    return list(
        Item.objects.filter(
            Q(instrument_id=administration.instrument_id) | Q(administration=administration)
        )
        .select_related("construct")
        .order_by(F("administration_id").asc(nulls_first=True), "order", "pk")
    )


def own_items(administration: Administration) -> QuerySet[Item]:
    return administration.own_items.select_related("construct").order_by("order", "pk")


@dataclass(frozen=True)
class ResponseRate:
    invited: int
    responded: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.responded / self.invited) if self.invited else None


def response_rate(administration: Administration) -> ResponseRate:
    counts = Invitation.objects.filter(administration=administration).aggregate(
        invited=Count("pk"), responded=Count("pk", filter=Q(responded=True))
    )
    return ResponseRate(invited=counts["invited"], responded=counts["responded"])


def with_response_counts(
    administrations: QuerySet[Administration],
) -> QuerySet[Administration]:
    return administrations.annotate(
        invited_count=Count("invitations"),
        responded_count=Count("invitations", filter=Q(invitations__responded=True)),
    )


def recipients_of(administration: Administration) -> list[User]:
    return [
        invitation.user
        for invitation in administration.invitations.select_related("user").order_by(
            "user__full_name", "user_id"
        )
    ]


def waiting_for(user: User, *, now: dt.datetime) -> list[Invitation]:
    """Surveys sent to the person that they have not answered and can still answer."""
    return list(
        Invitation.objects.filter(
            user=user,
            responded=False,
            sent_at__isnull=False,
            administration__status=AdministrationStatus.SENT,
            administration__closes_at__gt=now,
        )
        .select_related("administration__school", "administration__district")
        .order_by("administration__closes_at", "administration_id")
    )


@dataclass(frozen=True)
class AdministrationRow:
    administration: Administration
    phase: str
    phase_label: str
    invited: int
    responded: int


def administration_rows(
    administrations: QuerySet[Administration], *, now: dt.datetime
) -> list[AdministrationRow]:
    """Administrations for a list, newest first by school, with their response counts."""
    rows = []
    for a in with_response_counts(
        administrations.select_related("school", "district", "instrument")
    ).order_by("school__name", "school_id", "-opens_at", "-pk"):
        phase = a.phase(now)
        rows.append(
            AdministrationRow(
                administration=a,
                phase=phase.value,
                phase_label=phase.label,
                invited=a.invited_count,  # type: ignore[attr-defined]
                responded=a.responded_count,  # type: ignore[attr-defined]
            )
        )
    return rows


def response_count(administration: Administration) -> int:
    return Response.objects.filter(administration=administration).count()


def survey_items_of_instrument(instrument: Instrument | None) -> list[Item]:
    """An instrument's own items in order (the preview on the set-up form)."""
    if instrument is None:
        return []
    return list(instrument.items.select_related("construct").order_by("order", "pk"))
