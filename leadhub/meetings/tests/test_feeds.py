"""Calendar feeds: what a secret link serves, and what it never does."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from leadhub.meetings.models import FeedLink, Meeting
from leadhub.meetings.services.series import meeting_cancel, meeting_reschedule
from leadhub.meetings.tests.factories import AgendaItemFactory, DecisionFactory, MeetingFactory
from leadhub.meetings.tokens import feed_link_create, feed_link_revoke
from leadhub.teams.models import TeamMembership

pytestmark = pytest.mark.django_db


def fetch(token: str) -> Any:
    return Client().get(reverse("meetings:feed", args=[token]))


def parse(response: Any) -> Calendar:
    assert response.status_code == 200, response.status_code
    return Calendar.from_ical(response.content)


def events_by_uid(calendar: Calendar) -> dict[str, Any]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def uid_of(meeting: Meeting) -> str:
    return f"{meeting.uid}@leadhub"


def fresh(world: Any, key: str) -> Meeting:
    """The world's meeting as saved now (the world's objects are shared between tests)."""
    return Meeting.objects.get(pk=world.objects[key].pk)


def test_the_feed_is_icalendar_with_the_exact_content_type_and_private_caching(world) -> None:
    response = fetch(world.objects["feed_token"])
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    cache = response["Cache-Control"]
    assert "no-store" in cache and "private" in cache
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR")
    assert "X-WR-CALNAME:Lincoln ILT meetings" in body


def test_events_carry_the_districts_time_zone_with_its_definition(world) -> None:
    calendar = parse(fetch(world.objects["feed_token"]))
    zone = world.district.time_zone
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == [zone]
    event = events_by_uid(calendar)[uid_of(world.objects["next_meeting"])]
    assert event["DTSTART"].params["TZID"] == zone
    assert event["DTEND"].params["TZID"] == zone
    start = event.decoded("DTSTART")
    assert start == world.objects["next_meeting"].scheduled_start
    assert (start.hour, start.minute) == (15, 30)  # local time, as the world scheduled it
    assert event.decoded("DTEND") - start == dt.timedelta(minutes=90)
    assert str(event["SUMMARY"]) == "Lincoln ILT meeting (Lincoln Elementary)"
    assert str(event["LOCATION"]) == "Library"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["URL"]).endswith(
        reverse("meetings:meeting_detail", args=[world.objects["next_meeting"].pk])
    )
    assert str(event["URL"]).startswith("http")
    assert "DTSTAMP" in event


def test_a_moved_meeting_keeps_its_uid_with_a_higher_sequence(world) -> None:
    token, meeting = world.objects["feed_token"], fresh(world, "next_meeting")
    before = events_by_uid(parse(fetch(token)))[uid_of(meeting)]
    new_day = meeting.date + dt.timedelta(days=1)
    meeting_reschedule(
        meeting,
        expected_version=meeting.version,
        day=new_day,
        start_time=dt.time(8, 0),
        minutes=60,
        location="Room 104",
    )
    after_events = events_by_uid(parse(fetch(token)))
    after = after_events[uid_of(meeting)]
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after.decoded("DTSTART").date() == new_day
    assert (after.decoded("DTSTART").hour, str(after["LOCATION"])) == (8, "Room 104")
    # Still one event for the meeting: the same UID, not a second one.
    assert sum(1 for uid in after_events if uid == uid_of(meeting)) == 1


def test_a_cancelled_meeting_is_marked_cancelled(world) -> None:
    meeting = fresh(world, "next_meeting")
    meeting_cancel(meeting, note="Snow day: the building is closed")
    event = events_by_uid(parse(fetch(world.objects["feed_token"])))[uid_of(meeting)]
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1


def test_the_feed_never_carries_notes_agendas_decisions_or_names(world) -> None:
    meeting = fresh(world, "next_meeting")
    AgendaItemFactory(
        meeting=meeting,
        title="Reading plan for Jaylen Rivera",
        details="Bring Jaylen's running records.",
        notes="Working notes about Jaylen Rivera.",
    )
    DecisionFactory(meeting=meeting, text="Move Jaylen Rivera to the small group.")
    meeting_cancel(meeting, note="Jaylen Rivera's family meeting")
    body = fetch(world.objects["feed_token"]).content.decode()
    for secret in (
        "Jaylen",
        "Rivera",
        "running records",
        "Approved notes",
        "Working notes",
        "Confidential notes",
        "Grade 3 benchmark results",
        "A staffing concern",
        "fluency check",
        "student work samples",
        "DESCRIPTION",
    ):
        assert secret not in body, secret


def test_a_revoked_or_unknown_link_answers_404(world) -> None:
    principal = world.people["principal"]
    link, token = feed_link_create(user=principal, team=world.objects["ilt"])
    assert fetch(token).status_code == 200
    feed_link_revoke(link)
    assert fetch(token).status_code == 404
    assert fetch("made-up-secret").status_code == 404


def test_using_a_link_is_recorded(world) -> None:
    link, token = feed_link_create(user=world.people["teacher"], team=None)
    assert link.last_used_at is None
    fetch(token)
    link.refresh_from_db()
    assert link.last_used_at is not None


def test_a_personal_link_shows_all_my_teams_and_drops_a_team_i_left(world) -> None:
    teacher = world.people["teacher"]
    _, token = feed_link_create(user=teacher, team=None)
    grade3_meeting = MeetingFactory(team=world.objects["grade3"], location="Room 3")
    events = events_by_uid(parse(fetch(token)))
    assert uid_of(world.objects["next_meeting"]) in events
    assert uid_of(grade3_meeting) in events
    # Not on Grade 5 or the network: none of their meetings.
    assert uid_of(world.objects["grade5_meeting"]) not in events
    assert uid_of(world.objects["network_meeting"]) not in events
    assert "X-WR-CALNAME:My team meetings" in fetch(token).content.decode()

    TeamMembership.objects.filter(team=world.objects["grade3"], user=teacher).update(
        end_date=timezone.localdate() - dt.timedelta(days=1)
    )
    events = events_by_uid(parse(fetch(token)))
    assert uid_of(grade3_meeting) not in events
    assert uid_of(world.objects["next_meeting"]) in events


def test_a_team_link_stops_when_its_owner_can_no_longer_read_the_team(world) -> None:
    outsider = world.people["outsider"]
    _, token = feed_link_create(user=outsider, team=world.objects["network"])
    assert uid_of(world.objects["network_meeting"]) in events_by_uid(parse(fetch(token)))
    TeamMembership.objects.filter(team=world.objects["network"], user=outsider).update(
        end_date=timezone.localdate() - dt.timedelta(days=1)
    )
    assert fetch(token).status_code == 404


def test_the_feed_looks_back_sixty_days(world) -> None:
    ilt = world.objects["ilt"]
    old = MeetingFactory(team=ilt, scheduled_start=timezone.now() - dt.timedelta(days=61))
    recent = MeetingFactory(team=ilt, scheduled_start=timezone.now() - dt.timedelta(days=59))
    events = events_by_uid(parse(fetch(world.objects["feed_token"])))
    assert uid_of(recent) in events
    assert uid_of(old) not in events
    assert uid_of(world.objects["held_meeting"]) in events


def test_only_get_reaches_the_feed(world) -> None:
    url = reverse("meetings:feed", args=[world.objects["feed_token"]])
    assert Client().post(url).status_code == 405
    assert FeedLink.objects.filter(last_used_at__isnull=False).count() == 0
