from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from leadhub.accounts.tests.factories import UserFactory
from leadhub.orgs.tests.factories import SchoolFactory
from leadhub.teams.models import MemberRole, Team, TeamKind, TeamMembership


class TeamFactory(factory.django.DjangoModelFactory):
    """A school team by default; pass ``district=`` (and ``school=None``) for a district
    team, or ``hub=`` with ``school=None`` for a network."""

    class Meta:
        model = Team

    kind = TeamKind.ILT
    name = factory.Sequence(lambda n: f"Team {n}")
    school = factory.SubFactory(SchoolFactory)
    district = factory.LazyAttribute(lambda o: o.school.district if o.school else None)


class TeamMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMembership

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)
    role = MemberRole.MEMBER
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=200))
