"""Teams and meetings in the shared test world (built once per session by conftest).

Lincoln Elementary has an ILT (principal lead; teacher representing Grade 3; the
instructional coach; the assistant principal), a Grade 3 team the teacher leads, a
Grade 5 team the teacher is not on, and a School Improvement Team with a parent. The
district has a leadership team; the north hub runs a principals' network that the
principal and the outsider (another district) belong to.

ILT meetings: one held two weeks ago with approved minutes (a public and a confidential
item, a decision to communicate to Grade 3, an action item for the teacher, a
confidential one for the coach), one held yesterday whose working notes are not yet
approved, and one in two weeks. Grade 5 has a held meeting with approved minutes and
one with working notes only.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.utils import timezone

from leadhub.accounts.models import User
from leadhub.accounts.tests.factories import UserFactory
from leadhub.meetings.models import (
    AgendaItemStatus,
    AgendaKind,
    AttendanceStatus,
    MeetingStatus,
)
from leadhub.meetings.services.reportbacks import report_backs_create
from leadhub.meetings.tests.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    AttendanceFactory,
    DecisionFactory,
    IntakeItemFactory,
    MeetingFactory,
    MeetingSeriesFactory,
)
from leadhub.meetings.tokens import feed_link_create
from leadhub.orgs.models import District, Hub, School
from leadhub.teams.models import CommunityKind, InstructionalGrouping, MemberRole, TeamKind
from leadhub.teams.tests.factories import TeamFactory, TeamMembershipFactory

FEED_TOKEN_KEY = "feed_token"


def _local(day: dt.date, hour: int, minute: int, zone: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(zone))


def build_team_world(
    *,
    hub: Hub,
    district: District,
    school: School,
    people: dict[str, User],
) -> dict[str, Any]:
    today = timezone.localdate()
    zone = district.time_zone
    principal, teacher = people["principal"], people["teacher"]
    coach, assistant = people["instructional_coach"], people["assistant_principal"]

    ilt = TeamFactory(kind=TeamKind.ILT, school=school, name="Lincoln ILT")
    grade3 = TeamFactory(
        kind=TeamKind.INSTRUCTIONAL,
        grouping=InstructionalGrouping.GRADE_LEVEL,
        school=school,
        name="Grade 3 team",
    )
    grade5 = TeamFactory(
        kind=TeamKind.INSTRUCTIONAL,
        grouping=InstructionalGrouping.GRADE_LEVEL,
        school=school,
        name="Grade 5 team",
    )
    sit = TeamFactory(kind=TeamKind.SIT, school=school, name="Lincoln School Improvement Team")
    district_team = TeamFactory(
        kind=TeamKind.DISTRICT, school=None, district=district, name="District leadership team"
    )
    network = TeamFactory(
        kind=TeamKind.NETWORK, school=None, district=None, hub=hub, name="North principals network"
    )
    parent = UserFactory(email="parent@world.test", full_name="Pat Parent")

    TeamMembershipFactory(team=ilt, user=principal, role=MemberRole.LEAD)
    TeamMembershipFactory(team=ilt, user=teacher, represents_team=grade3)
    TeamMembershipFactory(team=ilt, user=coach)
    TeamMembershipFactory(team=ilt, user=assistant)
    TeamMembershipFactory(team=grade3, user=teacher, role=MemberRole.LEAD)
    TeamMembershipFactory(team=grade5, user=coach, role=MemberRole.LEAD)
    TeamMembershipFactory(team=sit, user=principal, role=MemberRole.LEAD)
    TeamMembershipFactory(
        team=sit, user=parent, role=MemberRole.COMMUNITY, community_kind=CommunityKind.PARENT
    )
    TeamMembershipFactory(team=district_team, user=people["district_leader"], role=MemberRole.LEAD)
    TeamMembershipFactory(team=network, user=people["network_facilitator"], role=MemberRole.LEAD)
    TeamMembershipFactory(team=network, user=principal)
    TeamMembershipFactory(team=network, user=people["outsider"])

    series = MeetingSeriesFactory(
        team=ilt, first_date=today - dt.timedelta(days=120), location="Library"
    )

    def held(team: Any, day: dt.date, *, approved: bool, notes: str) -> Any:
        start = _local(day, 15, 30, zone)
        meeting = MeetingFactory(
            team=team,
            series=series if team == ilt else None,
            scheduled_start=start,
            status=MeetingStatus.HELD,
            actual_start=start + dt.timedelta(minutes=2),
            actual_end=start + dt.timedelta(minutes=88),
            facilitator=teacher,
            recorder=coach,
            timekeeper=assistant,
            agenda_drafted_at=start - dt.timedelta(days=13),
            minutes_approved_at=start + dt.timedelta(days=1) if approved else None,
            minutes_approved_by=principal if approved else None,
        )
        AgendaItemFactory(
            meeting=meeting,
            title="Grade 3 benchmark results",
            kind=AgendaKind.DATA_REVIEW,
            minutes_allotted=30,
            notes=notes,
            status=AgendaItemStatus.DONE,
        )
        return meeting

    held_meeting = held(
        ilt, today - dt.timedelta(days=14), approved=True, notes="Approved notes: fluency gains."
    )
    confidential_item = AgendaItemFactory(
        meeting=held_meeting,
        title="A staffing concern",
        kind=AgendaKind.INFORMATION,
        confidential=True,
        notes="Confidential notes about a colleague.",
        status=AgendaItemStatus.DONE,
    )
    for person, status in (
        (principal, AttendanceStatus.ON_TIME),
        (teacher, AttendanceStatus.ON_TIME),
        (coach, AttendanceStatus.LATE),
        (assistant, AttendanceStatus.EXCUSED),
    ):
        AttendanceFactory(meeting=held_meeting, user=person, status=status)
    decision = DecisionFactory(
        meeting=held_meeting,
        agenda_item=held_meeting.agenda_items.first(),
        text="Every grade 3 class uses the shared fluency check each Friday.",
        must_communicate=True,
    )
    decision.affected_teams.add(grade3)
    report_back = report_backs_create(decision)[0]
    action_item = ActionItemFactory(
        meeting=held_meeting,
        description="Bring three student work samples to the next meeting",
        owner=teacher,
        due_on=today + dt.timedelta(days=7),
    )
    confidential_action = ActionItemFactory(
        meeting=held_meeting,
        description="Follow up privately on the staffing concern",
        owner=coach,
        due_on=today - dt.timedelta(days=2),
        confidential=True,
    )
    draft_meeting = held(
        ilt, today - dt.timedelta(days=1), approved=False, notes="Working notes: not approved."
    )
    next_meeting = MeetingFactory(
        team=ilt,
        series=series,
        scheduled_start=_local(today + dt.timedelta(days=14), 15, 30, zone),
        location="Library",
    )
    AgendaItemFactory(
        meeting=next_meeting,
        title="Look at fluency checks",
        kind=AgendaKind.LOOKING_AT_STUDENT_WORK,
    )
    grade5_meeting = held(
        grade5, today - dt.timedelta(days=7), approved=True, notes="Grade 5 approved notes."
    )
    grade5_draft_meeting = held(
        grade5, today - dt.timedelta(days=2), approved=False, notes="Grade 5 working notes."
    )
    network_meeting = MeetingFactory(
        team=network, scheduled_start=_local(today + dt.timedelta(days=10), 9, 0, zone)
    )
    intake_item = IntakeItemFactory(
        team=ilt,
        proposed_by=teacher,
        from_team=grade3,
        title="Time to look at writing samples across grades",
    )
    _, feed_token = feed_link_create(user=principal, team=ilt)
    return {
        "ilt": ilt,
        "grade3": grade3,
        "grade5": grade5,
        "sit": sit,
        "district_team": district_team,
        "network": network,
        "parent": parent,
        "ilt_series": series,
        "held_meeting": held_meeting,
        "draft_meeting": draft_meeting,
        "next_meeting": next_meeting,
        "grade5_meeting": grade5_meeting,
        "grade5_draft_meeting": grade5_draft_meeting,
        "network_meeting": network_meeting,
        "agenda_item": held_meeting.agenda_items.exclude(pk=confidential_item.pk).get(),
        "confidential_item": confidential_item,
        "decision": decision,
        "report_back": report_back,
        "action_item": action_item,
        "confidential_action": confidential_action,
        "intake_item": intake_item,
        FEED_TOKEN_KEY: feed_token,
    }


def load_team_world() -> dict[str, Any]:
    """The same objects read back from the database (browser tests, whose live server
    rebuilds the world). The feed secret is not stored, so a fresh link is made."""
    from leadhub.accounts.models import User
    from leadhub.meetings.models import ActionItem, AgendaItem, Decision, IntakeItem, Meeting
    from leadhub.teams.models import Team

    teams = {t.name: t for t in Team.objects.all()}
    ilt, grade5 = teams["Lincoln ILT"], teams["Grade 5 team"]
    network = teams["North principals network"]

    def held(team: Any, *, approved: bool) -> Meeting:
        return Meeting.objects.get(
            team=team, status=MeetingStatus.HELD, minutes_approved_at__isnull=not approved
        )

    held_meeting = held(ilt, approved=True)
    decision = Decision.objects.get(meeting=held_meeting)
    principal = User.objects.get(email="principal@world.test")
    _, feed_token = feed_link_create(user=principal, team=ilt)
    return {
        "ilt": ilt,
        "grade3": teams["Grade 3 team"],
        "grade5": grade5,
        "sit": teams["Lincoln School Improvement Team"],
        "district_team": teams["District leadership team"],
        "network": network,
        "parent": User.objects.get(email="parent@world.test"),
        "ilt_series": ilt.series.get(),
        "held_meeting": held_meeting,
        "draft_meeting": held(ilt, approved=False),
        "next_meeting": Meeting.objects.get(team=ilt, status=MeetingStatus.SCHEDULED),
        "grade5_meeting": held(grade5, approved=True),
        "grade5_draft_meeting": held(grade5, approved=False),
        "network_meeting": Meeting.objects.get(team=network),
        "agenda_item": AgendaItem.objects.get(meeting=held_meeting, confidential=False),
        "confidential_item": AgendaItem.objects.get(meeting=held_meeting, confidential=True),
        "decision": decision,
        "report_back": decision.report_backs.get(),
        "action_item": ActionItem.objects.get(meeting=held_meeting, confidential=False),
        "confidential_action": ActionItem.objects.get(meeting=held_meeting, confidential=True),
        "intake_item": IntakeItem.objects.get(team=ilt),
        FEED_TOKEN_KEY: feed_token,
    }
