"""Calendar feeds (iCalendar): a team's meetings, or all of one person's teams, behind a
secret link (:mod:`leadhub.meetings.tokens`).

What a feed carries is deliberately little: when and where a team meets, whether the
meeting is on or cancelled, and a link to its page in LeadHub. Never notes, agenda text,
decisions or student names: a calendar app syncs to phones and is shared with assistants.

Each meeting keeps its UID for life (``<meeting.uid>@leadhub``) and its SEQUENCE rises
whenever it moves or is cancelled, so subscribed calendars update the event in place.
Times carry the team's zone (the district's) with its VTIMEZONE definition.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.db.models import QuerySet
from django.utils import timezone
from icalendar import Calendar, Event

from leadhub.meetings.models import FeedLink, Meeting, MeetingStatus
from leadhub.teams.access import team_access, team_roles_for
from leadhub.teams.models import Team

PRODID = "-//LeadHub//Team meetings//EN"
LOOKBACK_DAYS = 60
REFRESH = dt.timedelta(hours=1)
CONTENT_TYPE = "text/calendar; charset=utf-8"


def feed_teams(link: FeedLink) -> list[Team] | None:
    """The teams the link's owner can still read now; None when a team link no longer
    opens anything (its owner lost access to the team)."""
    user = link.user
    if link.team is not None:
        return [link.team] if team_access(user, link.team).read else None
    team_ids = list(team_roles_for(user))
    teams = Team.objects.filter(pk__in=team_ids).select_related("school", "district", "hub__state")
    return [team for team in teams if team_access(user, team).read]


def feed_meetings(teams: Iterable[Team], *, now: dt.datetime | None = None) -> QuerySet[Meeting]:
    since = (now or timezone.now()) - dt.timedelta(days=LOOKBACK_DAYS)
    return (
        Meeting.objects.filter(team__in=list(teams), scheduled_start__gte=since)
        .select_related("team__school", "team__district", "team__hub__state")
        .order_by("scheduled_start", "pk")
    )


def calendar_name(link: FeedLink) -> str:
    return f"{link.team.name} meetings" if link.team is not None else "My team meetings"


def meeting_event(meeting: Meeting, *, url: str) -> Event:
    """One VEVENT: only the time, place, status and a link."""
    zone = meeting.zone
    event = Event()
    event.add("uid", f"{meeting.uid}@leadhub")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", meeting.updated_at.astimezone(dt.UTC))
    event.add("last-modified", meeting.updated_at.astimezone(dt.UTC))
    event.add("dtstart", meeting.scheduled_start.astimezone(zone))
    event.add("dtend", meeting.scheduled_end.astimezone(zone))
    team = meeting.team
    place = f" ({team.place_label})" if team.place_label else ""
    event.add("summary", f"{team.name} meeting{place}")
    if meeting.location:
        event.add("location", meeting.location)
    event.add("url", url)
    event.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if meeting.is_cancelled else "OPAQUE")
    return event


def build_calendar(
    *,
    name: str,
    meetings: Iterable[Meeting],
    url_for: Callable[[Meeting], str],
) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    first: dt.date | None = None
    last: dt.date | None = None
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, url=url_for(meeting)))
        first = min(first, meeting.date) if first else meeting.date
        last = max(last, meeting.date) if last else meeting.date
    if first is not None and last is not None:
        # VTIMEZONE definitions for every zone used, covering the feed's dates.
        calendar.add_missing_timezones(
            first_date=first - dt.timedelta(days=366), last_date=last + dt.timedelta(days=366)
        )
    return calendar


def feed_ical(
    link: FeedLink, *, url_for: Callable[[Meeting], str], now: dt.datetime | None = None
) -> bytes | None:
    """The feed's iCalendar text, or None when the link opens nothing any more."""
    teams = feed_teams(link)
    if teams is None:
        return None
    calendar = build_calendar(
        name=calendar_name(link), meetings=feed_meetings(teams, now=now), url_for=url_for
    )
    return calendar.to_ical()


def feed_link_used(link: FeedLink) -> None:
    FeedLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())
