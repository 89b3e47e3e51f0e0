"""The daily digest: its content (nothing confidential), the district's local date and
morning hour, hub teams in their state's zone, once per person per day, and its job."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from types import SimpleNamespace
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from leadhub.accounts.tests.factories import UserFactory
from leadhub.core.scheduler import registered_jobs
from leadhub.meetings import jobs
from leadhub.meetings.models import ActionStatus, DigestDelivery, MeetingStatus, ReportBack
from leadhub.meetings.services.digest import digest_for, digests_for, digests_send_due
from leadhub.meetings.tests.factories import ActionItemFactory, DecisionFactory, MeetingFactory
from leadhub.orgs.tests.factories import HubFactory, MembershipFactory, StateFactory
from leadhub.teams.models import TeamKind
from leadhub.teams.tests.factories import TeamFactory, TeamMembershipFactory

pytestmark = pytest.mark.django_db

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
HONOLULU = zoneinfo.ZoneInfo("Pacific/Honolulu")
SECRET = "Talk with the teacher about the complaint"


def at(day: dt.date, hour: int, minute: int, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)


def sent_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


@pytest.fixture
def dana(world):
    """A Lincoln teacher with a spread of items around ``day`` (yesterday, so the dates
    never depend on the hour the tests run)."""
    day = timezone.localdate() - dt.timedelta(days=1)
    person = UserFactory(email="dana@world.test", full_name="Dana Diaz")
    MembershipFactory(user=person, role="teacher", school=world.school, district=world.district)
    meeting = MeetingFactory(
        team=world.objects["ilt"],
        scheduled_start=at(day - dt.timedelta(days=20), 15, 30, CHICAGO),
        status=MeetingStatus.HELD,
    )

    def action(description: str, offset: int, **extra):
        return ActionItemFactory(
            meeting=meeting, owner=person, description=description,
            due_on=day + dt.timedelta(days=offset), **extra,
        )  # fmt: skip

    action("Print the fluency passages", 0)
    action("Send the unit plan to the coach", -3)
    action("Book the library for the data day", 7)
    action("Plan next month's walkthrough", 8)
    action("Already done thing", 0, status=ActionStatus.DONE, completed_on=day)
    action(SECRET, 1, confidential=True)
    open_decision = DecisionFactory(meeting=meeting, text="Recess moves to 11:40.")
    secret_decision = DecisionFactory(
        meeting=meeting, text="Move a teacher to another grade.", confidential=True
    )
    shared_decision = DecisionFactory(meeting=meeting, text="Already shared decision.")
    grade5 = world.objects["grade5"]
    ReportBack.objects.create(
        decision=open_decision, team=grade5, assignee=person, due_on=day + dt.timedelta(days=2)
    )
    ReportBack.objects.create(
        decision=secret_decision, team=grade5, assignee=person, due_on=day - dt.timedelta(days=1)
    )
    ReportBack.objects.create(
        decision=shared_decision,
        team=grade5,
        assignee=person,
        due_on=day,
        shared_on=day,
        channel="email",
    )
    return SimpleNamespace(person=person, day=day)


def titles(entries) -> list[str]:
    return [entry.title for entry in entries]


def test_the_digest_lists_due_today_overdue_and_the_next_seven_days(dana) -> None:
    digest = digest_for(dana.person, local_date=dana.day)

    assert titles(digest.due_today) == ["Print the fluency passages"]
    assert titles(digest.overdue) == [
        "Send the unit plan to the coach",
        "Report a confidential Lincoln ILT decision back to Grade 5 team",
    ]
    assert titles(digest.upcoming) == [
        "A confidential action item from Lincoln ILT",
        "Report back to Grade 5 team: “Recess moves to 11:40.”",
        "Book the library for the data day",
    ]
    assert digest.count == 6
    assert all(entry.url.startswith("http") for entry in digest.upcoming)


def test_the_digest_email_carries_no_confidential_text(dana) -> None:
    run = digests_send_due(now=at(dana.day, 7, 10, CHICAGO))
    assert run.dates == {"America/Chicago": dana.day}
    (message,) = sent_to("dana@world.test")
    html = message.alternatives[0].content
    for body in (message.subject, message.body, html):
        assert SECRET not in body
        assert "Move a teacher" not in body
    assert "A confidential action item from Lincoln ILT" in message.body
    assert "Print the fluency passages" in html
    assert "Plan next month's walkthrough" not in message.body
    assert "Already done thing" not in message.body
    assert "Already shared decision" not in message.body
    assert message.subject.startswith("2 overdue, 1 due today, 3 due this week: your LeadHub")


def test_the_subject_names_only_what_there_is(world) -> None:
    day = timezone.localdate()
    person = UserFactory(email="lee@world.test")
    ActionItemFactory(
        meeting=MeetingFactory(team=world.objects["grade5"]),
        owner=person,
        description="Order rulers",
        due_on=day + dt.timedelta(days=2),
    )
    digests_send_due(now=at(day, 7, 20, CHICAGO))
    (message,) = sent_to("lee@world.test")
    assert message.subject == f"1 due this week: your LeadHub items for {day:%A, %B} {day.day}"


def test_the_digest_follows_the_districts_local_date(dana) -> None:
    # 04:30 UTC the next day is still ``day`` in Chicago (22:30 CST or 23:30 CDT).
    moment = at(dana.day + dt.timedelta(days=1), 4, 30, dt.UTC)
    assert moment.astimezone(CHICAGO).date() == dana.day

    digests_send_due(now=moment)

    delivery = DigestDelivery.objects.get(user=dana.person)
    assert delivery.local_date == dana.day and delivery.item_count == 6
    (message,) = sent_to("dana@world.test")
    due_today = message.body.split("DUE TODAY")[1].split("DUE IN THE NEXT")[0]
    assert "Print the fluency passages" in due_today


def test_nothing_goes_out_before_seven_in_the_morning_locally(dana) -> None:
    run = digests_send_due(now=at(dana.day, 6, 55, CHICAGO))
    assert run.sent == 0 and run.dates == {}
    assert mail.outbox == [] and not DigestDelivery.objects.exists()
    digests_send_due(now=at(dana.day, 7, 0, CHICAGO))
    assert len(sent_to("dana@world.test")) == 1


def test_a_person_gets_one_digest_a_day_however_often_the_job_runs(dana) -> None:
    digests_send_due(now=at(dana.day, 7, 5, CHICAGO))
    digests_send_due(now=at(dana.day, 9, 35, CHICAGO))
    assert len(sent_to("dana@world.test")) == 1
    assert DigestDelivery.objects.filter(user=dana.person).count() == 1
    digests_send_due(now=at(dana.day + dt.timedelta(days=1), 7, 5, CHICAGO))
    assert len(sent_to("dana@world.test")) == 2


def test_a_digest_another_run_already_sent_is_not_sent_again(dana) -> None:
    DigestDelivery.objects.create(user=dana.person, local_date=dana.day, item_count=6)
    digests_send_due(now=at(dana.day, 8, 0, CHICAGO))
    assert sent_to("dana@world.test") == []


def test_a_cross_school_team_follows_its_hubs_state_zone(world) -> None:
    state = StateFactory(code="HI", name="Hawaii Test", time_zone="Pacific/Honolulu")
    network = TeamFactory(
        kind=TeamKind.NETWORK, school=None, district=None, hub=HubFactory(state=state)
    )
    person = UserFactory(email="kai@world.test")
    TeamMembershipFactory(team=network, user=person)
    day = timezone.localdate()
    ActionItemFactory(
        meeting=MeetingFactory(team=network), owner=person, description="Visit", due_on=day
    )
    # 08:00 in Chicago is 04:00 in Honolulu: not yet the morning there.
    digests_send_due(now=at(day, 8, 0, CHICAGO))
    assert sent_to("kai@world.test") == []
    digests_send_due(now=at(day, 7, 30, HONOLULU))
    (message,) = sent_to("kai@world.test")
    assert "Visit" in message.body
    assert DigestDelivery.objects.get(user=person).local_date == day


def test_building_digests_costs_the_same_few_queries_for_any_number_of_people(
    world, dana, django_assert_num_queries
) -> None:
    teacher, coach = world.people["teacher"], world.people["instructional_coach"]
    with django_assert_num_queries(3):
        few = digests_for([dana.person.pk], local_date=dana.day)
    with django_assert_num_queries(3):
        many = digests_for([dana.person.pk, teacher.pk, coach.pk], local_date=dana.day)
    assert set(few) == {dana.person.pk}
    assert {dana.person.pk, teacher.pk, coach.pk} == set(many)


def test_the_job_is_checked_every_half_hour_and_queues_the_sending(dana) -> None:
    job = next(j for j in registered_jobs() if j.name == "meetings.daily_digest")
    assert job.every == dt.timedelta(minutes=30)
    message = jobs.enqueue_daily_digests()
    assert message.startswith("Queued task")
    assert DBTaskResult.objects.filter(
        task_path="leadhub.meetings.jobs.send_daily_digests"
    ).exists()
    with mock.patch("django.utils.timezone.now", return_value=at(dana.day, 7, 45, CHICAGO)):
        summary = jobs.send_daily_digests.call()
    assert summary.startswith("Sent ")
    assert len(sent_to("dana@world.test")) == 1
