"""Agenda services: the time budget, building, drafting the next agenda, sending it."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from leadhub.accounts.tests.factories import UserFactory
from leadhub.meetings.models import (
    ActionStatus,
    AgendaItem,
    AgendaItemStatus,
    AgendaKind,
    IntakeStatus,
    Meeting,
    MeetingStatus,
)
from leadhub.meetings.services import agenda as services
from leadhub.meetings.services import series as series_services
from leadhub.meetings.tests.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    DecisionFactory,
    IntakeItemFactory,
    MeetingFactory,
)
from leadhub.orgs.tests.factories import DistrictFactory, SchoolFactory
from leadhub.teams.models import MemberRole
from leadhub.teams.tests.factories import TeamFactory, TeamMembershipFactory

pytestmark = pytest.mark.django_db

EASTERN = "America/New_York"


def local(day: dt.date, hour: int, minute: int, zone: str = EASTERN) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(zone))


@pytest.fixture
def team(world: Any) -> Any:
    """An ILT in a district on Eastern time (the site's default zone is Central)."""
    district = DistrictFactory(time_zone=EASTERN)
    return TeamFactory(school=SchoolFactory(district=district), name="Eastside ILT")


def meeting_pair(team: Any) -> tuple[Meeting, Meeting]:
    today = timezone.localdate()
    held = MeetingFactory(
        team=team,
        scheduled_start=local(today - dt.timedelta(days=1), 15, 30),
        status=MeetingStatus.HELD,
    )
    upcoming = MeetingFactory(
        team=team, scheduled_start=local(today + dt.timedelta(days=13), 15, 30)
    )
    return held, upcoming


# --- The time budget ------------------------------------------------------------------


def test_the_overtime_warning_names_both_numbers(team: Any) -> None:
    meeting = MeetingFactory(team=team, scheduled_minutes=90)
    items = [
        AgendaItemFactory(meeting=meeting, kind=AgendaKind.DATA_REVIEW, minutes_allotted=45),
        AgendaItemFactory(
            meeting=meeting, kind=AgendaKind.LOOKING_AT_STUDENT_WORK, minutes_allotted=30
        ),
        AgendaItemFactory(meeting=meeting, kind=AgendaKind.INFORMATION, minutes_allotted=30),
    ]
    totals = services.agenda_totals(meeting, items)
    assert totals.allotted == 105
    assert totals.over_by == 15
    assert totals.overtime_warning == "The agenda needs 105 minutes; the meeting is 90."
    assert totals.instructional == 75
    assert totals.instructional_share == 71  # 75 of 105
    assert totals.needs_teacher_time is True
    assert [k.label for k in totals.by_kind] == [
        "Looking at student work",
        "Data review",
        "Information",
    ]


def test_an_agenda_that_fits_has_no_warning_and_counts_teacher_time(team: Any) -> None:
    meeting = MeetingFactory(team=team, scheduled_minutes=90)
    items = [
        AgendaItemFactory(meeting=meeting, kind=AgendaKind.DATA_REVIEW, minutes_allotted=60),
        AgendaItemFactory(meeting=meeting, kind=AgendaKind.TEACHER_ISSUE, minutes_allotted=30),
    ]
    totals = services.agenda_totals(meeting, items)
    assert totals.overtime_warning == ""
    assert totals.left == 0
    assert totals.teacher_issue == 30
    assert totals.needs_teacher_time is False
    assert services.agenda_totals(meeting, []).instructional_share is None
    assert services.agenda_totals(meeting, []).needs_teacher_time is False


# --- Building the agenda --------------------------------------------------------------


def test_the_first_item_records_when_the_agenda_was_drafted_once(team: Any) -> None:
    meeting = MeetingFactory(team=team)
    version = meeting.version
    first = services.agenda_item_add(
        meeting=meeting, title="Data", kind=AgendaKind.DATA_REVIEW, minutes_allotted=20
    )
    meeting.refresh_from_db()
    drafted = meeting.agenda_drafted_at
    assert drafted is not None
    # The meeting's own version is untouched: nobody editing it gets a false conflict.
    assert meeting.version == version
    second = services.agenda_item_add(
        meeting=meeting, title="Work", kind=AgendaKind.LOOKING_AT_STUDENT_WORK, minutes_allotted=30
    )
    meeting.refresh_from_db()
    assert meeting.agenda_drafted_at == drafted
    assert second.position == first.position + 1


def test_moving_swaps_neighbours_and_stops_at_the_ends(team: Any) -> None:
    meeting = MeetingFactory(team=team)
    a, b, c = (
        AgendaItemFactory(meeting=meeting, title=t, position=p)
        for t, p in (("A", 5), ("B", 5), ("C", 9))
    )
    assert services.agenda_item_move(c, "up") is True
    order = list(meeting.agenda_items.order_by("position", "pk").values_list("title", flat=True))
    assert order == ["A", "C", "B"]
    assert services.agenda_item_move(a, "up") is False
    b.refresh_from_db()
    assert services.agenda_item_move(b, "down") is False
    assert list(meeting.agenda_items.order_by("position").values_list("position", flat=True)) == [
        0,
        1,
        2,
    ]
    # Moving is layout, not content: nobody's open edit of the text is invalidated.
    c.refresh_from_db()
    assert c.version == 1


def test_an_item_with_notes_or_a_decision_stays_on_the_record(team: Any) -> None:
    meeting = MeetingFactory(team=team)
    with_notes = AgendaItemFactory(meeting=meeting, notes="We talked.")
    with_decision = AgendaItemFactory(meeting=meeting)
    DecisionFactory(meeting=meeting, agenda_item=with_decision)
    plain = AgendaItemFactory(meeting=meeting)
    assert "notes" in services.agenda_item_delete_refusal(with_notes)
    assert "decision" in services.agenda_item_delete_refusal(with_decision)
    with pytest.raises(ValueError):
        services.agenda_item_delete(with_notes)
    services.agenda_item_delete(plain)
    assert not AgendaItem.objects.filter(pk=plain.pk).exists()


def test_removing_a_proposed_issue_puts_it_back_in_the_queue(team: Any) -> None:
    meeting = MeetingFactory(team=team)
    item = AgendaItemFactory(meeting=meeting, kind=AgendaKind.TEACHER_ISSUE)
    proposal = IntakeItemFactory(team=team, status=IntakeStatus.ACCEPTED, agenda_item=item)
    services.agenda_item_delete(item)
    proposal.refresh_from_db()
    assert proposal.status == IntakeStatus.SUBMITTED
    assert proposal.agenda_item is None


# --- Drafting the next agenda ---------------------------------------------------------


def test_next_meeting_skips_cancelled_past_and_other_teams(team: Any) -> None:
    held, upcoming = meeting_pair(team)
    today = timezone.localdate()
    MeetingFactory(
        team=team,
        scheduled_start=local(today + dt.timedelta(days=2), 8, 0),
        status=MeetingStatus.CANCELLED,
    )
    MeetingFactory(scheduled_start=local(today + dt.timedelta(days=1), 8, 0))  # another team
    assert services.next_meeting_for(held) == upcoming
    assert services.next_meeting_for(upcoming) is None


def test_drafting_carries_unfinished_items_and_the_review_of_open_actions(team: Any) -> None:
    held, upcoming = meeting_pair(team)
    presenter = UserFactory()
    unfinished = AgendaItemFactory(
        meeting=held,
        title="Writing samples, grade 4",
        kind=AgendaKind.LOOKING_AT_STUDENT_WORK,
        presenter=presenter,
        minutes_allotted=25,
        details="Bring three samples.",
        confidential=True,
        status=AgendaItemStatus.UNFINISHED,
    )
    AgendaItemFactory(meeting=held, title="Done already", status=AgendaItemStatus.DONE)
    planned = AgendaItemFactory(meeting=upcoming, title="Already planned", position=0)
    ActionItemFactory(meeting=held, team=team)
    ActionItemFactory(meeting=held, team=team, status=ActionStatus.DONE)
    assert upcoming.agenda_drafted_at is None

    result = services.agenda_draft_next(meeting=held, next_meeting=upcoming)

    assert result.review_added is True
    assert result.first_draft is True
    items = list(upcoming.agenda_items.order_by("position", "pk"))
    assert [i.title for i in items] == [
        services.REVIEW_ACTIONS_TITLE,
        "Writing samples, grade 4",
        "Already planned",
    ]
    review, carried, kept = items
    assert review.kind == AgendaKind.FOLLOW_UP
    assert carried.carried_from == unfinished
    assert (carried.kind, carried.presenter, carried.minutes_allotted, carried.confidential) == (
        AgendaKind.LOOKING_AT_STUDENT_WORK,
        presenter,
        25,
        True,
    )
    assert carried.details == "Bring three samples."
    assert carried.status == AgendaItemStatus.PLANNED
    assert kept == planned
    upcoming.refresh_from_db()
    assert upcoming.agenda_drafted_at is not None


def test_drafting_twice_adds_nothing_twice_and_keeps_the_first_draft_time(team: Any) -> None:
    held, upcoming = meeting_pair(team)
    AgendaItemFactory(meeting=held, status=AgendaItemStatus.UNFINISHED)
    ActionItemFactory(meeting=held, team=team)
    first_time = timezone.now() - dt.timedelta(hours=2)
    services.agenda_draft_next(meeting=held, next_meeting=upcoming, now=first_time)
    count = upcoming.agenda_items.count()

    again = services.agenda_draft_next(meeting=held, next_meeting=upcoming)

    assert upcoming.agenda_items.count() == count == 2
    assert again.added_count == 0
    assert again.first_draft is False
    upcoming.refresh_from_db()
    assert upcoming.agenda_drafted_at == first_time


def test_an_agenda_drafted_earlier_keeps_its_time(team: Any) -> None:
    held, upcoming = meeting_pair(team)
    earlier = timezone.now() - dt.timedelta(days=3)
    Meeting.objects.filter(pk=upcoming.pk).update(agenda_drafted_at=earlier)
    upcoming.refresh_from_db()
    AgendaItemFactory(meeting=held, status=AgendaItemStatus.UNFINISHED)
    services.agenda_draft_next(meeting=held, next_meeting=upcoming)
    upcoming.refresh_from_db()
    assert upcoming.agenda_drafted_at == earlier


def test_no_open_actions_means_no_review_item(team: Any) -> None:
    held, upcoming = meeting_pair(team)
    ActionItemFactory(meeting=held, team=team, status=ActionStatus.DONE)
    result = services.agenda_draft_next(meeting=held, next_meeting=upcoming)
    assert result.review_added is False
    assert upcoming.agenda_items.count() == 0
    # Drafting still counts as drafting: team health reads that the agenda was started.
    upcoming.refresh_from_db()
    assert upcoming.agenda_drafted_at is not None


def test_accepted_issues_waiting_for_an_agenda_join_the_draft(team: Any) -> None:
    held, upcoming = meeting_pair(team)
    proposer = UserFactory(full_name="Ana Teacher")
    waiting = IntakeItemFactory(
        team=team, proposed_by=proposer, status=IntakeStatus.ACCEPTED, details="Why."
    )
    IntakeItemFactory(team=team)  # still waiting for triage: not put on any agenda
    result = services.agenda_draft_next(meeting=held, next_meeting=upcoming)
    assert len(result.intake_added) == 1
    item = result.intake_added[0]
    waiting.refresh_from_db()
    assert waiting.agenda_item == item
    assert item.kind == AgendaKind.TEACHER_ISSUE
    assert item.title == waiting.title
    assert "Ana Teacher" in item.details


def test_a_carried_issue_keeps_its_proposer_informed(team: Any) -> None:
    held, upcoming = meeting_pair(team)
    source = AgendaItemFactory(
        meeting=held, kind=AgendaKind.TEACHER_ISSUE, status=AgendaItemStatus.UNFINISHED
    )
    proposal = IntakeItemFactory(team=team, status=IntakeStatus.ACCEPTED, agenda_item=source)
    result = services.agenda_draft_next(meeting=held, next_meeting=upcoming)
    proposal.refresh_from_db()
    assert proposal.agenda_item == result.carried[0]
    assert proposal.agenda_item.meeting == upcoming


def test_drafting_into_another_teams_meeting_is_refused(team: Any) -> None:
    held, _ = meeting_pair(team)
    with pytest.raises(ValueError):
        services.agenda_draft_next(meeting=held, next_meeting=MeetingFactory())


def test_scheduling_one_meeting_uses_the_teams_zone(team: Any) -> None:
    day = timezone.localdate() + dt.timedelta(days=10)
    meeting = series_services.meeting_create(
        team, day=day, start_time=dt.time(15, 30), minutes=90, location="Room 12"
    )
    assert meeting.series is None
    assert meeting.local_start == local(day, 15, 30)
    # 3:30 PM in New York is 2:30 PM in Chicago: stored as the same instant.
    chicago = meeting.scheduled_start.astimezone(zoneinfo.ZoneInfo("America/Chicago"))
    assert chicago.hour == 14
    assert meeting.district_id == team.district_id


# --- Sending the agenda ---------------------------------------------------------------


def test_the_agenda_email_lists_items_in_local_time_and_hides_confidential_text(
    team: Any,
) -> None:
    day = timezone.localdate() + dt.timedelta(days=5)
    meeting = MeetingFactory(team=team, scheduled_start=local(day, 15, 30), location="Library")
    lead, member = UserFactory(full_name="Lee Lead"), UserFactory(full_name="Mo Member")
    former = UserFactory(full_name="Former Member")
    TeamMembershipFactory(team=team, user=lead, role=MemberRole.LEAD)
    TeamMembershipFactory(team=team, user=member)
    TeamMembershipFactory(
        team=team,
        user=former,
        start_date=timezone.localdate() - dt.timedelta(days=300),
        end_date=timezone.localdate() - dt.timedelta(days=30),
    )
    AgendaItemFactory(
        meeting=meeting,
        title="Grade 4 writing samples",
        kind=AgendaKind.LOOKING_AT_STUDENT_WORK,
        minutes_allotted=40,
        presenter=member,
        position=0,
    )
    AgendaItemFactory(
        meeting=meeting,
        title="A staffing concern about Mr. X",
        details="Private details",
        kind=AgendaKind.INFORMATION,
        minutes_allotted=60,
        confidential=True,
        position=1,
    )

    sent, left_out = services.agenda_send(meeting=meeting, actor=lead)

    assert [p.full_name for p in sent] == ["Lee Lead", "Mo Member"]
    assert left_out == []
    assert sorted(m.to[0] for m in mail.outbox) == sorted([lead.email, member.email])
    message = mail.outbox[0]
    html = message.alternatives[0][0]
    when = f"{day:%A, %B} {day.day}, {day.year} at 3:30 PM"
    for body in (message.body, html, message.subject):
        assert "staffing" not in body and "Private details" not in body
        assert when in body
    for body in (message.body, html):
        assert "Grade 4 writing samples" in body
        assert "Looking at student work" in body
        assert "40 min" in body
        assert "Presenter: Mo Member" in body
        assert "1 confidential item: see LeadHub" in body
        assert "The agenda needs 100 minutes; the meeting is 90." in body
        assert f"/meetings/{meeting.pk}/" in body
    assert "EST" in message.body or "EDT" in message.body
    meeting.refresh_from_db()
    assert meeting.agenda_sent_at is not None


def test_an_empty_or_cancelled_agenda_is_not_sent(team: Any) -> None:
    meeting = MeetingFactory(team=team)
    with pytest.raises(ValueError, match="at least one item"):
        services.agenda_send(meeting=meeting, actor=UserFactory())
    AgendaItemFactory(meeting=meeting)
    meeting.status = MeetingStatus.CANCELLED
    with pytest.raises(ValueError, match="cancelled"):
        services.agenda_send(meeting=meeting, actor=UserFactory())
    assert mail.outbox == []
