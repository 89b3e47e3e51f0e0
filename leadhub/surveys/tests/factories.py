"""Factories and helpers for survey tests: administrations, recipients and answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import factory
from django.utils import timezone

from leadhub.accounts.models import User
from leadhub.accounts.tests.factories import UserFactory
from leadhub.orgs.models import School
from leadhub.orgs.tests.factories import MembershipFactory, SchoolFactory
from leadhub.surveys.builtin import CULTURE_PULSE
from leadhub.surveys.models import (
    Administration,
    AdministrationStatus,
    Instrument,
    Invitation,
    Item,
)
from leadhub.surveys.selectors import survey_items
from leadhub.surveys.services import built_in_instruments_ensure, response_submit


def culture_pulse() -> Instrument:
    return built_in_instruments_ensure()[CULTURE_PULSE]


class AdministrationFactory(factory.django.DjangoModelFactory):
    """A sent administration of the culture pulse, open since three days ago for a week."""

    class Meta:
        model = Administration

    school = factory.SubFactory(SchoolFactory)
    district = factory.LazyAttribute(lambda o: o.school.district)
    instrument = factory.LazyFunction(culture_pulse)
    title = factory.Sequence(lambda n: f"Culture pulse {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=3))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    status = AdministrationStatus.SENT
    created_by = factory.SubFactory(UserFactory)
    sent_at = factory.LazyAttribute(lambda o: o.opens_at)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    administration = factory.SubFactory(AdministrationFactory)
    district = factory.LazyAttribute(lambda o: o.administration.district)
    user = factory.SubFactory(UserFactory)
    sent_at = factory.LazyAttribute(lambda o: o.administration.sent_at)


def staff_at(school: School, count: int, *, prefix: str = "staff") -> list[User]:
    """``count`` new teachers at ``school``."""
    people = []
    for n in range(count):
        user = UserFactory(
            email=f"{prefix}.{school.pk}.{n}@survey.test", full_name=f"{prefix.title()} {n} Teacher"
        )
        MembershipFactory(user=user, role="teacher", school=school, district=school.district)
        people.append(user)
    return people


ValuesFor = Callable[[Item], int | None]


def answer_all(
    administration: Administration,
    values: list[ValuesFor],
    *,
    now: dt.datetime | None = None,
) -> list[Invitation]:
    """One invited person per entry of ``values``, each answering every item with
    ``values[i](item)``, through the real service."""
    items = survey_items(administration)
    invitations = []
    for n, value_for in enumerate(values):
        user = UserFactory(
            email=f"answer.{administration.pk}.{n}@survey.test", full_name=f"Answerer {n}"
        )
        invitation = InvitationFactory(administration=administration, user=user)
        response_submit(
            invitation=invitation,
            values={item.pk: value_for(item) for item in items},
            now=now,
        )
        invitations.append(invitation)
    return invitations


def everything(value: int | None) -> ValuesFor:
    return lambda item: value


def close(administration: Administration) -> None:
    """End the window (as if its last day had passed)."""
    Administration.objects.filter(pk=administration.pk).update(
        status=AdministrationStatus.CLOSED, closes_at=timezone.now() - dt.timedelta(minutes=1)
    )
    administration.refresh_from_db()
