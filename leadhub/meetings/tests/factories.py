from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from leadhub.accounts.tests.factories import UserFactory
from leadhub.meetings.models import (
    ActionItem,
    AgendaItem,
    AgendaKind,
    Attendance,
    AttendanceStatus,
    Decision,
    IntakeItem,
    Meeting,
    MeetingSeries,
    Weekday,
)
from leadhub.teams.tests.factories import TeamFactory


class MeetingSeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingSeries

    team = factory.SubFactory(TeamFactory)
    weekday = Weekday.WEDNESDAY
    start_time = dt.time(15, 30)
    first_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=60))


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    team = factory.SubFactory(TeamFactory)
    scheduled_start = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Agenda item {n}")
    kind = AgendaKind.DATA_REVIEW
    position = factory.Sequence(lambda n: n)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    district = factory.LazyAttribute(lambda o: o.meeting.district)
    user = factory.SubFactory(UserFactory)
    status = AttendanceStatus.ON_TIME


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    text = factory.Sequence(lambda n: f"Decision {n}")


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    meeting = factory.SubFactory(MeetingFactory)
    team = factory.LazyAttribute(lambda o: o.meeting.team)
    description = factory.Sequence(lambda n: f"Action {n}")
    owner = factory.SubFactory(UserFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))


class IntakeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntakeItem

    team = factory.SubFactory(TeamFactory)
    proposed_by = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Proposed issue {n}")
